package org.civicbot.flows;

import java.util.Comparator;
import java.util.Locale;

/**
 * One problem found in a flow: where it is, how serious, which rule (a stable id, see {@link Rules}) and
 * what an editor should read.
 */
public record Issue(Severity severity, Position position, String rule, String message) {

    /** An error refuses the flows; a warning is shown to the editor and the flows still load. */
    public enum Severity {
        ERROR, WARNING;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** File, then line, then column: the order an editor fixes them in. */
    static final Comparator<Issue> IN_FILE_ORDER = Comparator
            .comparing((Issue i) -> i.position().file())
            .thenComparingInt(i -> i.position().line())
            .thenComparingInt(i -> i.position().column())
            .thenComparing(Issue::severity)
            .thenComparing(Issue::rule)
            .thenComparing(Issue::message);

    static Issue error(Position position, String rule, String message) {
        return new Issue(Severity.ERROR, position, rule, message);
    }

    static Issue warning(Position position, String rule, String message) {
        return new Issue(Severity.WARNING, position, rule, message);
    }

    /** {@code main.yaml:12:7: error [dangling-target] node "ask" goes to ...}, the form compilers use. */
    public String format() {
        return position + ": " + severity.label() + " [" + rule + "] " + message;
    }
}

package org.civicbot.flows;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What checking a set of flows found: errors refuse them, warnings do not. */
public record ValidationReport(List<Issue> errors, List<Issue> warnings) {

    public ValidationReport {
        errors = errors.stream().sorted(Issue.IN_FILE_ORDER).toList();
        warnings = warnings.stream().sorted(Issue.IN_FILE_ORDER).toList();
    }

    static ValidationReport of(Collection<Issue> issues) {
        List<Issue> errors = new ArrayList<>();
        List<Issue> warnings = new ArrayList<>();
        for (Issue issue : issues) {
            (issue.severity() == Issue.Severity.ERROR ? errors : warnings).add(issue);
        }
        return new ValidationReport(errors, warnings);
    }

    public boolean isValid() {
        return errors.isEmpty();
    }

    /** Every issue, errors and warnings together, in file order. */
    public List<Issue> issues() {
        return Stream.concat(errors.stream(), warnings.stream()).sorted(Issue.IN_FILE_ORDER).toList();
    }

    /** One line per issue in file order, as {@link Issue#format()} writes it; empty when there is none. */
    public String format() {
        return issues().stream().map(Issue::format).collect(Collectors.joining("\n"));
    }
}

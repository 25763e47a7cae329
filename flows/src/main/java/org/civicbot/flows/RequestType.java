package org.civicbot.flows;

import java.util.Locale;
import java.util.Optional;

/**
 * What a citizen files through an {@code incident} node: a problem to fix, or a suggestion, a complaint or a
 * question to the town hall. All go through the same staff workflow; each has its own code prefix, so the code
 * says what it is ({@code SUG-2026-000012}).
 */
public enum RequestType {
    INCIDENT("INC"),
    SUGGESTION("SUG"),
    /** "Queixa" / "queja". */
    COMPLAINT("QUE"),
    /** "Pregunta". */
    QUESTION("PRE");

    private final String prefix;

    RequestType(String prefix) {
        this.prefix = prefix;
    }

    /** The prefix of its codes. */
    public String prefix() {
        return prefix;
    }

    /** As written in flow files: {@code suggestion}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<RequestType> fromWire(String value) {
        for (RequestType type : values()) {
            if (type.wireName().equals(value)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}

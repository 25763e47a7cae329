package org.civicbot.flows;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A language every citizen-facing text is written in; Catalan is the default. */
public enum Language {
    CA("ca", "Català"),
    ES("es", "Español"),
    EN("en", "English");

    public static final Language DEFAULT = CA;

    private final String code;
    private final String nativeName;

    Language(String code, String nativeName) {
        this.code = code;
        this.nativeName = nativeName;
    }

    /** The ISO 639-1 code used in flow files, e.g. {@code ca}. */
    public String code() {
        return code;
    }

    /** The language's name in itself, as a citizen picking it would look for it. */
    public String nativeName() {
        return nativeName;
    }

    public static Optional<Language> fromCode(String code) {
        if (code == null) {
            return Optional.empty();
        }
        String c = code.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(l -> l.code.equals(c)).findFirst();
    }
}

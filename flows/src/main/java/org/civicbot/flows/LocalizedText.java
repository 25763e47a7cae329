package org.civicbot.flows;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A citizen-facing text in every {@link Language}; the validator makes sure none is missing. */
public record LocalizedText(Map<Language, String> values) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_.]+)\\}");

    public LocalizedText {
        EnumMap<Language, String> copy = new EnumMap<>(Language.class);
        copy.putAll(values);
        values = Collections.unmodifiableMap(copy);
    }

    public static LocalizedText of(String ca, String es, String en) {
        return new LocalizedText(Map.of(Language.CA, ca, Language.ES, es, Language.EN, en));
    }

    /** The text in {@code language}, falling back to the default language, then to any. */
    public String in(Language language) {
        String text = values.get(language);
        if (text == null) {
            text = values.get(Language.DEFAULT);
        }
        if (text == null && !values.isEmpty()) {
            text = values.values().iterator().next();
        }
        return text == null ? "" : text;
    }

    /**
     * The text in {@code language} with each {@code {name}} replaced by its value, in one pass: a value that
     * itself holds braces (a citizen's words) is never read as a placeholder. Unknown names are left as they are.
     */
    public String in(Language language, Map<String, String> values) {
        String text = in(language);
        Matcher placeholder = PLACEHOLDER.matcher(text);
        StringBuilder filled = new StringBuilder(text.length());
        while (placeholder.find()) {
            String value = values.get(placeholder.group(1));
            placeholder.appendReplacement(filled, Matcher.quoteReplacement(value == null ? placeholder.group() : value));
        }
        placeholder.appendTail(filled);
        return filled.toString();
    }

    public Set<Language> languages() {
        return values.keySet();
    }
}

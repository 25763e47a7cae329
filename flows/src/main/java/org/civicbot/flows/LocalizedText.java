package org.civicbot.flows;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/** A citizen-facing text in every {@link Language}; the validator makes sure none is missing. */
public record LocalizedText(Map<Language, String> values) {

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

    /** The text in {@code language} with each {@code {name}} replaced by its value. */
    public String in(Language language, Map<String, String> values) {
        String text = in(language);
        for (Map.Entry<String, String> value : values.entrySet()) {
            text = text.replace("{" + value.getKey() + "}", value.getValue());
        }
        return text;
    }

    public Set<Language> languages() {
        return values.keySet();
    }
}

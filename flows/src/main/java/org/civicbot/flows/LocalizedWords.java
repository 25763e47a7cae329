package org.civicbot.flows;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Keywords in every {@link Language}, e.g. the words that restart a conversation. */
public record LocalizedWords(Map<Language, List<String>> values) {

    /** No words in any language: an optional list that was not written. */
    public static final LocalizedWords NONE = new LocalizedWords(Map.of());

    public LocalizedWords {
        EnumMap<Language, List<String>> copy = new EnumMap<>(Language.class);
        values.forEach((language, words) -> copy.put(language, List.copyOf(words)));
        values = Collections.unmodifiableMap(copy);
    }

    public List<String> in(Language language) {
        return values.getOrDefault(language, List.of());
    }

    public boolean isEmpty() {
        return values.values().stream().allMatch(List::isEmpty);
    }

    /** Every word of every language: a citizen may type a command in any of them. */
    public List<String> all() {
        return values.values().stream().flatMap(List::stream).toList();
    }
}

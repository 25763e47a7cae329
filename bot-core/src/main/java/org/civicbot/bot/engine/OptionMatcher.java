package org.civicbot.bot.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * Finds the option a citizen meant: by its number in any usual form ("2", "2.", "2)", "la 2", "opció 2",
 * "la segona", "el segundo", "the second one", "2️⃣"), by its label in any language,
 * by a label that starts with what they typed, or by a label a small typo away. It answers only when
 * exactly one option fits best, so an ambiguous answer is asked again rather than guessed.
 */
final class OptionMatcher {

    /** A prefix shorter than this ("p") says too little to pick an option. */
    static final int MIN_PREFIX_LENGTH = 3;

    /** By the typos allowed: a Levenshtein distance that answers -1 beyond them. */
    private static final Map<Integer, LevenshteinDistance> DISTANCES = Map.of(1, new LevenshteinDistance(1),
            2, new LevenshteinDistance(2));
    private static final Pattern KEYCAP = Pattern.compile("(\\d)\\x{FE0F}?\\x{20E3}");

    private OptionMatcher() {}

    /**
     * @param typed what the citizen sent
     * @param labels for each option, its labels in every language
     * @return the 0-based index of the option meant, if one stands out
     */
    static OptionalInt match(String typed, List<List<String>> labels) {
        return match(typed, labels, Words::normalize);
    }

    /**
     * As {@link #match(String, List)}, with {@code normalize} doing {@link Words#normalize}'s work: the engine's
     * knows its menus' labels and the turn's message already.
     */
    static OptionalInt match(String typed, List<List<String>> labels, UnaryOperator<String> normalize) {
        String text = typed == null ? "" : typed.trim();
        OptionalInt byNumber = byNumber(text, labels.size());
        if (byNumber.isPresent()) {
            return byNumber;
        }
        String normalized = normalize.apply(text);
        if (normalized.isEmpty()) {
            return OptionalInt.empty();
        }
        // Each label normalized once, not at each of the three comparisons.
        List<List<String>> normalizedLabels = new ArrayList<>(labels.size());
        for (List<String> option : labels) {
            List<String> each = new ArrayList<>(option.size());
            for (String label : option) {
                each.add(normalize.apply(label));
            }
            normalizedLabels.add(each);
        }
        OptionalInt exact = unique(normalizedLabels, label -> label.equals(normalized));
        if (exact.isPresent()) {
            return exact;
        }
        if (normalized.length() >= MIN_PREFIX_LENGTH) {
            OptionalInt prefix = unique(normalizedLabels, label -> label.startsWith(normalized));
            if (prefix.isPresent()) {
                return prefix;
            }
        }
        return closest(normalized, normalizedLabels);
    }

    /**
     * Number words in Catalan, Spanish and English, cardinal and ordinal, as they are written once lower-cased and
     * without accents. A menu has at most ten options.
     */
    private static final Map<String, Integer> NUMBER_WORDS = numberWords();

    /** Words that may stand before the number: "la 3", "opció 3", "número 3", "the 3rd". */
    private static final java.util.Set<String> BEFORE = java.util.Set.of("la", "el", "lo", "l", "les", "los", "the",
            "opcio", "opcion", "option", "opt", "numero", "num", "number", "no", "n", "nº");
    /** Words that may follow it: "the second one", "la 3 sisplau". */
    private static final java.util.Set<String> AFTER = java.util.Set.of("one", "opcio", "opcion", "option", "sisplau",
            "please", "porfa", "gracies", "gracias", "thanks");
    private static final Pattern ORDINAL_DIGITS = Pattern.compile("(\\d{1,2})(?:r|n|t|e|a|o|st|nd|rd|th|ª|º)?");

    private static OptionalInt byNumber(String text, int count) {
        // Keycap emoji: 3️⃣ is the digit, an optional variation selector and the combining keycap.
        String plain = KEYCAP.matcher(text).replaceAll("$1")
                .replace("si us plau", "sisplau").replace("por favor", "porfa").replace("thank you", "thanks");
        List<String> words = new ArrayList<>(List.of(Words.normalize(plain.replace("nº", "n ").replace("#", " "))
                .split(" ")));
        words.removeIf(String::isEmpty);
        while (words.size() > 1 && BEFORE.contains(words.get(0))) {
            words.remove(0);
        }
        while (words.size() > 1 && AFTER.contains(words.get(words.size() - 1))) {
            words.remove(words.size() - 1);
        }
        if (words.size() != 1) {
            return OptionalInt.empty();
        }
        String word = words.get(0);
        Matcher digits = ORDINAL_DIGITS.matcher(word);
        Integer number = digits.matches() ? Integer.valueOf(digits.group(1)) : NUMBER_WORDS.get(word);
        if (number == null) {
            return OptionalInt.empty();
        }
        return number >= 1 && number <= count ? OptionalInt.of(number - 1) : OptionalInt.empty();
    }

    /** Every number word this matcher knows, with its value: for the tests. */
    static Map<String, Integer> numberWordsForTests() {
        return NUMBER_WORDS;
    }

    private static Map<String, Integer> numberWords() {
        String[][] words = {
            {"u", "un", "una", "uno", "one", "primer", "primera", "primero", "first"},
            {"dos", "dues", "two", "segon", "segona", "segundo", "segunda", "second"},
            {"tres", "three", "tercer", "tercera", "tercero", "third"},
            {"quatre", "cuatro", "four", "quart", "quarta", "cuarto", "cuarta", "fourth"},
            {"cinc", "cinco", "five", "cinque", "cinquena", "quinto", "quinta", "fifth"},
            {"sis", "seis", "six", "sise", "sisena", "sexto", "sexta", "sixth"},
            {"set", "siete", "seven", "sete", "setena", "septimo", "septima", "seventh"},
            {"vuit", "ocho", "eight", "vuite", "vuitena", "octavo", "octava", "eighth"},
            {"nou", "nueve", "nine", "nove", "novena", "noveno", "ninth"},
            {"deu", "diez", "ten", "dese", "desena", "decimo", "decima", "tenth"},
        };
        Map<String, Integer> byWord = new HashMap<>();
        for (int i = 0; i < words.length; i++) {
            for (String word : words[i]) {
                byWord.put(word, i + 1);
            }
        }
        return Map.copyOf(byWord);
    }

    private interface LabelTest {
        boolean test(String normalizedLabel);
    }

    private static OptionalInt unique(List<List<String>> normalizedLabels, LabelTest test) {
        List<Integer> hits = new ArrayList<>();
        for (int i = 0; i < normalizedLabels.size(); i++) {
            for (String label : normalizedLabels.get(i)) {
                if (test.test(label)) {
                    hits.add(i);
                    break;
                }
            }
        }
        return hits.size() == 1 ? OptionalInt.of(hits.get(0)) : OptionalInt.empty();
    }

    /** The typo allowance grows with the length: none for short words, where one letter changes the word. */
    static int allowedTypos(int length) {
        if (length <= 4) {
            return 0;
        }
        return length <= 8 ? 1 : 2;
    }

    private static OptionalInt closest(String typed, List<List<String>> normalizedLabels) {
        int allowed = allowedTypos(typed.length());
        if (allowed == 0) {
            return OptionalInt.empty();
        }
        // Only a distance within the allowance can win, so any beyond it counts as one more: the Levenshtein
        // distance then stops early (a whole sentence against every label otherwise costs a full matrix each).
        LevenshteinDistance distance = DISTANCES.get(allowed);
        int best = Integer.MAX_VALUE;
        int bestIndex = -1;
        boolean tie = false;
        for (int i = 0; i < normalizedLabels.size(); i++) {
            int optionBest = Integer.MAX_VALUE;
            for (String label : normalizedLabels.get(i)) {
                int d = distance.apply(typed, label);
                optionBest = Math.min(optionBest, d < 0 ? allowed + 1 : d);
            }
            if (optionBest < best) {
                best = optionBest;
                bestIndex = i;
                tie = false;
            } else if (optionBest == best) {
                tie = true;
            }
        }
        return best <= allowed && !tie ? OptionalInt.of(bestIndex) : OptionalInt.empty();
    }
}

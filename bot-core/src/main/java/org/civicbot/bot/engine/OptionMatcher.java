package org.civicbot.bot.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
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

    private static final LevenshteinDistance DISTANCE = LevenshteinDistance.getDefaultInstance();

    private OptionMatcher() {}

    /**
     * @param typed what the citizen sent
     * @param labels for each option, its labels in every language
     * @return the 0-based index of the option meant, if one stands out
     */
    static OptionalInt match(String typed, List<List<String>> labels) {
        String text = typed == null ? "" : typed.trim();
        OptionalInt byNumber = byNumber(text, labels.size());
        if (byNumber.isPresent()) {
            return byNumber;
        }
        String normalized = Words.normalize(text);
        if (normalized.isEmpty()) {
            return OptionalInt.empty();
        }
        OptionalInt exact = unique(labels, label -> label.equals(normalized));
        if (exact.isPresent()) {
            return exact;
        }
        if (normalized.length() >= MIN_PREFIX_LENGTH) {
            OptionalInt prefix = unique(labels, label -> label.startsWith(normalized));
            if (prefix.isPresent()) {
                return prefix;
            }
        }
        return closest(normalized, labels);
    }

    /**
     * Number words in Catalan, Spanish and English, cardinal and ordinal, as they are written once lower-cased and
     * without accents. A menu has at most ten options.
     */
    private static final Map<String, Integer> NUMBER_WORDS = numberWords();

    /** What may stand before the number: "la 3", "opció 3", "número 3", "the 3rd", "nº 3", "#3". */
    private static final Pattern NUMBER_FORM = Pattern.compile(
            "^(?:(?:la|el|lo|l|les|los|the|a|an|opcio|opcion|option|opt|numero|num|number|no|n|nº|#|una|un)\\s*)*"
                    + "(\\p{L}+|\\d{1,2})(?:r|n|a|o|st|nd|rd|th|è|e|ª|º)?"
                    + "(?:\\s*(?:one|opcio|opcion|option))?"
                    + "(?:\\s+(?:sisplau|si us plau|por favor|porfa|please|gracies|gracias|thanks|thank you))?\\s*[.)!]*$");

    private static OptionalInt byNumber(String text, int count) {
        // Keycap emoji: 3️⃣ is the digit, an optional variation selector and the combining keycap.
        String plain = text.replaceAll("(\\d)\\x{FE0F}?\\x{20E3}", "$1").replaceAll("[.)!\\s]+$", "");
        String folded = Words.normalize(plain.replace("nº", "n ").replace("#", ""));
        Matcher form = NUMBER_FORM.matcher(folded);
        if (!form.matches()) {
            return OptionalInt.empty();
        }
        String word = form.group(1);
        Integer number = word.chars().allMatch(Character::isDigit) ? Integer.valueOf(word) : NUMBER_WORDS.get(word);
        if (number == null) {
            return OptionalInt.empty();
        }
        return number >= 1 && number <= count ? OptionalInt.of(number - 1) : OptionalInt.empty();
    }

    private static Map<String, Integer> numberWords() {
        String[][] words = {
            {"u", "un", "una", "uno", "one", "primer", "primera", "primero", "first", "1r", "1a", "1st"},
            {"dos", "dues", "two", "segon", "segona", "segundo", "segunda", "second", "2n", "2a", "2nd"},
            {"tres", "three", "tercer", "tercera", "tercero", "third", "3r", "3a", "3rd"},
            {"quatre", "cuatro", "four", "quart", "quarta", "cuarto", "cuarta", "fourth", "4t", "4a", "4th"},
            {"cinc", "cinco", "five", "cinque", "cinquena", "quinto", "quinta", "fifth", "5e", "5a", "5th"},
            {"sis", "seis", "six", "sise", "sisena", "sexto", "sexta", "sixth", "6e", "6a", "6th"},
            {"set", "siete", "seven", "sete", "setena", "septimo", "septima", "seventh", "7e", "7a", "7th"},
            {"vuit", "ocho", "eight", "vuite", "vuitena", "octavo", "octava", "eighth", "8e", "8a", "8th"},
            {"nou", "nueve", "nine", "nove", "novena", "noveno", "ninth", "9e", "9a", "9th"},
            {"deu", "diez", "ten", "dese", "desena", "decimo", "decima", "tenth", "10e", "10a", "10th"},
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

    private static OptionalInt unique(List<List<String>> labels, LabelTest test) {
        List<Integer> hits = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            for (String label : labels.get(i)) {
                if (test.test(Words.normalize(label))) {
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

    private static OptionalInt closest(String typed, List<List<String>> labels) {
        int allowed = allowedTypos(typed.length());
        if (allowed == 0) {
            return OptionalInt.empty();
        }
        int best = Integer.MAX_VALUE;
        int bestIndex = -1;
        boolean tie = false;
        for (int i = 0; i < labels.size(); i++) {
            int optionBest = Integer.MAX_VALUE;
            for (String label : labels.get(i)) {
                int d = DISTANCE.apply(typed, Words.normalize(label));
                optionBest = Math.min(optionBest, d);
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

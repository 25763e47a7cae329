package org.civicbot.bot.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * Finds the option a citizen meant: by its number ("2", "2.", "2)"), by its label in any language,
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

    private static OptionalInt byNumber(String text, int count) {
        String digits = text.replaceAll("[.)\\s]+$", "");
        if (!digits.matches("\\d{1,2}")) {
            return OptionalInt.empty();
        }
        int number = Integer.parseInt(digits);
        return number >= 1 && number <= count ? OptionalInt.of(number - 1) : OptionalInt.empty();
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

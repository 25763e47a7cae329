package org.civicbot.bot.engine;

import java.text.Normalizer;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** How the engine compares what a citizen typed with a word it knows: case, accents and spaces aside. */
final class Words {

    private Words() {}

    /**
     * "  Enllumenat  Públic! " and "enllumenat public" normalize alike: decomposed (NFD), without marks (\p{M}),
     * middle dots and apostrophes, lower case, each run of what is neither a letter nor a digit (\p{L}, \p{N})
     * one space, trimmed. Written as two passes over the code points rather than regular expressions: every message
     * and every label of a menu goes through it, several times a turn.
     */
    static String normalize(String text) {
        if (text == null) {
            return "";
        }
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
        StringBuilder plain = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); ) {
            int c = decomposed.codePointAt(i);
            i += Character.charCount(c);
            // The Catalan middle dot (l·l) and apostrophes would split words; drop them instead.
            if (!isMark(c) && c != '·' && c != '\'' && c != '’') {
                plain.appendCodePoint(c);
            }
        }
        // Lower case only now: it may make marks and other non-letters ("İ" is "i" and a combining dot).
        String lower = plain.toString().toLowerCase(Locale.ROOT);
        StringBuilder words = new StringBuilder(lower.length());
        boolean gap = false;
        for (int i = 0; i < lower.length(); ) {
            int c = lower.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isLetter(c) || isNumber(c)) {
                if (gap && !words.isEmpty()) {
                    words.append(' ');
                }
                words.appendCodePoint(c);
                gap = false;
            } else {
                gap = true;
            }
        }
        return words.toString();
    }

    /** \p{M}: a non-spacing, enclosing or spacing combining mark. */
    private static boolean isMark(int c) {
        int type = Character.getType(c);
        return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                || type == Character.COMBINING_SPACING_MARK;
    }

    /** \p{N}: a decimal digit, a letter number or another number. */
    private static boolean isNumber(int c) {
        int type = Character.getType(c);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER;
    }

    /** Words a message is compared with on every turn (a command's), normalized once rather than at each comparison. */
    record Known(Set<String> normalized) {

        static Known of(Collection<String> words) {
            Set<String> all = new HashSet<>();
            for (String word : words) {
                all.add(normalize(word));
            }
            return new Known(Set.copyOf(all));
        }

        /** As {@link Words#isOneOf}. */
        boolean has(String text) {
            return hasNormalized(normalize(text));
        }

        /** {@link #has} of a text already {@link Words#normalize normalized}. */
        boolean hasNormalized(String typed) {
            return !typed.isEmpty() && normalized.contains(typed);
        }
    }

    static boolean isOneOf(String text, Collection<String> words) {
        String typed = normalize(text);
        if (typed.isEmpty()) {
            return false;
        }
        for (String word : words) {
            if (typed.equals(normalize(word))) {
                return true;
            }
        }
        return false;
    }
}

package org.civicbot.bot.engine;

import java.text.Normalizer;
import java.util.Collection;
import java.util.Locale;
import java.util.regex.Pattern;

/** How the engine compares what a citizen typed with a word it knows: case, accents and spaces aside. */
final class Words {

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    private Words() {}

    /** "  Enllumenat  Públic! " and "enllumenat public" normalize alike. */
    static String normalize(String text) {
        if (text == null) {
            return "";
        }
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
        String plain = MARKS.matcher(decomposed).replaceAll("");
        // The Catalan middle dot (l·l) and apostrophes would split words; drop them instead.
        plain = plain.replace("·", "").replace("'", "").replace("’", "");
        return NOT_WORD.matcher(plain.toLowerCase(Locale.ROOT)).replaceAll(" ").trim();
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

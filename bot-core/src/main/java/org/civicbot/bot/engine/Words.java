package org.civicbot.bot.engine;

import java.text.Normalizer;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
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
            String typed = normalize(text);
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

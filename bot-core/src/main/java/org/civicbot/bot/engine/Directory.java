package org.civicbot.bot.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.civicbot.flows.Node;

/**
 * Finds the entries of a town's directory a citizen's words name ("policia", "on és la biblioteca?"), in any
 * language, case and accents aside, and a word's endings too ("biblioteques" finds "biblioteca").
 */
final class Directory {

    /** At most this many entries answer one search: more would not help anyone choose. */
    static final int MAX_FOUND = 5;
    /** Shorter words ("la", "de", "on") name nothing. */
    private static final int MIN_WORD = 3;
    /** Two words this long that begin alike are the same word with another ending. */
    private static final int STEM = 5;

    private Directory() {}

    /** The entries named by {@code text}, the best first; none when it names none. */
    static List<Node.Entry> search(List<Node.Entry> entries, String text) {
        List<Set<String>> vocabularies = entries.stream().map(Directory::vocabulary).toList();
        Set<String> asked = new LinkedHashSet<>();
        for (String word : Words.normalize(text).split(" ")) {
            if (word.length() >= MIN_WORD) {
                asked.add(word);
            }
        }
        int[] scores = new int[entries.size()];
        for (String word : asked) {
            List<Integer> naming = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                if (names(vocabularies.get(i), word)) {
                    naming.add(i);
                }
            }
            // A word most entries share ("telèfon", "horari") tells them apart from nothing.
            if (entries.size() > 2 && naming.size() * 2 > entries.size()) {
                continue;
            }
            naming.forEach(i -> scores[i]++);
        }
        int best = 0;
        for (int score : scores) {
            best = Math.max(best, score);
        }
        List<Node.Entry> found = new ArrayList<>();
        for (int i = 0; i < entries.size() && best > 0 && found.size() < MAX_FOUND; i++) {
            if (scores[i] == best) {
                found.add(entries.get(i));
            }
        }
        return found;
    }

    private static Set<String> vocabulary(Node.Entry entry) {
        Set<String> words = new HashSet<>();
        List<String> phrases = new ArrayList<>(entry.name().values().values());
        phrases.addAll(entry.keywords().all());
        for (String phrase : phrases) {
            for (String word : Words.normalize(phrase).split(" ")) {
                if (word.length() >= MIN_WORD) {
                    words.add(word);
                }
            }
        }
        return words;
    }

    private static boolean names(Set<String> vocabulary, String word) {
        if (vocabulary.contains(word)) {
            return true;
        }
        if (word.length() < STEM) {
            return false;
        }
        String stem = word.substring(0, STEM);
        return vocabulary.stream().anyMatch(known -> known.length() >= STEM && known.startsWith(stem)
                && Math.abs(known.length() - word.length()) <= 3 && commonPrefix(known, word) >= Math.min(known.length(),
                word.length()) - 3);
    }

    private static int commonPrefix(String a, String b) {
        int n = 0;
        while (n < a.length() && n < b.length() && a.charAt(n) == b.charAt(n)) {
            n++;
        }
        return n;
    }
}

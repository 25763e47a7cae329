package org.civicbot.bot.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.util.BytesRef;

/**
 * One field of the phrase index: its terms with their document frequencies, and a typed word's near spellings among
 * them, found as Lucene's {@code FuzzyQuery(term, maxEdits, prefixLength 1, maxExpansions 20, transpositions)} finds
 * them, but from maps built once rather than from Levenshtein automata built for every word of every message (half
 * of a sentence's turn): the index only changes when flows are published.
 *
 * <p>The maps are symmetric deletes: every term under each string it becomes with up to two of its letters deleted
 * (never the first, which a near spelling shares). Two words within {@code k} edits (insertions, deletions,
 * substitutions, swaps of two neighbours) become the same string with at most {@code k} deletions each, so the
 * typed word's own deletions find every term that may be near; its distance then decides, counted as Lucene's
 * automaton counts it: in code points, a swap as one edit, no letter edited twice (optimal string alignment).
 */
final class Vocabulary {

    /** The terms {@code FuzzyQuery}'s default rewrite keeps per typed word, the best first: its maxExpansions. */
    static final int MAX_EXPANSIONS = 20;
    /** The most edits a near spelling may have ({@code LevenshteinAutomata.MAXIMUM_SUPPORTED_DISTANCE}). */
    static final int MAX_EDITS = 2;

    /** A term of the field (by its place in the index's order) near a typed word, and the weight of its clause. */
    record Spelling(int ordinal, float boost) {}

    /** TopTermsRewrite's order: the higher boost first, then the term first in the index's order. */
    private static final Comparator<Spelling> BEST_FIRST = (a, b) -> a.boost() == b.boost()
            ? Integer.compare(a.ordinal(), b.ordinal()) : Float.compare(b.boost(), a.boost());
    private static final int[] NONE = {};

    /** The terms in the index's order (their UTF-8 bytes'), which breaks ties between equal boosts as Lucene does. */
    private final String[] terms;
    private final int[][] codePoints;
    private final int[] docFreqs;
    private final Map<String, Integer> ordinals = new HashMap<>();
    private final Map<Character, int[]> byFirstChar = new HashMap<>();
    /**
     * For 1 and 2 edits ({@link #MAX_EDITS}): each string a term becomes with up to that many deletions, to the terms
     * it comes from.
     */
    private final List<Map<String, int[]>> byVariant = new ArrayList<>();
    /** The terms with a surrogate char. */
    private final int[] withSurrogates;

    /** Reads the terms of {@code field}, in the index's order; {@code null} is a field no phrase has. */
    Vocabulary(Terms field) throws IOException {
        List<String> listed = new ArrayList<>();
        List<Integer> frequencies = new ArrayList<>();
        if (field != null) {
            TermsEnum each = field.iterator();
            for (BytesRef term = each.next(); term != null; term = each.next()) {
                listed.add(term.utf8ToString());
                frequencies.add(each.docFreq());
            }
        }
        this.terms = listed.toArray(String[]::new);
        this.codePoints = new int[terms.length][];
        this.docFreqs = frequencies.stream().mapToInt(Integer::intValue).toArray();
        this.withSurrogates = IntStream.range(0, terms.length)
                .filter(ordinal -> !basicPlaneOnly(terms[ordinal])).toArray();
        List<Map<String, Set<Integer>>> variants = new ArrayList<>();
        for (int edits = 1; edits <= MAX_EDITS; edits++) {
            variants.add(new HashMap<>());
        }
        for (int ordinal = 0; ordinal < terms.length; ordinal++) {
            ordinals.put(terms[ordinal], ordinal);
            codePoints[ordinal] = terms[ordinal].codePoints().toArray();
            for (int edits = 1; edits <= MAX_EDITS; edits++) {
                int term = ordinal;
                for (String variant : deletions(codePoints[ordinal], edits)) {
                    variants.get(edits - 1).computeIfAbsent(variant, v -> new LinkedHashSet<>()).add(term);
                }
            }
        }
        Map<Character, List<Integer>> firstChars = new HashMap<>();
        for (int ordinal = 0; ordinal < terms.length; ordinal++) {
            firstChars.computeIfAbsent(terms[ordinal].charAt(0), c -> new ArrayList<>()).add(ordinal);
        }
        firstChars.forEach((first, starting) -> byFirstChar.put(first,
                starting.stream().mapToInt(Integer::intValue).toArray()));
        for (Map<String, Set<Integer>> map : variants) {
            Map<String, int[]> frozen = new HashMap<>();
            map.forEach((variant, from) -> frozen.put(variant, from.stream().mapToInt(Integer::intValue).toArray()));
            byVariant.add(frozen);
        }
    }

    /** The term's place in the index's order; -1 for a term the field does not have. */
    int ordinal(String term) {
        return ordinals.getOrDefault(term, -1);
    }

    String term(int ordinal) {
        return terms[ordinal];
    }

    /** The terms (their ordinals) whose first char is {@code first}. */
    int[] startingWith(char first) {
        return byFirstChar.getOrDefault(first, NONE);
    }

    /** Whether {@code text} is written in chars of the Basic Multilingual Plane only, none half of a pair. */
    static boolean basicPlaneOnly(String text) {
        return text.chars().noneMatch(c -> Character.isSurrogate((char) c));
    }

    /** How many terms the field has. */
    int size() {
        return terms.length;
    }

    /** In how many documents of the field the term is. */
    int docFreq(int ordinal) {
        return docFreqs[ordinal];
    }

    /** In how many documents of the field {@code term} is; 0 when none. */
    int docFreq(String term) {
        int ordinal = ordinal(term);
        return ordinal < 0 ? 0 : docFreqs[ordinal];
    }

    /**
     * The terms within {@code maxEdits} of {@code word} that share its first letter, as {@code FuzzyQuery}'s
     * {@code TopTermsBlendedFreqScoringRewrite} keeps them: by boost, {@code 1 - edits / the shorter one's length}
     * (1 for the word itself), the earlier term first among equal boosts, {@link #MAX_EXPANSIONS} at most.
     */
    List<Spelling> near(String word, int maxEdits) {
        int[] typed = word.codePoints().toArray();
        Map<String, int[]> variants = byVariant.get(maxEdits - 1);
        List<Integer> seen = new ArrayList<>();
        List<Spelling> kept = new ArrayList<>();
        for (String variant : deletions(typed, maxEdits)) {
            for (int ordinal : variants.getOrDefault(variant, NONE)) {
                if (seen.contains(ordinal)) {
                    continue;
                }
                seen.add(ordinal);
                int edits = distance(typed, codePoints[ordinal], maxEdits);
                if (edits <= maxEdits) {
                    // FuzzyTermsEnum's similarity, in the same float arithmetic.
                    float boost = edits == 0 ? 1.0f
                            : 1.0f - (float) edits / (float) Math.min(codePoints[ordinal].length, typed.length);
                    kept.add(new Spelling(ordinal, boost));
                }
            }
        }
        kept.sort(BEST_FIRST);
        return kept.subList(0, Math.min(MAX_EXPANSIONS, kept.size()));
    }

    /**
     * The terms that may be within {@code maxEdits} Levenshtein edits, counted in chars, of {@code word}, a word
     * with no surrogate char, and start with its first char (all of them, and others), in the index's order: those
     * that become the same string as {@code word} with up to {@code maxEdits} code points deleted from each, the first
     * never (a substitution is a deletion on both sides, an insertion one on the other side, and two words that start
     * alike have a closest alignment that keeps the first), and every term with a surrogate char, where code points
     * and chars part ways (an emoji in a command's examples).
     */
    int[] candidates(String word, int maxEdits) {
        Map<String, int[]> variants = byVariant.get(maxEdits - 1);
        BitSet found = new BitSet(terms.length);
        for (String variant : deletions(word.codePoints().toArray(), maxEdits)) {
            for (int ordinal : variants.getOrDefault(variant, NONE)) {
                found.set(ordinal);
            }
        }
        for (int ordinal : withSurrogates) {
            found.set(ordinal);
        }
        return found.stream().toArray();
    }

    /**
     * The strings {@code word} becomes with up to {@code edits} code points deleted, the first never (a near
     * spelling shares it: FuzzyQuery's prefix length 1), itself included.
     */
    static Set<String> deletions(int[] word, int edits) {
        Set<String> variants = new LinkedHashSet<>();
        delete(word, 1, edits, variants);
        return variants;
    }

    private static void delete(int[] word, int from, int edits, Set<String> variants) {
        variants.add(new String(word, 0, word.length));
        if (edits == 0) {
            return;
        }
        for (int i = from; i < word.length; i++) {
            int[] shorter = new int[word.length - 1];
            System.arraycopy(word, 0, shorter, 0, i);
            System.arraycopy(word, i + 1, shorter, i, shorter.length - i);
            delete(shorter, i, edits - 1, variants);
        }
    }

    /**
     * The optimal string alignment distance between {@code a} and {@code b} (what {@code LevenshteinAutomata} with
     * transpositions accepts), or {@code max + 1} when their first code points differ or it is over {@code max}.
     */
    static int distance(int[] a, int[] b, int max) {
        if (a.length == 0 || b.length == 0 || a[0] != b[0] || Math.abs(a.length - b.length) > max) {
            return max + 1;
        }
        int[] previous2 = new int[b.length];
        int[] previous = new int[b.length];
        int[] current = new int[b.length];
        // Row and column 0 are the shared first code point: align the rest.
        for (int j = 0; j < b.length; j++) {
            previous[j] = j;
        }
        for (int i = 1; i < a.length; i++) {
            current[0] = i;
            int best = current[0];
            for (int j = 1; j < b.length; j++) {
                int cost = a[i] == b[j] ? 0 : 1;
                int d = Math.min(Math.min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i] == b[j - 1] && a[i - 1] == b[j]) {
                    d = Math.min(d, previous2[j - 2] + 1);
                }
                current[j] = d;
                best = Math.min(best, d);
            }
            if (best > max) {
                return max + 1;
            }
            int[] spare = previous2;
            previous2 = previous;
            previous = current;
            current = spare;
        }
        return Math.min(previous[b.length - 1], max + 1);
    }
}

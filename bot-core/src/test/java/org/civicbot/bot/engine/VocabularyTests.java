package org.civicbot.bot.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.apache.lucene.analysis.core.WhitespaceAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BlendedTermQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.automaton.ByteRunAutomaton;
import org.apache.lucene.util.automaton.CompiledAutomaton;
import org.apache.lucene.util.automaton.LevenshteinAutomata;
import org.junit.jupiter.api.Test;

class VocabularyTests {

    /** Letters of one, two and four UTF-8 bytes: the distance counts code points, as the automaton does. */
    static final int[] ALPHABET = {'a', 'b', 'é', 0x1F600};

    /**
     * Every word of two to four letters over a small alphabet against every word of up to six: a near spelling by
     * {@link Vocabulary#distance} is exactly what the automaton {@code FuzzyQuery} builds (prefix 1, transpositions)
     * accepts, for one edit and for two.
     */
    @Test
    void countsEditsAsLuceneFuzzyAutomataDo() {
        List<int[]> candidates = words(6);
        List<String> disagreements = new ArrayList<>();
        int compared = 0;
        for (int[] word : words(4)) {
            if (word.length < 2) {
                continue;
            }
            for (int edits = 1; edits <= Vocabulary.MAX_EDITS; edits++) {
                ByteRunAutomaton automaton = fuzzyAutomaton(word, edits);
                for (int[] candidate : candidates) {
                    byte[] bytes = new String(candidate, 0, candidate.length).getBytes(StandardCharsets.UTF_8);
                    if (automaton.run(bytes, 0, bytes.length) != Vocabulary.distance(word, candidate, edits) <= edits) {
                        disagreements.add(Arrays.toString(word) + " ~" + edits + " " + Arrays.toString(candidate));
                    }
                    compared++;
                }
            }
        }
        assertThat(disagreements).isEmpty();
        assertThat(compared).isGreaterThan(3_000_000);
    }

    /**
     * A field crowded with near spellings of a few words, many more than twenty each, at one and two edits, of
     * shorter and longer lengths and with letters of two and four bytes: for each word and many of its misspellings,
     * the same terms and boosts as {@code FuzzyQuery}'s own rewrite (which prints them with every float digit).
     */
    @Test
    void keepsTheTwentySpellingsFuzzyQueryKeeps() throws IOException {
        Random random = new Random(15);
        List<String> bases = List.of("farola", "carrer", "enllumenat", "contenidors", "fanal", "clavegueram");
        Set<String> vocabulary = new TreeSet<>(bases);
        for (String base : bases) {
            for (int i = 0; i < 300; i++) {
                vocabulary.add(misspell(misspell(base, random), random));
                vocabulary.add(misspell(base, random));
            }
        }
        IndexSearcher searcher = new IndexSearcher(DirectoryReader.open(field(vocabulary)));
        Vocabulary near = new Vocabulary(MultiTerms.getTerms(searcher.getIndexReader(), "f"));
        int compared = 0;
        int mostKept = 0;
        for (String base : bases) {
            for (int i = 0; i < 40; i++) {
                String word = i == 0 ? base : misspell(base, random);
                int length = word.codePointCount(0, word.length());
                if (length < 2) {
                    continue;
                }
                for (int edits = 1; edits <= Vocabulary.MAX_EDITS; edits++) {
                    Query fuzzy = new FuzzyQuery(new Term("f", word), edits, 1, Vocabulary.MAX_EXPANSIONS, true);
                    BlendedTermQuery.Builder blended = new BlendedTermQuery.Builder();
                    List<Vocabulary.Spelling> spellings = near.near(word, edits);
                    spellings.forEach(s -> blended.add(new Term("f", near.term(s.ordinal())), s.boost()));
                    mostKept = Math.max(mostKept, spellings.size());
                    assertThat(blended.build().toString()).as("%s ~%d", word, edits)
                            .isEqualTo(fuzzy.rewrite(searcher).toString());
                    compared++;
                }
            }
        }
        assertThat(compared).isGreaterThan(400);
        assertThat(mostKept).as("the cut at twenty reached").isEqualTo(Vocabulary.MAX_EXPANSIONS);
    }

    /**
     * The candidates hold every term within one and two Levenshtein edits (in chars, as {@code Understanding.close}
     * counts them) that starts with the same letter, for a typed word with no surrogate char: every word of two to
     * five letters over a small alphabet against every word of up to six; and misspellings of words of five to eleven
     * letters, by one and two typos (some an emoji), against a field crowded with more of them.
     */
    @Test
    void leadsToEveryTermWithinTheEditsThatStartsAlike() throws IOException {
        List<String> all = new ArrayList<>();
        for (int[] word : words(6, new int[] {'a', 'b', 'é'})) {
            if (word.length > 0) {
                all.add(new String(word, 0, word.length));
            }
        }
        int found = assertLeadsToEveryTermWithin(all, all.stream().filter(w -> w.length() >= 2 && w.length() <= 5)
                .toList());
        assertThat(found).isGreaterThan(50_000);

        Random random = new Random(15);
        Set<String> crowded = new TreeSet<>();
        List<String> typed = new ArrayList<>();
        for (String base : List.of("farola", "carrer", "enllumenat", "contenidors", "fanal", "clavegueram",
                "escombraries")) {
            crowded.add(base);
            typed.add(base);
            for (int i = 0; i < 200; i++) {
                crowded.add(misspell(misspell(base, random), random));
                crowded.add(misspell(base, random));
                String word = i % 2 == 0 ? misspell(base, random) : misspell(misspell(base, random), random);
                if (word.chars().noneMatch(c -> Character.isSurrogate((char) c))) {
                    typed.add(word);
                }
            }
        }
        assertThat(crowded).anyMatch(term -> term.codePointCount(0, term.length()) < term.length());
        assertThat(typed).anyMatch(word -> word.length() >= 10).anyMatch(word -> word.length() == 9);
        found = assertLeadsToEveryTermWithin(new ArrayList<>(crowded), typed);
        assertThat(found).isGreaterThan(5_000);
    }

    /** The terms within the edits of the typed words; fails naming each the candidates do not hold. */
    private static int assertLeadsToEveryTermWithin(List<String> terms, List<String> typed) throws IOException {
        Vocabulary vocabulary = new Vocabulary(MultiTerms.getTerms(DirectoryReader.open(field(terms)), "f"));
        assertThat(vocabulary.size()).isEqualTo(new TreeSet<>(terms).size());
        List<String> missed = new ArrayList<>();
        int found = 0;
        for (String word : typed) {
            for (int edits = 1; edits <= Vocabulary.MAX_EDITS; edits++) {
                LevenshteinDistance within = new LevenshteinDistance(edits);
                Set<String> candidates = new TreeSet<>();
                for (int ordinal : vocabulary.candidates(word, edits)) {
                    candidates.add(vocabulary.term(ordinal));
                }
                for (String term : terms) {
                    if (term.charAt(0) == word.charAt(0) && within.apply(word, term) >= 0) {
                        found++;
                        if (!candidates.contains(term)) {
                            missed.add(word + " ~" + edits + " " + term);
                        }
                    }
                }
            }
        }
        assertThat(missed).isEmpty();
        return found;
    }

    /** An index whose field {@code f} has each of {@code terms}, one document each. */
    private static ByteBuffersDirectory field(Collection<String> terms) throws IOException {
        ByteBuffersDirectory directory = new ByteBuffersDirectory();
        try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(new WhitespaceAnalyzer()))) {
            for (String term : terms) {
                Document document = new Document();
                document.add(new TextField("f", term, Field.Store.NO));
                writer.addDocument(document);
            }
        }
        return directory;
    }

    /** {@code word} with one letter dropped, swapped with the next, replaced or added. */
    private static String misspell(String word, Random random) {
        int[] letters = word.codePoints().toArray();
        int[] others = {'a', 'e', 'o', 'r', 'l', 'é', 0x1F600};
        List<Integer> out = new ArrayList<>(Arrays.stream(letters).boxed().toList());
        int at = 1 + random.nextInt(Math.max(1, out.size() - 1));
        switch (random.nextInt(4)) {
            case 0 -> out.remove(Math.min(at, out.size() - 1));
            case 1 -> {
                if (at + 1 < out.size()) {
                    out.add(at + 1, out.remove(at));
                }
            }
            case 2 -> out.set(Math.min(at, out.size() - 1), others[random.nextInt(others.length)]);
            default -> out.add(at, others[random.nextInt(others.length)]);
        }
        return out.stream().map(Character::toString).reduce("", String::concat);
    }

    /** As {@code FuzzyAutomatonBuilder} makes it: the first code point as a fixed prefix, the rest fuzzy. */
    private static ByteRunAutomaton fuzzyAutomaton(int[] word, int edits) {
        int[] suffix = Arrays.copyOfRange(word, 1, word.length);
        LevenshteinAutomata levenshtein = new LevenshteinAutomata(suffix, Character.MAX_CODE_POINT, true);
        return new CompiledAutomaton(levenshtein.toAutomaton(edits, new String(word, 0, 1)), true, false)
                .runAutomaton;
    }

    private static List<int[]> words(int maxLength) {
        return words(maxLength, ALPHABET);
    }

    private static List<int[]> words(int maxLength, int[] alphabet) {
        List<int[]> words = new ArrayList<>();
        words.add(new int[0]);
        for (int i = 0; i < words.size(); i++) {
            int[] word = words.get(i);
            if (word.length < maxLength) {
                for (int letter : alphabet) {
                    int[] longer = Arrays.copyOf(word, word.length + 1);
                    longer[word.length] = letter;
                    words.add(longer);
                }
            }
        }
        return words;
    }
}

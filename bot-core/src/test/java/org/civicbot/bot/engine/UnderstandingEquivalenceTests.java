package org.civicbot.bot.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.civicbot.flows.FlowBundle;
import org.civicbot.flows.Flows;
import org.civicbot.flows.Intents;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * {@link Understanding#hits}, which finds near spellings in its {@link Vocabulary} and scores over postings read
 * once, against Lucene's search with a {@code FuzzyQuery} per long word ({@link Understanding#hitsByFuzzyQueries}),
 * which it replaced, on the default flows: every message of the labelled set, every phrase of the flows, and
 * misspellings of both (a letter of a long word dropped, swapped with the next or replaced, deterministic), must
 * give the same phrases in the same order, the same scores (to the bit, well within the 1e-6 a float sum in another
 * order could move them) and the same coverage.
 */
class UnderstandingEquivalenceTests {

    static final long SEED = 15;
    /** Letters a typo may bring: plain, accented, and ones the analyzers leave as they are. */
    static final String TYPED = "aeiourstlncdpmbgvfhqjzxykwàèéíòóúïüç·ñ😀ж";

    @Test
    void findsTheSameHitsAsLuceneFuzzyQueries() throws IOException {
        FlowBundle flows = Flows.load(Flows.defaults());
        Understanding understanding = new Understanding(flows);
        Set<String> texts = texts(flows);
        List<String> different = new ArrayList<>();
        int withHits = 0;
        for (String text : texts) {
            List<Understanding.Candidate> expected = understanding.hitsByFuzzyQueries(text);
            List<Understanding.Candidate> actual = understanding.hits(text);
            withHits += expected.isEmpty() ? 0 : 1;
            if (!same(expected, actual)) {
                different.add(String.format(Locale.ROOT, "\"%s\"%n  expected %s%n  actual   %s", text,
                        describe(expected), describe(actual)));
            }
        }
        System.out.printf(Locale.ROOT, "%d texts compared (%d with hits), %d different%n", texts.size(), withHits,
                different.size());
        assertThat(different).as("texts read differently").isEmpty();
        assertThat(texts).hasSizeGreaterThan(6_000);
    }

    /**
     * {@link Understanding#mayBeWholeCommand}, which spares a free-text answer its reading, never rules out a
     * command the reading finds said whole, on the same texts; and it does rule out most of them.
     */
    @Test
    void readsEveryWholeCommandItMayBe() throws IOException {
        FlowBundle flows = Flows.load(Flows.defaults());
        Understanding understanding = new Understanding(flows);
        List<String> missed = new ArrayList<>();
        int commands = 0;
        int ruledOut = 0;
        Set<String> texts = texts(flows);
        for (String text : texts) {
            boolean whole = understanding.read(text, Set.of()).wholeCommand().isPresent();
            boolean may = understanding.mayBeWholeCommand(text);
            commands += whole ? 1 : 0;
            ruledOut += may ? 0 : 1;
            if (whole && !may) {
                missed.add(text);
            }
        }
        System.out.printf(Locale.ROOT, "%d texts, %d whole commands, %d ruled out%n", texts.size(), commands, ruledOut);
        assertThat(missed).as("whole commands ruled out").isEmpty();
        assertThat(commands).isGreaterThan(100);
        assertThat(ruledOut).isGreaterThan(texts.size() / 2);
    }

    /**
     * Every message of the labelled set, every phrase of the flows, three misspellings of each, and a few odd
     * messages.
     */
    @SuppressWarnings("unchecked")
    private static Set<String> texts(FlowBundle flows) throws IOException {
        Set<String> texts = new LinkedHashSet<>();
        for (Map<String, String> entry : (List<Map<String, String>>) new Yaml().load(
                Files.readString(UnderstandingAccuracyTests.SET, StandardCharsets.UTF_8))) {
            texts.add(entry.get("text"));
        }
        Intents.of(flows).forEach(phrase -> texts.add(phrase.text()));
        Random random = new Random(SEED);
        for (String text : List.copyOf(texts)) {
            for (int typos = 1; typos <= 3; typos++) {
                texts.add(misspell(text, typos, random));
            }
        }
        // The odd message: a long word that takes two typos, a word with a letter outside the BMP, an unpaired
        // surrogate, a word of another script.
        texts.addAll(List.of("enllumanament public", "la farola😀 no s'encen", "farol\uD800a trencada",
                "фонарь не горит", "contenidorrs plens", ""));
        return texts;
    }

    private static boolean same(List<Understanding.Candidate> expected, List<Understanding.Candidate> actual) {
        if (expected.size() != actual.size()) {
            return false;
        }
        for (int i = 0; i < expected.size(); i++) {
            Understanding.Candidate e = expected.get(i);
            Understanding.Candidate a = actual.get(i);
            if (!e.phrase().equals(a.phrase()) || e.score() != a.score() || e.coverage() != a.coverage()) {
                return false;
            }
        }
        return true;
    }

    private static String describe(List<Understanding.Candidate> hits) {
        return hits.stream().map(c -> String.format(Locale.ROOT, "%s %.9g %.4f", c.phrase().text(), c.score(),
                c.coverage())).toList().toString();
    }

    /** {@code text} with {@code typos} of its words of five letters or more misspelled once each. */
    static String misspell(String text, int typos, Random random) {
        String[] words = text.split(" ");
        List<Integer> longWords = new ArrayList<>();
        for (int i = 0; i < words.length; i++) {
            if (words[i].codePointCount(0, words[i].length()) >= Understanding.ONE_TYPO_FROM) {
                longWords.add(i);
            }
        }
        for (int n = 0; n < typos && !longWords.isEmpty(); n++) {
            int i = longWords.remove(random.nextInt(longWords.size()));
            int[] letters = words[i].codePoints().toArray();
            StringBuilder word = new StringBuilder();
            int at = random.nextInt(letters.length);
            int kind = random.nextInt(3);
            for (int j = 0; j < letters.length; j++) {
                if (j == at && kind == 0) {
                    continue;
                } else if (j == at && kind == 1 && j + 1 < letters.length) {
                    word.appendCodePoint(letters[j + 1]).appendCodePoint(letters[j]);
                    j++;
                } else if (j == at && kind == 2) {
                    word.appendCodePoint(TYPED.codePointAt(TYPED.offsetByCodePoints(0,
                            random.nextInt(TYPED.codePointCount(0, TYPED.length())))));
                } else {
                    word.appendCodePoint(letters[j]);
                }
            }
            words[i] = word.toString();
        }
        return String.join(" ", words);
    }
}

package org.civicbot.bot.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.civicbot.flows.Command;
import org.civicbot.flows.FlowBundle;
import org.civicbot.flows.Intents;
import org.civicbot.flows.Language;
import org.civicbot.flows.Phrases;

/**
 * Reads a sentence for what it names: ranks every target of the flows (services, incident categories, global
 * commands) by how well the sentence matches its example phrases, keywords and labels, with BM25 over an
 * in-memory Lucene index built once per published set of flows. Each phrase is indexed in its own language's
 * field and the sentence is analysed in all three, so it does not matter which language it is written in; a
 * target scores as its best-matching phrase. Misspellings match through fuzzy terms. The index is read into a
 * {@link Vocabulary} and {@link Bm25Postings} per field when built, and a sentence is scored over those as
 * Lucene's search with a {@code FuzzyQuery} per long word scores it, to the bit, without a query per message.
 *
 * <p>Also tells a sentence's language when it is clear: by words only one of the three languages uses.
 */
final class Understanding {

    /** A target wins outright when it scores at least this... */
    static final double MIN_SCORE = 2.5;
    /** ...and the runner-up scores less than this share of it; otherwise the bot asks which one. */
    static final double CLEAR_MARGIN = 0.8;
    /**
     * A target this strong is offered in a clarifying question when none is clear: a question is only worth
     * asking about a sentence that clearly is about something the bot offers.
     */
    static final double MIN_OFFER_SCORE = 3.5;
    /** A message of one word is matched only when the word has at least this many letters (an emoji always is). */
    static final int MIN_LONE_WORD = 4;
    /** A message switches language with at least this many words only that language uses... */
    static final int MIN_LANGUAGE_WORDS = 2;
    /** ...and this many times as many as the other two languages' words together. */
    static final int LANGUAGE_DOMINANCE = 3;
    /** Phrases looked at per sentence, best first. */
    static final int MAX_HITS = 50;
    /** A message with more terms than this is a text to keep (a description), not a request to route. */
    static final int MAX_TERMS = 60;
    /** A target's score is its best phrase's plus this share of its second best's. */
    static final double SECOND_PHRASE_WEIGHT = 0.5;
    /**
     * A message whose best target scores this much is about something the bot offers even when it is not clear
     * what: it is answered with what the bot can help with, never a bare "not understood".
     */
    static final double MIN_HINT_SCORE = 1.5;
    /** Targets offered in one clarifying question, at most. */
    static final int MAX_OFFERED = 3;
    /** The options of the menu the citizen is answering weigh this much more than the rest. */
    static final double LOCAL_BOOST = 1.3;
    /** Words at least this long match with one typo; at {@link #TWO_TYPOS_FROM}, with two. */
    static final int ONE_TYPO_FROM = 5;
    static final int TWO_TYPOS_FROM = 10;

    /** Levenshtein distances that give up (answer -1) past one typo, and past two: only whether it is within counts. */
    private static final LevenshteinDistance WITHIN_ONE = new LevenshteinDistance(1);
    private static final LevenshteinDistance WITHIN_TWO = new LevenshteinDistance(2);
    private static final Pattern NOT_LETTER = Pattern.compile("[^\\p{L}]+");
    private static final int[] NONE = {};

    private final List<Intents.Phrase> phrases;
    private final List<Set<String>> phraseTerms = new ArrayList<>();
    /**
     * The same, as places in the phrase's language's vocabulary (a phrase's terms are all there), and for each
     * language, each term's {@link #close} terms: what coverage compares, found once.
     */
    private final BitSet[] phraseOrdinals;
    private final Map<Language, int[][]> closeByOrdinal = new EnumMap<>(Language.class);
    /** Each language's terms that its command phrases have: all {@link #mayBeWholeCommand} needs to know of them. */
    private final Map<Language, BitSet> commandTerms = new EnumMap<>(Language.class);
    private final IndexSearcher searcher;
    private final Set<String> phraseKeys = new HashSet<>();
    private final Map<Language, Set<String>> ownWords = new EnumMap<>(Language.class);
    /**
     * Each language's count of phrases, and its field's terms: their document frequencies, for {@link #idf}, and
     * their near spellings, for the fuzzy clauses. Read once from the index, which never changes, instead of a seek
     * in its term dictionary for every term of every hit and a Levenshtein automaton for every word of every message.
     */
    private final Map<Language, Integer> docCounts = new EnumMap<>(Language.class);
    private final Map<Language, Vocabulary> vocabularies = new EnumMap<>(Language.class);
    /** Each language's postings, in the vocabulary's order, to score a sentence without a Lucene query. */
    private final Map<Language, Bm25Postings> postings = new EnumMap<>(Language.class);
    /** Each document's phrase (its stored field), read once rather than from the stored fields for every hit. */
    private final int[] phraseOfDoc;

    Understanding(FlowBundle flows) {
        this.phrases = Intents.of(flows);
        Map<String, Analyzer> byField = new HashMap<>();
        for (Language language : Language.values()) {
            byField.put(language.code(), Phrases.analyzer(language));
        }
        ByteBuffersDirectory directory = new ByteBuffersDirectory();
        IndexWriterConfig config = new IndexWriterConfig(new PerFieldAnalyzerWrapper(new StandardAnalyzer(), byField));
        try (IndexWriter writer = new IndexWriter(directory, config)) {
            for (int i = 0; i < phrases.size(); i++) {
                Intents.Phrase phrase = phrases.get(i);
                phraseTerms.add(new HashSet<>(Phrases.terms(phrase.language(), phrase.text())));
                phraseKeys.add(phrase.language().code() + " " + Phrases.key(phrase.language(), phrase.text()));
                Document document = new Document();
                document.add(new StoredField("phrase", i));
                document.add(new TextField(phrase.language().code(), phrase.text(), Field.Store.NO));
                writer.addDocument(document);
            }
            // One segment, whatever the writer's buffers: its postings are read in one pass.
            writer.forceMerge(1);
        } catch (IOException e) {
            throw new UncheckedIOException("an in-memory index cannot fail to write", e);
        }
        try {
            this.searcher = new IndexSearcher(DirectoryReader.open(directory));
            readFrequencies(searcher.getIndexReader());
            this.phraseOfDoc = phrasesByDoc(searcher.getIndexReader());
            this.phraseOrdinals = phraseOrdinals();
        } catch (IOException e) {
            throw new UncheckedIOException("an in-memory index cannot fail to open", e);
        }
        learnLanguages(flows);
    }

    /** What {@link IndexReader#getDocCount} answers for each language, and the terms and postings of its field. */
    private void readFrequencies(IndexReader reader) throws IOException {
        // Flows with no phrase at all make an index with no segment.
        LeafReader segment = reader.leaves().isEmpty() ? null : reader.leaves().get(0).reader();
        for (Language language : Language.values()) {
            docCounts.put(language, reader.getDocCount(language.code()));
            vocabularies.put(language, new Vocabulary(segment == null ? null : segment.terms(language.code())));
            postings.put(language, new Bm25Postings(segment, language.code()));
        }
    }

    private BitSet[] phraseOrdinals() {
        BitSet[] ordinals = new BitSet[phrases.size()];
        for (int i = 0; i < ordinals.length; i++) {
            Vocabulary vocabulary = vocabularies.get(phrases.get(i).language());
            ordinals[i] = new BitSet();
            for (String term : phraseTerms.get(i)) {
                ordinals[i].set(vocabulary.ordinal(term));
            }
        }
        for (Language language : Language.values()) {
            Vocabulary vocabulary = vocabularies.get(language);
            int[][] close = new int[vocabulary.size()][];
            for (int ordinal = 0; ordinal < close.length; ordinal++) {
                close[ordinal] = close(vocabulary.term(ordinal), vocabulary);
            }
            closeByOrdinal.put(language, close);
            commandTerms.put(language, new BitSet());
        }
        for (int i = 0; i < ordinals.length; i++) {
            if (phrases.get(i).command().isPresent()) {
                commandTerms.get(phrases.get(i).language()).or(ordinals[i]);
            }
        }
        return ordinals;
    }

    private static int[] phrasesByDoc(IndexReader reader) throws IOException {
        StoredFields stored = reader.storedFields();
        int[] phrases = new int[reader.maxDoc()];
        for (int doc = 0; doc < phrases.length; doc++) {
            phrases[doc] = stored.document(doc).getField("phrase").numericValue().intValue();
        }
        return phrases;
    }

    /** A target and how well the sentence matched it. */
    record Candidate(String target, double score, Intents.Phrase phrase, double coverage) {}

    /**
     * What a sentence may mean, best first: one candidate per target.
     *
     * @param candidates the targets that matched, best first
     */
    record Reading(List<Candidate> candidates) {

        /** The one target the sentence clearly names, if it does. */
        Optional<Candidate> clear() {
            if (candidates.isEmpty() || candidates.get(0).score() < MIN_SCORE) {
                return Optional.empty();
            }
            if (candidates.size() > 1 && candidates.get(1).score() >= candidates.get(0).score() * CLEAR_MARGIN) {
                return Optional.empty();
            }
            return Optional.of(candidates.get(0));
        }

        /** The two or three targets worth a clarifying question, when none is clear. */
        List<Candidate> offered() {
            if (clear().isPresent() || candidates.isEmpty() || candidates.get(0).score() < MIN_OFFER_SCORE) {
                return List.of();
            }
            double floor = candidates.get(0).score() * CLEAR_MARGIN;
            return candidates.stream().filter(c -> c.score() >= floor).limit(MAX_OFFERED).toList();
        }

        /**
         * A command said as the whole message ("gràcies", "vull parlar amb una persona"), not a word of it
         * inside something else: at a question that takes free text, only this interrupts.
         */
        Optional<Candidate> wholeCommand() {
            return clear().filter(c -> c.phrase().command().isPresent() && c.coverage() >= 1.0);
        }
    }

    /**
     * Whether {@code text} may be a command said as the whole message: when not, {@link Reading#wholeCommand} of
     * its reading is empty for sure, and a question that takes free text need not read it. A command phrase accounts
     * for the whole of a sentence ({@link Weighed#of} is 1) only when each of the sentence's terms in its language,
     * all weighing more than nothing, is one of its terms or {@link #close} to one; so when, in every language, some
     * term is neither one nor close to one of any command phrase's terms, none can.
     */
    boolean mayBeWholeCommand(String text) {
        if (text == null || text.isBlank()) {
            return false;
        }
        List<String> catalan = Phrases.terms(Language.CA, text);
        if (catalan.size() > MAX_TERMS) {
            // A whole letter, which a reading finds nothing in.
            return false;
        }
        for (Language language : Language.values()) {
            List<String> sentence = language == Language.CA ? catalan : Phrases.terms(language, text);
            if (!sentence.isEmpty() && allCommandTerms(language, sentence)) {
                return true;
            }
        }
        return false;
    }

    private boolean allCommandTerms(Language language, List<String> sentence) {
        Vocabulary vocabulary = vocabularies.get(language);
        BitSet commands = commandTerms.get(language);
        for (String term : sentence) {
            int ordinal = vocabulary.ordinal(term);
            if (ordinal >= 0 && commands.get(ordinal)) {
                continue;
            }
            int[] near = ordinal >= 0 ? closeByOrdinal.get(language)[ordinal] : close(term, vocabulary);
            if (!Weighed.anyIn(near, commands)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads {@code text}; the targets in {@code local} (the options of the menu being answered) weigh more.
     */
    Reading read(String text, Set<String> local) {
        Map<String, Candidate> byTarget = new LinkedHashMap<>();
        Map<String, Double> secondBest = new HashMap<>();
        for (Candidate hit : hits(text)) {
            double weight = local.contains(hit.target()) ? LOCAL_BOOST : 1.0;
            Candidate weighed = new Candidate(hit.target(), hit.score() * weight, hit.phrase(), hit.coverage());
            Candidate best = byTarget.get(hit.target());
            if (best == null || weighed.score() > best.score()) {
                if (best != null) {
                    secondBest.put(hit.target(), best.score());
                }
                byTarget.put(hit.target(), weighed);
            } else if (weighed.score() > secondBest.getOrDefault(hit.target(), 0.0)) {
                secondBest.put(hit.target(), weighed.score());
            }
        }
        List<Candidate> ranked = new ArrayList<>();
        for (Candidate best : byTarget.values()) {
            // A target several of whose phrases match is a likelier reading than one that matches once.
            double score = best.score() + SECOND_PHRASE_WEIGHT * secondBest.getOrDefault(best.target(), 0.0);
            ranked.add(new Candidate(best.target(), score, best.phrase(), best.coverage()));
        }
        ranked.sort(Comparator.comparingDouble(Candidate::score).reversed().thenComparing(Candidate::target));
        // "Bon dia, voldria informació": the greeting (or the thanks) is politeness around a request, which wins.
        boolean request = ranked.stream().anyMatch(c -> !courtesy(c) && c.score() >= MIN_OFFER_SCORE);
        if (request) {
            ranked.removeIf(c -> courtesy(c) && c.coverage() < 1.0);
        }
        return new Reading(List.copyOf(ranked));
    }

    /** Whether {@code text} is, word for word, one of the phrases ("ok", "bus"). */
    private boolean isPhrase(String text) {
        for (Language language : Language.values()) {
            if (phraseKeys.contains(language.code() + " " + Phrases.key(language, text))) {
                return true;
            }
        }
        return false;
    }

    private static boolean courtesy(Candidate candidate) {
        return candidate.phrase().command().filter(c -> c == Command.GREETING || c == Command.THANKS).isPresent();
    }

    /** The phrases {@code text} matches, best first, each with its BM25 score and coverage. */
    List<Candidate> hits(String text) {
        return hits(text, this::score, Weighed::new);
    }

    /**
     * The hits as this class first found them, with Lucene's search and a {@link FuzzyQuery} for every word of
     * {@link #ONE_TYPO_FROM} letters or more, and each hit's coverage reckoned afresh: what the equivalence test
     * holds {@link #hits} to.
     */
    List<Candidate> hitsByFuzzyQueries(String text) {
        return hits(text, this::searchByFuzzyQueries,
                (language, sentence) -> phrase -> coverageByScan(language, sentence, phraseTerms.get(phrase)));
    }

    /** How much of a sentence, in one language, a phrase of that language (by its index) accounts for. */
    private interface Coverage {
        double of(int phrase);
    }

    /**
     * @param search the best {@link #MAX_HITS} documents for a sentence's terms in each language
     * @param coverage for a language and the sentence's terms in it
     */
    private List<Candidate> hits(String text, Function<Map<Language, List<String>>, ScoreDoc[]> search,
            BiFunction<Language, List<String>, Coverage> coverage) {
        if (text == null || text.isBlank() || phrases.isEmpty()) {
            return List.of();
        }
        Map<Language, List<String>> terms = new EnumMap<>(Language.class);
        boolean any = false;
        for (Language language : Language.values()) {
            List<String> analysed = Phrases.terms(language, text);
            terms.put(language, analysed);
            any |= !analysed.isEmpty();
        }
        List<String> words = terms.get(Language.CA);
        String[] typed = Phrases.fold(text).strip().split("\\s+");
        String letters = typed.length == 1 ? NOT_LETTER.matcher(typed[0]).replaceAll("") : "";
        if (typed.length == 1 && !letters.isEmpty() && letters.length() < MIN_LONE_WORD && !isPhrase(text)) {
            // One short word ("res", "no", "si") means too many things once stemmed to route on its own.
            return List.of();
        }
        if (!any || words.size() > MAX_TERMS) {
            // Nothing to match, or a whole letter: that is a text to keep, not a request to route.
            return List.of();
        }
        List<Candidate> hits = new ArrayList<>();
        Map<Language, Coverage> coverages = new EnumMap<>(Language.class);
        for (ScoreDoc hit : search.apply(terms)) {
            int index = phraseOfDoc[hit.doc];
            Intents.Phrase phrase = phrases.get(index);
            double covered = coverages.computeIfAbsent(phrase.language(), l -> coverage.apply(l, terms.get(l)))
                    .of(index);
            hits.add(new Candidate(phrase.target(), hit.score, phrase, covered));
        }
        return hits;
    }

    /** One term query of a sentence's: a term of a language's field, how much it weighs, its document frequency. */
    private record Clause(Language language, int ordinal, double boost, int docFreq) {}

    /**
     * What Lucene's search with {@link #searchByFuzzyQueries} finds, scored over the postings read once: each
     * distinct term of the sentence in each language is a clause, or, from {@link #ONE_TYPO_FROM} letters, its near
     * spellings are (with the boosts and blended document frequency of the query {@code FuzzyQuery} rewrites to);
     * a term two clauses share is one clause whose boost is the sum of theirs (Lucene's rewrite of a disjunction).
     * Should two such clauses differ in document frequency, which one Lucene keeps depends on its hash order, and
     * past {@link IndexSearcher#getMaxClauseCount} clauses it refuses the query: the rare sentence that does either
     * is left to Lucene.
     */
    private ScoreDoc[] score(Map<Language, List<String>> terms) {
        List<Clause> clauses = new ArrayList<>();
        int termQueries = 0;
        for (Language language : Language.values()) {
            Vocabulary vocabulary = vocabularies.get(language);
            for (String term : new LinkedHashSet<>(terms.get(language))) {
                int length = term.codePointCount(0, term.length());
                if (length < ONE_TYPO_FROM) {
                    termQueries++;
                    int ordinal = vocabulary.ordinal(term);
                    if (ordinal >= 0) {
                        clauses.add(new Clause(language, ordinal, 1f, vocabulary.docFreq(ordinal)));
                    }
                    continue;
                }
                List<Vocabulary.Spelling> spellings = vocabulary.near(term, edits(length));
                int docFreq = 0;
                for (Vocabulary.Spelling spelling : spellings) {
                    docFreq = Math.max(docFreq, vocabulary.docFreq(spelling.ordinal()));
                }
                termQueries += spellings.size();
                for (Vocabulary.Spelling spelling : spellings) {
                    clauses.add(new Clause(language, spelling.ordinal(), spelling.boost(), docFreq));
                }
            }
        }
        List<Clause> merged = new ArrayList<>();
        for (Clause clause : clauses) {
            int same = indexOf(merged, clause);
            if (same < 0) {
                merged.add(clause);
            } else if (merged.get(same).docFreq() == clause.docFreq()) {
                merged.set(same, new Clause(clause.language(), clause.ordinal(),
                        merged.get(same).boost() + clause.boost(), clause.docFreq()));
            } else {
                return searchByFuzzyQueries(terms);
            }
        }
        if (termQueries > IndexSearcher.getMaxClauseCount()) {
            return searchByFuzzyQueries(terms);
        }
        Bm25Postings.Scores scores = new Bm25Postings.Scores(phraseOfDoc.length);
        for (Clause clause : merged) {
            postings.get(clause.language()).add(clause.ordinal(), (float) clause.boost(), clause.docFreq(), scores);
        }
        return scores.top(MAX_HITS);
    }

    private static int indexOf(List<Clause> clauses, Clause clause) {
        for (int i = 0; i < clauses.size(); i++) {
            if (clauses.get(i).language() == clause.language() && clauses.get(i).ordinal() == clause.ordinal()) {
                return i;
            }
        }
        return -1;
    }

    /** Lucene's search: a term query for each distinct term of the sentence in each language, fuzzy when long. */
    private ScoreDoc[] searchByFuzzyQueries(Map<Language, List<String>> terms) {
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        for (Language language : Language.values()) {
            for (String term : new LinkedHashSet<>(terms.get(language))) {
                Term exact = new Term(language.code(), term);
                int length = term.codePointCount(0, term.length());
                query.add(length < ONE_TYPO_FROM ? new TermQuery(exact)
                        : new FuzzyQuery(exact, edits(length), 1, Vocabulary.MAX_EXPANSIONS, true),
                        BooleanClause.Occur.SHOULD);
            }
        }
        try {
            return searcher.search(query.build(), MAX_HITS).scoreDocs;
        } catch (IOException e) {
            throw new UncheckedIOException("an in-memory index cannot fail to read", e);
        }
    }

    /** The typos a word of {@code length} letters may have and still match. */
    private static int edits(int length) {
        return length >= TWO_TYPOS_FROM ? 2 : 1;
    }

    /**
     * A sentence's terms in one language, weighed once per message rather than at each of its hits: each term's
     * {@link #idf}, and the terms of that language's phrases it is {@link #close} to.
     */
    private final class Weighed implements Coverage {

        private final double[] weights;
        private final double total;
        /** Each term's place in the language's vocabulary (-1 for a term no phrase has), and its close terms'. */
        private final int[] ordinals;
        private final int[][] near;

        Weighed(Language language, List<String> sentence) {
            Vocabulary vocabulary = vocabularies.get(language);
            int[][] closeTerms = closeByOrdinal.get(language);
            this.weights = new double[sentence.size()];
            this.ordinals = new int[weights.length];
            this.near = new int[weights.length][];
            double sum = 0;
            for (int i = 0; i < weights.length; i++) {
                String term = sentence.get(i);
                ordinals[i] = vocabulary.ordinal(term);
                weights[i] = idf(language, ordinals[i] < 0 ? 0 : vocabulary.docFreq(ordinals[i]));
                sum += weights[i];
                near[i] = ordinals[i] < 0 ? close(term, vocabulary) : closeTerms[ordinals[i]];
            }
            this.total = sum;
        }

        /**
         * How much of the sentence the phrase accounts for: the share of its terms the phrase has (with about the
         * typos the query allows: edits counted by Levenshtein, where the query also counts a swap of two letters as
         * one), each weighed by how rare it is among all phrases, so "de" and "la" count little and a word no phrase
         * has ("Barça", "iPhone") counts most. A sentence about something else matches a phrase on a word or two,
         * and most of its weight stays unmatched.
         */
        @Override
        public double of(int phrase) {
            BitSet has = phraseOrdinals[phrase];
            double matched = 0;
            for (int i = 0; i < weights.length; i++) {
                if (ordinals[i] >= 0 && has.get(ordinals[i]) || anyIn(near[i], has)) {
                    matched += weights[i];
                }
            }
            return total == 0 ? 0 : matched / total;
        }

        private static boolean anyIn(int[] ordinals, BitSet has) {
            for (int ordinal : ordinals) {
                if (has.get(ordinal)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** {@link Weighed#of} as first written, every term weighed and compared with the phrase's at every hit. */
    private double coverageByScan(Language language, List<String> sentence, Set<String> phrase) {
        double total = 0;
        double matched = 0;
        for (String term : sentence) {
            double weight = idf(language, term);
            total += weight;
            if (phrase.contains(term) || phrase.stream().anyMatch(p -> close(term, p))) {
                matched += weight;
            }
        }
        return total == 0 ? 0 : matched / total;
    }

    /**
     * The terms of {@code vocabulary} (a phrase's terms are among its field's) {@link #close} to {@code term}, in the
     * index's order: of those the vocabulary's deletions lead to, rather than of every term with the same first letter,
     * when the term has no surrogate char ({@link #close} counts edits in chars, the deletions in code points).
     */
    private static int[] close(String term, Vocabulary vocabulary) {
        if (term.length() < ONE_TYPO_FROM) {
            return NONE;
        }
        int[] candidates = Vocabulary.basicPlaneOnly(term)
                // A shorter term of the two under TWO_TYPOS_FROM allows one edit only.
                ? vocabulary.candidates(term, term.length() >= TWO_TYPOS_FROM ? 2 : 1)
                : vocabulary.startingWith(term.charAt(0));
        return Arrays.stream(candidates).filter(other -> close(term, vocabulary.term(other))).toArray();
    }

    /** BM25's inverse document frequency of a term among the phrases of its language. */
    private double idf(Language language, String term) {
        return idf(language, vocabularies.get(language).docFreq(term));
    }

    /** ...of a term in {@code frequency} of them. */
    private double idf(Language language, long frequency) {
        long count = docCounts.get(language);
        return Math.log(1 + (count - frequency + 0.5) / (frequency + 0.5));
    }

    private static boolean close(String a, String b) {
        int length = Math.min(a.length(), b.length());
        if (length < ONE_TYPO_FROM || a.charAt(0) != b.charAt(0)) {
            return false;
        }
        return (length >= TWO_TYPOS_FROM ? WITHIN_TWO : WITHIN_ONE).apply(a, b) >= 0;
    }

    /**
     * The language {@code text} is clearly written in, if it is: it uses words of that language (its common
     * words, and the words of its example phrases) that the other two never use, two at least and three times
     * as many as theirs.
     *
     * @param firstMessage a contact's very first message may switch on one such word and none of the others'
     *     ("Hello", "gracias")
     */
    Optional<Language> languageOf(String text, boolean firstMessage) {
        if (text == null) {
            return Optional.empty();
        }
        Map<Language, Integer> counts = new EnumMap<>(Language.class);
        Set<String> words = new HashSet<>();
        for (String word : NOT_LETTER.split(Phrases.fold(text))) {
            // One letter says nothing: "i" is Catalan "and" and English "I", "a" is in all three.
            if (word.length() > 1) {
                words.add(word);
            }
        }
        for (Language language : Language.values()) {
            int count = 0;
            for (String word : words) {
                if (ownWords.get(language).contains(word)) {
                    count++;
                }
            }
            counts.put(language, count);
        }
        Language language = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        int own = counts.get(language);
        int others = counts.values().stream().mapToInt(Integer::intValue).sum() - own;
        // Two of its own words and three times as many as the other languages' (a borrowed word or a name
        // does not tip it); on a first message, one word and none of the others'.
        boolean clear = own >= MIN_LANGUAGE_WORDS && own >= LANGUAGE_DOMINANCE * others
                || firstMessage && own >= 1 && others == 0;
        return clear ? Optional.of(language) : Optional.empty();
    }

    /** Each language's words that the other two do not use. */
    private void learnLanguages(FlowBundle flows) {
        Map<Language, Set<String>> vocabulary = new EnumMap<>(Language.class);
        for (Language language : Language.values()) {
            Set<String> words = new HashSet<>();
            CharArraySet common = Phrases.functionWords(language);
            common.forEach(word -> words.add(new String((char[]) word)));
            vocabulary.put(language, words);
        }
        for (Intents.Phrase phrase : phrases) {
            for (String word : NOT_LETTER.split(Phrases.fold(phrase.text()))) {
                if (word.length() > 1) {
                    vocabulary.get(phrase.language()).add(word);
                }
            }
        }
        // The commands' own words too: "hi" is English for hello as well as a Catalan pronoun.
        for (Command command : Command.values()) {
            flows.commands().words(command).values().forEach((language, words) -> words.forEach(word -> {
                for (String w : NOT_LETTER.split(Phrases.fold(word))) {
                    if (w.length() > 1) {
                        vocabulary.get(language).add(w);
                    }
                }
            }));
        }
        for (Language language : Language.values()) {
            Set<String> own = new HashSet<>(vocabulary.get(language));
            for (Language other : Language.values()) {
                if (other != language) {
                    own.removeAll(vocabulary.get(other));
                }
            }
            ownWords.put(language, Set.copyOf(own));
        }
    }
}

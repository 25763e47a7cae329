package org.civicbot.flows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.ca.CatalanAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.es.SpanishAnalyzer;
import org.apache.lucene.analysis.es.SpanishLightStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.util.ElisionFilter;

/**
 * How what a citizen writes, and an editor's example phrase, become comparable terms in each language: Lucene's
 * tokenizer, Catalan elision ({@code l'}, {@code d'}), lower case, accents folded (citizens often leave them
 * out), then a light stemmer that folds plural and gender endings ({@code incidències} and
 * {@code incidencia} both become {@code incidenci}; Porter's for English). Stop words are kept: "com va" is what makes a status question, and rare words weigh
 * more in the ranking anyway.
 */
public final class Phrases {

    private static final Map<Language, Analyzer> ANALYZERS = new EnumMap<>(Language.class);

    static {
        for (Language language : Language.values()) {
            ANALYZERS.put(language, new LanguageAnalyzer(language));
        }
    }

    private Phrases() {}

    /** The analyzer of {@code language}; thread-safe, shared. */
    public static Analyzer analyzer(Language language) {
        return ANALYZERS.get(language);
    }

    /** The terms of {@code text} as {@code language}'s analyzer makes them. */
    public static List<String> terms(Language language, String text) {
        List<String> terms = new ArrayList<>();
        try (TokenStream stream = analyzer(language).tokenStream("text", text == null ? "" : text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                terms.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException("analysing a string cannot fail", e);
        }
        return terms;
    }

    /** Two phrases with the same key say the same thing to the matcher; the validator compares keys. */
    public static String key(Language language, String text) {
        return String.join(" ", terms(language, text));
    }

    /**
     * The common words of {@code language}, accents folded (Lucene's stop lists): what tells a sentence's language
     * apart when its content words do not.
     */
    public static CharArraySet functionWords(Language language) {
        CharArraySet source = switch (language) {
            case CA -> CatalanAnalyzer.getDefaultStopSet();
            case ES -> SpanishAnalyzer.getDefaultStopSet();
            case EN -> EnglishAnalyzer.ENGLISH_STOP_WORDS_SET;
        };
        CharArraySet folded = new CharArraySet(source.size(), true);
        for (Object word : source) {
            folded.add(fold(new String((char[]) word)));
        }
        return CharArraySet.unmodifiableSet(folded);
    }

    /** Lower case with accents folded, as the analyzers see a word before stemming. */
    public static String fold(String word) {
        char[] input = word.toLowerCase(java.util.Locale.ROOT).toCharArray();
        char[] output = new char[input.length * 4];
        int length = ASCIIFoldingFilter.foldToASCII(input, 0, output, 0, input.length);
        return new String(Arrays.copyOf(output, length));
    }

    private static final class LanguageAnalyzer extends Analyzer {
        private static final CharArraySet CATALAN_ELISION = new CharArraySet(
                List.of("d", "l", "m", "n", "s", "t"), true);

        private final Language language;

        LanguageAnalyzer(Language language) {
            this.language = language;
        }

        @Override
        protected TokenStreamComponents createComponents(String fieldName) {
            Tokenizer source = new StandardTokenizer();
            TokenStream stream = source;
            if (language == Language.CA) {
                stream = new ElisionFilter(stream, CATALAN_ELISION);
            }
            stream = new LowerCaseFilter(stream);
            if (language == Language.EN) {
                stream = new EnglishPossessiveFilter(stream);
            }
            stream = new ASCIIFoldingFilter(stream);
            stream = switch (language) {
                // Snowball's Catalan stemmer cuts too deep for short messages ("encara" and "encén" both become
                // "enc", "residus" becomes "res"); the light Romance stemmer only folds plural and gender endings,
                // which is what tells "farola" from "faroles" apart, and suits Catalan as well as Spanish.
                case CA -> new SpanishLightStemFilter(stream);
                case ES -> new SpanishLightStemFilter(stream);
                case EN -> new PorterStemFilter(stream);
            };
            return new TokenStreamComponents(source, stream);
        }
    }
}

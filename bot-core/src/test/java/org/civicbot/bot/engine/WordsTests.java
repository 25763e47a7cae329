package org.civicbot.bot.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;
import org.civicbot.flows.Flows;
import org.civicbot.flows.Intents;
import org.junit.jupiter.api.Test;

class WordsTests {

    @Test
    void normalizesCaseAccentsApostrophesAndSpacesAway() {
        assertThat(Words.normalize("  Enllumenat  Públic! ")).isEqualTo("enllumenat public");
        assertThat(Words.normalize("Col·legi d'Infants")).isEqualTo("collegi dinfants");
        assertThat(Words.normalize("l’Ajuntament, 3r pis")).isEqualTo("lajuntament 3r pis");
        assertThat(Words.normalize("¿Qué tal?")).isEqualTo("que tal");
        assertThat(Words.normalize(null)).isEmpty();
        assertThat(Words.normalize("?! ")).isEmpty();
    }

    /**
     * The regular expressions {@link Words#normalize} replaced give the same string for every phrase of the default
     * flows and for random strings of letters, marks, digits of several scripts, apostrophes, middle dots,
     * punctuation, spaces, emoji and lone surrogates.
     */
    @Test
    void normalizesAsTheRegularExpressionsItReplacedDid() {
        List<String> texts = new ArrayList<>();
        Intents.of(Flows.load(Flows.defaults())).forEach(phrase -> texts.add(phrase.text()));
        int[] alphabet = {'a', 'Z', 'é', 'À', 'ç', 'Ñ', 'ß', 'ﬁ', 'İ', 'ı', 'Σ', 'ς', 'Ж', '中', 'ـ', '1', '٣', '½',
            'Ⅻ', '²', 0x0301, 0x0327, 0x20DD, 0x0903, '·', '\'', '’', ' ', '\t', '\n', '!', '-', '_', '.', 0x00A0,
            0x2003, 0x1F600, 0x1F1EA, 0x1D7D8, 0x10400, 0x1D165, 0xFE0F, 0x20E3, 0xD83D, 0xDE00};
        Random random = new Random(15);
        for (int i = 0; i < 200_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                int c = alphabet[random.nextInt(alphabet.length)];
                // A lone surrogate is a char of its own: appendCodePoint would not make one.
                if (Character.isSurrogate((char) c) && c <= 0xFFFF) {
                    text.append((char) c);
                } else {
                    text.appendCodePoint(c);
                }
            }
            texts.add(text.toString());
        }
        List<String> different = texts.stream().filter(t -> !Words.normalize(t).equals(byRegularExpressions(t)))
                .limit(10).toList();
        assertThat(different).isEmpty();
    }

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    /** {@link Words#normalize} as first written. */
    private static String byRegularExpressions(String text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
        String plain = MARKS.matcher(decomposed).replaceAll("");
        plain = plain.replace("·", "").replace("'", "").replace("’", "");
        return NOT_WORD.matcher(plain.toLowerCase(Locale.ROOT)).replaceAll(" ").trim();
    }
}

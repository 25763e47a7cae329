package org.civicbot.bot.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OptionMatcherTests {

    static final List<List<String>> CATEGORIES = List.of(
            List.of("Neteja i residus", "Limpieza y residuos", "Cleaning and waste"),
            List.of("Parcs i jardins", "Parques y jardines", "Parks and gardens"),
            List.of("Enllumenat públic", "Alumbrado público", "Street lighting"),
            List.of("Mobiliari urbà", "Mobiliario urbano", "Street furniture"));

    @Test
    void matchesByNumberWithOrWithoutPunctuation() {
        assertThat(OptionMatcher.match("2", CATEGORIES)).hasValue(1);
        assertThat(OptionMatcher.match(" 3. ", CATEGORIES)).hasValue(2);
        assertThat(OptionMatcher.match("4)", CATEGORIES)).hasValue(3);
        assertThat(OptionMatcher.match("5", CATEGORIES)).isEmpty();
        assertThat(OptionMatcher.match("0", CATEGORIES)).isEmpty();
    }

    static final List<List<String>> TEN = java.util.stream.IntStream.rangeClosed(1, 10)
            .mapToObj(i -> List.of("Opció número " + i)).toList();

    @Test
    void matchesEveryNumberWordItKnowsToItsValue() {
        OptionMatcher.numberWordsForTests().forEach((word, value) -> {
            assertThat(OptionMatcher.match(word, TEN)).as(word).hasValue(value - 1);
            assertThat(OptionMatcher.match("la " + word, TEN)).as("la " + word).hasValue(value - 1);
        });
    }

    @Test
    void matchesNumbersInTheFormsPeopleWriteThem() {
        assertThat(OptionMatcher.match("la 3", TEN)).hasValue(2);
        assertThat(OptionMatcher.match("opció 3", TEN)).hasValue(2);
        assertThat(OptionMatcher.match("Opción 3.", TEN)).hasValue(2);
        assertThat(OptionMatcher.match("número 7", TEN)).hasValue(6);
        assertThat(OptionMatcher.match("nº 7", TEN)).hasValue(6);
        assertThat(OptionMatcher.match("#7", TEN)).hasValue(6);
        assertThat(OptionMatcher.match("el 3r", TEN)).hasValue(2);
        assertThat(OptionMatcher.match("3a", TEN)).hasValue(2);
        assertThat(OptionMatcher.match("the 2nd", TEN)).hasValue(1);
        assertThat(OptionMatcher.match("the second one", TEN)).hasValue(1);
        assertThat(OptionMatcher.match("La Tercera", TEN)).hasValue(2);
        assertThat(OptionMatcher.match("el cinquè", TEN)).hasValue(4);
        assertThat(OptionMatcher.match("3️⃣", TEN)).hasValue(2);
        assertThat(OptionMatcher.match("la sis sisplau", TEN)).hasValue(5);
        assertThat(OptionMatcher.match("la 2, si us plau", TEN)).hasValue(1);
        assertThat(OptionMatcher.match("2 por favor", TEN)).hasValue(1);
    }

    @Test
    void doesNotTakeWordsThatOnlyLookLikeNumbers() {
        assertThat(OptionMatcher.match("no", TEN)).isEmpty();
        assertThat(OptionMatcher.match("la 3 i la 4", TEN)).isEmpty();
        assertThat(OptionMatcher.match("nou", CATEGORIES)).isEmpty();
        assertThat(OptionMatcher.match("la 11", TEN)).isEmpty();
        assertThat(OptionMatcher.match("tercera edat", TEN)).isEmpty();
    }

    @Test
    void matchesALabelInAnyLanguageIgnoringCaseAndAccents() {
        assertThat(OptionMatcher.match("ENLLUMENAT PUBLIC", CATEGORIES)).hasValue(2);
        assertThat(OptionMatcher.match("street furniture", CATEGORIES)).hasValue(3);
        assertThat(OptionMatcher.match("alumbrado", CATEGORIES)).hasValue(2);
    }

    @Test
    void forgivesASmallTypoButNotAGuess() {
        assertThat(OptionMatcher.match("parcs i jardns", CATEGORIES)).hasValue(1);
        assertThat(OptionMatcher.match("mobliari urba", CATEGORIES)).hasValue(3);
        assertThat(OptionMatcher.match("semàfor", CATEGORIES)).isEmpty();
    }

    @Test
    void refusesAnAmbiguousPrefix() {
        List<List<String>> options = List.of(List.of("Parcs"), List.of("Parquing"));
        assertThat(OptionMatcher.match("par", options)).isEmpty();
        assertThat(OptionMatcher.match("parq", options)).hasValue(1);
    }
}

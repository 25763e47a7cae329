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

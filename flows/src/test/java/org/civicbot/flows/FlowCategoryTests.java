package org.civicbot.flows;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The flows' category menus must offer only the town's categories, which admins keep as data. */
class FlowCategoryTests {

    static final FlowBundle DEFAULTS = Flows.load(Flows.defaults());

    @Test
    void theDefaultFlowsOfferTheCategoriesTheirMenusName() {
        Set<String> offered = DEFAULTS.categoryOptions().stream().map(Node.Option::value).collect(Collectors.toSet());
        assertThat(offered).contains("street_lighting", "cleaning_waste", "other", "area_mayor")
                .allMatch(value -> value.matches("[a-z0-9_]+"));
        assertThat(FlowValidator.checkCategories(DEFAULTS, offered).isValid()).isTrue();
    }

    @Test
    void aMenuOptionNamingACategoryTheTownDoesNotHaveIsReportedAtItsLine() {
        Set<String> known = new HashSet<>(DEFAULTS.categoryOptions().stream().map(Node.Option::value).toList());
        known.remove("street_lighting");
        ValidationReport report = FlowValidator.checkCategories(DEFAULTS, known);
        assertThat(report.isValid()).isFalse();
        assertThat(report.issues()).singleElement().satisfies(issue -> {
            assertThat(issue.rule()).isEqualTo(Rules.UNKNOWN_CATEGORY);
            assertThat(issue.message()).contains("\"street_lighting\"");
            assertThat(issue.position().file()).endsWith("incident.yaml");
            assertThat(issue.position().line()).isPositive();
        });
    }
}

package org.civicbot.flows;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class ChannelLimitsTests {

    @Test
    void measuresAMenuAsTheNumberedMessageItBecomes() {
        // "Tria" + blank line + "1. Sí\n" + "2. No\n"
        assertThat(ChannelLimits.renderedMenuLength("Tria", List.of("Sí", "No"))).isEqualTo(4 + 2 + 6 + 6);
    }

    @Test
    void countsAnEmojiAsOneCharacter() {
        assertThat(ChannelLimits.length("📎")).isEqualTo(1);
    }

    @Test
    void sortsAReportByFileLineAndColumn() {
        Issue late = Issue.error(new Position("b.yaml", 1, 1), Rules.MISSING_FIELD, "x");
        Issue second = Issue.warning(new Position("a.yaml", 2, 3), Rules.INCIDENT_WITHOUT_CATEGORY, "y");
        Issue first = Issue.error(new Position("a.yaml", 2, 1), Rules.MISSING_FIELD, "z");

        ValidationReport report = ValidationReport.of(List.of(late, second, first));

        assertThat(report.format()).isEqualTo("""
                a.yaml:2:1: error [missing-field] z
                a.yaml:2:3: warning [incident-without-category] y
                b.yaml:1:1: error [missing-field] x""");
        assertThat(report.isValid()).isFalse();
    }
}

package org.civicbot.backoffice.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Percentiles by nearest rank, in hours to a tenth. */
class IncidentStatsTests {

    @Test
    void percentilesAreTheNearestRank() {
        List<Double> hours = List.of(4.0, 1.0, 3.0, 2.0);
        assertThat(IncidentStats.percentile(hours, 50)).isEqualTo(2.0);
        assertThat(IncidentStats.percentile(hours, 90)).isEqualTo(4.0);
        assertThat(IncidentStats.percentile(List.of(0.04), 50)).isEqualTo(0.0);
        assertThat(IncidentStats.percentile(List.of(), 50)).isNull();
    }
}

package org.civicbot.bot.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AreaTests {

    @Test
    void aBoxHoldsWhatIsBetweenItsEdges() {
        Area.Box box = new Area.Box(41.69, 1.78, 41.76, 1.87);
        assertThat(box.contains(41.7251, 1.8266)).isTrue();
        assertThat(box.contains(41.3917, 2.1649)).isFalse();
        assertThat(box.bounds()).hasValue(box);
        assertThatThrownBy(() -> new Area.Box(41.76, 1.78, 41.69, 1.87)).isInstanceOf(IllegalArgumentException.class);
    }

    /** A square town of 10 by 10 with a square hole (another municipality inside it) of 2 by 2. */
    @Test
    void aPolygonHoldsWhatIsInsideItsOutlineAndNotInItsHoles() {
        List<double[]> outline = List.of(new double[] {0, 0}, new double[] {10, 0}, new double[] {10, 10},
                new double[] {0, 10}, new double[] {0, 0});
        List<double[]> hole = List.of(new double[] {4, 4}, new double[] {6, 4}, new double[] {6, 6},
                new double[] {4, 6}, new double[] {4, 4});
        Area town = new Area.Polygons(List.of(List.of(outline, hole)));

        assertThat(town.contains(2, 2)).isTrue();
        assertThat(town.contains(5, 5)).as("in the hole").isFalse();
        assertThat(town.contains(11, 5)).isFalse();
        assertThat(town.bounds()).hasValueSatisfying(b -> {
            assertThat(b.south()).isZero();
            assertThat(b.north()).isEqualTo(10);
        });
        assertThat(Area.EVERYWHERE.contains(-80, 170)).isTrue();
        assertThat(Area.EVERYWHERE.bounds()).isEmpty();
    }
}

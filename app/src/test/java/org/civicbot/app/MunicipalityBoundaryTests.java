package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.civicbot.bot.engine.Area;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** civicbot.municipality.boundary: a box, or a GeoJSON file of the town's outline. */
class MunicipalityBoundaryTests {

    @Test
    void readsABoxAsSouthWestNorthEast() {
        Area box = MunicipalityBoundary.parse(" 41.69, 1.78,41.76 ,1.87 ");
        assertThat(box).isEqualTo(new Area.Box(41.69, 1.78, 41.76, 1.87));
        assertThat(MunicipalityBoundary.parse("")).isEqualTo(Area.EVERYWHERE);
        assertThatThrownBy(() -> MunicipalityBoundary.parse("41.69,1.78,41.76"))
                .hasMessageContaining("south,west,north,east");
    }

    @Test
    void readsAGeoJsonOutlineInAFeatureCollection(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("manresa.geojson");
        Files.writeString(file, """
                {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "Manresa"},
                 "geometry": {"type": "MultiPolygon", "coordinates": [[[[1.78, 41.69], [1.87, 41.69], [1.87, 41.76],
                 [1.78, 41.76], [1.78, 41.69]]]]}}]}""");

        Area town = MunicipalityBoundary.parse(file.toString());

        assertThat(town.contains(41.7251, 1.8266)).isTrue();
        assertThat(town.contains(41.3917, 2.1649)).isFalse();
        assertThat(town.bounds()).hasValue(new Area.Box(41.69, 1.78, 41.76, 1.87));
        Path empty = dir.resolve("empty.geojson");
        Files.writeString(empty, "{\"type\": \"FeatureCollection\", \"features\": []}");
        assertThatThrownBy(() -> MunicipalityBoundary.parse(empty.toString())).hasMessageContaining("no Polygon");
    }
}

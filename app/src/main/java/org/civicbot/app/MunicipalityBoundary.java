package org.civicbot.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.civicbot.bot.announcement.GeoJson;
import org.civicbot.bot.engine.Area;

/**
 * Reads {@code civicbot.municipality.boundary}: a box {@code south,west,north,east} (decimal degrees), or the path
 * of a GeoJSON file with the municipality's outline (a Polygon or MultiPolygon, bare, in a Feature or in a
 * FeatureCollection, as the open data portals and OpenStreetMap give them). Unset: everywhere.
 */
final class MunicipalityBoundary {

    private MunicipalityBoundary() {}

    static Area parse(String value) {
        if (value == null || value.isBlank()) {
            return Area.EVERYWHERE;
        }
        String spec = value.strip();
        if (spec.matches("[-+0-9.,\\s]+")) {
            String[] parts = spec.split("\\s*,\\s*");
            if (parts.length != 4) {
                throw new IllegalArgumentException("civicbot.municipality.boundary as a box is south,west,north,east;"
                        + " got \"" + spec + "\"");
            }
            return new Area.Box(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]),
                    Double.parseDouble(parts[2]), Double.parseDouble(parts[3]));
        }
        try {
            return GeoJson.area(Files.readString(Path.of(spec)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("civicbot.municipality.boundary " + spec + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read civicbot.municipality.boundary " + spec, e);
        }
    }
}

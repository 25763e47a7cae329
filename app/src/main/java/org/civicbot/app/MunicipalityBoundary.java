package org.civicbot.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
            JsonNode root = new ObjectMapper().readTree(Files.readString(Path.of(spec)));
            List<List<List<double[]>>> polygons = new ArrayList<>();
            collect(root, polygons);
            if (polygons.isEmpty()) {
                throw new IllegalArgumentException("civicbot.municipality.boundary " + spec
                        + " has no Polygon or MultiPolygon");
            }
            return new Area.Polygons(polygons);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read civicbot.municipality.boundary " + spec, e);
        }
    }

    private static void collect(JsonNode node, List<List<List<double[]>>> polygons) {
        String type = node.path("type").asText();
        switch (type) {
            case "FeatureCollection" -> node.path("features").forEach(f -> collect(f, polygons));
            case "Feature" -> collect(node.path("geometry"), polygons);
            case "GeometryCollection" -> node.path("geometries").forEach(g -> collect(g, polygons));
            case "Polygon" -> polygons.add(rings(node.path("coordinates")));
            case "MultiPolygon" -> node.path("coordinates").forEach(p -> polygons.add(rings(p)));
            default -> { }
        }
    }

    private static List<List<double[]>> rings(JsonNode polygon) {
        List<List<double[]>> rings = new ArrayList<>();
        for (JsonNode ring : polygon) {
            List<double[]> points = new ArrayList<>();
            ring.forEach(point -> points.add(new double[] {point.get(0).asDouble(), point.get(1).asDouble()}));
            rings.add(points);
        }
        return rings;
    }
}

package org.civicbot.bot.announcement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.civicbot.bot.engine.Area;

/**
 * Reads an area from GeoJSON: a Polygon or MultiPolygon, bare, in a Feature or in a FeatureCollection, as open
 * data portals and OpenStreetMap give them. Longitude first, as GeoJSON writes points.
 */
public final class GeoJson {

    private GeoJson() {}

    /** The polygons in the GeoJSON text; refused, with the reason, when there are none or a point is wrong. */
    public static Area.Polygons area(String json) {
        Object root;
        try {
            root = Document.parse("{\"g\": " + json + "}").get("g");
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        List<List<List<double[]>>> polygons = new ArrayList<>();
        collect(root, polygons);
        if (polygons.isEmpty()) {
            throw new IllegalArgumentException("no Polygon or MultiPolygon in the GeoJSON");
        }
        return new Area.Polygons(polygons);
    }

    private static void collect(Object node, List<List<List<double[]>>> polygons) {
        if (!(node instanceof Map<?, ?> map)) {
            return;
        }
        switch (String.valueOf(map.get("type"))) {
            case "FeatureCollection" -> list(map.get("features")).forEach(f -> collect(f, polygons));
            case "Feature" -> collect(map.get("geometry"), polygons);
            case "GeometryCollection" -> list(map.get("geometries")).forEach(g -> collect(g, polygons));
            case "Polygon" -> polygons.add(rings(map.get("coordinates")));
            case "MultiPolygon" -> list(map.get("coordinates")).forEach(p -> polygons.add(rings(p)));
            default -> { }
        }
    }

    private static List<List<double[]>> rings(Object polygon) {
        List<List<double[]>> rings = new ArrayList<>();
        for (Object ring : list(polygon)) {
            List<double[]> points = new ArrayList<>();
            for (Object point : list(ring)) {
                List<?> xy = list(point);
                if (xy.size() < 2 || !(xy.get(0) instanceof Number lon) || !(xy.get(1) instanceof Number lat)) {
                    throw new IllegalArgumentException("a GeoJSON point is [longitude, latitude]; got " + point);
                }
                points.add(new double[] {lon.doubleValue(), lat.doubleValue()});
            }
            if (points.size() < 4) {
                throw new IllegalArgumentException("a GeoJSON ring needs at least 4 points, the last one the first");
            }
            rings.add(points);
        }
        if (rings.isEmpty()) {
            throw new IllegalArgumentException("a GeoJSON Polygon needs at least one ring");
        }
        return rings;
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> l ? l : List.of();
    }
}

package org.civicbot.bot.engine;

import java.util.List;

/**
 * Where the town hall answers for: a pin outside it is not one of its incidents. A bounding box, or the
 * municipality's boundary as polygons (each an outer ring of {@code [longitude, latitude]} points, as GeoJSON
 * writes them).
 */
public sealed interface Area {

    boolean contains(double latitude, double longitude);

    /** The smallest box around it; empty for {@link #EVERYWHERE}. */
    default java.util.Optional<Box> bounds() {
        return java.util.Optional.empty();
    }

    /** Everywhere: a deployment that has not said where its town is. */
    Area EVERYWHERE = new Everywhere();

    record Everywhere() implements Area {
        public boolean contains(double latitude, double longitude) {
            return true;
        }
    }

    /** A box: south and north latitudes, west and east longitudes. */
    record Box(double south, double west, double north, double east) implements Area {
        public Box {
            if (south > north || west > east) {
                throw new IllegalArgumentException("a box is south,west,north,east with south <= north and west <= east");
            }
        }

        public boolean contains(double latitude, double longitude) {
            return latitude >= south && latitude <= north && longitude >= west && longitude <= east;
        }

        @Override
        public java.util.Optional<Box> bounds() {
            return java.util.Optional.of(this);
        }
    }

    /**
     * Polygons, as a GeoJSON Polygon or MultiPolygon gives them: each a list of rings, the first the outline and
     * the others holes, each ring a list of {@code [longitude, latitude]}.
     */
    record Polygons(List<List<List<double[]>>> polygons) implements Area {
        public Polygons {
            polygons = List.copyOf(polygons);
        }

        public boolean contains(double latitude, double longitude) {
            for (List<List<double[]>> polygon : polygons) {
                if (polygon.isEmpty() || !inside(polygon.get(0), latitude, longitude)) {
                    continue;
                }
                boolean inHole = false;
                for (List<double[]> hole : polygon.subList(1, polygon.size())) {
                    inHole |= inside(hole, latitude, longitude);
                }
                if (!inHole) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public java.util.Optional<Box> bounds() {
            double south = Double.MAX_VALUE;
            double west = Double.MAX_VALUE;
            double north = -Double.MAX_VALUE;
            double east = -Double.MAX_VALUE;
            for (List<List<double[]>> polygon : polygons) {
                for (double[] point : polygon.isEmpty() ? List.<double[]>of() : polygon.get(0)) {
                    west = Math.min(west, point[0]);
                    east = Math.max(east, point[0]);
                    south = Math.min(south, point[1]);
                    north = Math.max(north, point[1]);
                }
            }
            return south > north ? java.util.Optional.empty() : java.util.Optional.of(new Box(south, west, north, east));
        }

        /** Ray casting: a point is inside when a ray from it crosses the ring an odd number of times. */
        private static boolean inside(List<double[]> ring, double latitude, double longitude) {
            boolean inside = false;
            for (int i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
                double xi = ring.get(i)[0];
                double yi = ring.get(i)[1];
                double xj = ring.get(j)[0];
                double yj = ring.get(j)[1];
                if ((yi > latitude) != (yj > latitude)
                        && longitude < (xj - xi) * (latitude - yi) / (yj - yi) + xi) {
                    inside = !inside;
                }
            }
            return inside;
        }
    }
}

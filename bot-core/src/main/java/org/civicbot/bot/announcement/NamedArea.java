package org.civicbot.bot.announcement;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A part of the town a notice can be for (a neighbourhood), with its outline.
 *
 * @param geometry a GeoJSON Polygon or MultiPolygon, as JSON text
 */
@Document("areas")
public record NamedArea(@Id String id, String name, String geometry) {}

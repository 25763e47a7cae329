package org.civicbot.backoffice.api;

import java.time.Instant;
import java.util.List;
import org.civicbot.bot.incident.Incident;

/** An incident as the JSON API shows it; field names are part of the public contract. */
record IncidentView(String code, String status, String outcome, String category, String description, String source,
        Location location, List<Photo> photos, String conversationId, String department, String assignee,
        String contactName, Instant createdAt, Instant updatedAt, List<Incident.TimelineEntry> timeline) {

    record Location(String address, Double latitude, Double longitude, String origin) {}

    record Photo(String id, String contentType, String url) {}

    static IncidentView of(Incident incident) {
        Incident.Location l = incident.location();
        Location location = l == null || (l.address() == null && l.latitude() == null) ? null
                : new Location(l.address(), l.latitude(), l.longitude(), l.origin());
        return new IncidentView(incident.code(), incident.status().name(), incident.outcome(), incident.category(),
                incident.description(), incident.source().name(), location,
                incident.photos().stream()
                        .map(p -> new Photo(p.id(), p.contentType(), "/api/v1/photos/" + p.id())).toList(),
                incident.conversationId(), incident.department(), incident.assignee(), incident.contactName(),
                incident.createdAt(), incident.updatedAt(), incident.timeline());
    }
}

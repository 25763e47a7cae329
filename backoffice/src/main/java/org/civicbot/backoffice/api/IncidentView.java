package org.civicbot.backoffice.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.PublicPages;

/**
 * An incident as the JSON API shows it; field names are part of the public contract.
 *
 * @param publicUrl its public status page, for the citizen (null in lists for old incidents that have none yet)
 * @param updates its history, each line saying whether it was a public update (told to the citizen)
 * @param followers how many contacts hear of its every public step: its reporters and those who follow it
 * @param reports how many citizens reported it: the first, and those who said theirs was the same problem
 * @param possibleDuplicateOf the open incident nearby its reporter said was another problem, for staff to judge
 * @param satisfaction how satisfied its first reporter said they were once it was closed (1 to 5, and a comment)
 * @param type {@code INCIDENT}, {@code SUGGESTION}, {@code COMPLAINT} or {@code QUESTION}
 * @param intake how a request staff entered came in: {@code PHONE}, {@code COUNTER}, {@code EMAIL}, {@code INTERNAL}
 * @param priority {@code LOW}, {@code NORMAL}, {@code HIGH} or {@code URGENT}
 * @param dueAt when it should be closed by (its category's service time); null when its category has none
 * @param overdue whether it is still open after {@code dueAt}
 * @param mergedInto the incident it was merged into (it is then closed as {@code DUPLICATE})
 * @param mergedFrom the incidents merged into it
 * @param attachments files staff added
 * @param contact the citizen behind a request staff entered, as they gave it
 * @param organisation the outside organisation it is passed to, if any
 * @param assetId the asset a device reported it on
 * @param alertCount the device's alerts it gathers; null for a citizen's report
 * @param linked the incidents linked to it (a citizen's report of the same problem near a device's)
 * @param contactId the contact who reported it (its conversation's id; {@code /api/v1/contacts/{id}/export}); null
 *     for a request staff entered, a device's alert, or once the contact was erased
 */
record IncidentView(String code, String status, String outcome, String category, String description, String source,
        Location location, List<Photo> photos, String conversationId, String department, String assignee,
        String contactName, Instant createdAt, Instant updatedAt, List<Incident.TimelineEntry> timeline,
        String publicUrl, List<Update> updates, int followers, int reports, String possibleDuplicateOf,
        Incident.Satisfaction satisfaction, String type, String intake, String priority, Instant dueAt,
        boolean overdue, String mergedInto, List<String> mergedFrom, List<Attachment> attachments,
        Incident.Contact contact, String organisation, String assetId, Integer alertCount, List<String> linked,
        String contactId) {

    /**
     * As an outside organisation reads it: nothing about who reported it, and of the history only the public steps
     * and what this supplier wrote (staff's internal notes may name the citizen; forwards name other suppliers).
     */
    IncidentView forSupplier(String username) {
        List<Integer> shown = new java.util.ArrayList<>();
        for (int i = 0; i < timeline.size(); i++) {
            Incident.TimelineEntry e = timeline.get(i);
            if (e.isPublic() || username.equals(e.actor())) {
                shown.add(i);
            }
        }
        return new IncidentView(code, status, outcome, category, description, source, location, photos, null,
                department, assignee, null, createdAt, updatedAt, shown.stream().map(timeline::get).toList(),
                publicUrl, shown.stream().map(updates::get).toList(), followers, reports, possibleDuplicateOf, null,
                type, intake, priority, dueAt, overdue, mergedInto, mergedFrom, attachments, null, organisation,
                assetId, alertCount, List.of(), null);
    }

    record Attachment(String id, String contentType, String name, String url) {}

    record Location(String address, Double latitude, Double longitude, String origin) {}

    record Photo(String id, String contentType, String url) {}

    /** One line of the history: {@code kind} CREATED, STATUS, ASSIGNMENT, NOTE or SYSTEM. */
    record Update(Instant at, String kind, @JsonProperty("public") boolean shared, String text) {}

    static IncidentView of(Incident incident, PublicPages pages, Instant now) {
        return of(incident, incident.publicToken() == null ? null : pages.url(incident.publicToken()), now);
    }

    static IncidentView of(Incident incident, String publicUrl, Instant now) {
        Incident.Location l = incident.location();
        Location location = l == null || (l.address() == null && l.latitude() == null) ? null
                : new Location(l.address(), l.latitude(), l.longitude(), l.origin());
        return new IncidentView(incident.code(), incident.status().name(), incident.outcome(), incident.category(),
                incident.description(), incident.source().name(), location,
                incident.photos().stream()
                        .map(p -> new Photo(p.id(), p.contentType(), "/api/v1/photos/" + p.id())).toList(),
                incident.conversationId(), incident.department(), incident.assignee(), incident.contactName(),
                incident.createdAt(), incident.updatedAt(), incident.timeline(), publicUrl,
                incident.timeline().stream().map(e -> new Update(e.at(), e.type(), e.isPublic(),
                        e.note() != null ? e.note() : e.text())).toList(), incident.audience().size(),
                incident.reports(), incident.possibleDuplicateOf(),
                incident.satisfaction() == null || incident.satisfaction().score() == null ? null
                        : incident.satisfaction(), incident.requestType().name(),
                incident.intake() == null ? null : incident.intake().name(), incident.urgency().name(),
                incident.dueAt(), incident.overdue(now), incident.mergedInto(), incident.mergedFrom(),
                incident.attachments().stream().map(a -> new Attachment(a.id(), a.contentType(), a.name(),
                        "/api/v1/photos/" + a.id())).toList(), incident.contact(), incident.organisation(),
                incident.assetId(), incident.alertCount(), incident.linked() == null ? List.of() : incident.linked(),
                incident.conversationId());
    }
}

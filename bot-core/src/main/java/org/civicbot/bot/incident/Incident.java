package org.civicbot.bot.incident;

import java.time.Instant;
import java.util.List;
import org.civicbot.bot.Channel;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;

/**
 * A reported incident: what, where, with which photos, from whom, and everything that happened to it.
 *
 * @param id the ref that created it (a turn's, or a device's alert): reporting the same ref twice
 *     gives the same incident
 * @param code the human code, {@code INC-<year>-<6 digits>}, unique and sequential within a year
 * @param outcome how it was closed, when CLOSED
 * @param publicToken the unguessable part of its public status page's address ({@code /s/{token}}); null on
 *     incidents made before there were such pages, until one is needed
 * @param reporters the conversations of the citizens who reported the same problem after the first one (and said
 *     so when the chat offered them this incident): they read it as its reporter does and hear of every step
 * @param followers the conversations that follow it by its code: they hear of every public step
 * @param possibleDuplicateOf the code of an open incident nearby its reporter said was another problem, for staff
 *     to judge
 * @param satisfaction how satisfied its first reporter said they were once it was closed, if they answered
 * @param type {@code SUGGESTION}, {@code COMPLAINT} or {@code QUESTION} for those requests; null for an incident
 */
@org.springframework.data.mongodb.core.mapping.Document("incidents")
public record Incident(@Id String id, String code, IncidentStatus status, String outcome, String category,
        String description, Location location, List<Photo> photos, Source source, String contactName,
        Channel channel, String conversationId, String deviceId, String department, String assignee,
        Instant createdAt, Instant updatedAt, List<TimelineEntry> timeline, String publicToken,
        List<String> reporters, List<String> followers, String possibleDuplicateOf, Satisfaction satisfaction,
        String type) {

    /** What it is: an incident, or a suggestion, a complaint, a question. */
    public org.civicbot.flows.RequestType requestType() {
        return type == null ? org.civicbot.flows.RequestType.INCIDENT : org.civicbot.flows.RequestType.valueOf(type);
    }

    /** A score from 1 (worst) to 5, and what the citizen wrote after it, if anything. */
    public record Satisfaction(Integer score, String comment) {}

    @PersistenceCreator
    public Incident {
        photos = photos == null ? List.of() : List.copyOf(photos);
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
        reporters = reporters == null ? List.of() : List.copyOf(reporters);
        followers = followers == null ? List.of() : List.copyOf(followers);
    }

    /** How many citizens reported it: its first reporter and those who said theirs was the same problem. */
    public int reports() {
        return (conversationId != null || deviceId != null ? 1 : 0) + reporters.size();
    }

    /** Every conversation told of its public steps: its reporters and its followers, each once. */
    public List<String> audience() {
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>();
        if (conversationId != null) {
            all.add(conversationId);
        }
        all.addAll(reporters);
        all.addAll(followers);
        return List.copyOf(all);
    }

    /** Whether the conversation reported it (first, or as the same problem later): it may read what was reported. */
    public boolean reportedFrom(String conversation) {
        return conversation.equals(conversationId) || reporters.contains(conversation);
    }

    /**
     * Where it is: the address as written (or as the provider or geocoder gave it) and coordinates when known.
     *
     * @param origin PIN (a location pin), ADDRESS (typed; with the map's coordinates when the citizen confirmed
     *     them in the chat, or the geocoder found them), WRITTEN (typed, kept as written: the citizen said the map's
     *     place was wrong), or DEVICE
     */
    public record Location(String address, Double latitude, Double longitude, String origin) {}

    /** A photo stored in GridFS. */
    public record Photo(String id, String contentType) {}

    /**
     * A line of the incident's history.
     *
     * @param type CREATED, SYSTEM (a device's message), STATUS, ASSIGNMENT, NOTE
     * @param actor who did it: a staff username, {@code citizen}, {@code system} or a device id
     * @param published whether it is a public update: told to the citizen and shown on the public status page
     * @param status for a STATUS line, the status it moved to
     * @param outcome for a STATUS line that closed the incident, its outcome
     * @param note what staff wrote for the citizen with a public status line, if anything
     */
    public record TimelineEntry(Instant at, String type, String actor, String text, Boolean published, String status,
            String outcome, String note) {

        @PersistenceCreator
        public TimelineEntry {}

        /** An internal line: staff see it, the citizen does not. */
        public TimelineEntry(Instant at, String type, String actor, String text) {
            this(at, type, actor, text, false, null, null, null);
        }

        public boolean isPublic() {
            return Boolean.TRUE.equals(published);
        }
    }
}

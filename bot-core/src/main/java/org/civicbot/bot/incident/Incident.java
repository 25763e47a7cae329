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
 * @param intake how a request staff entered reached the town hall; null for the others
 * @param contact who to tell of a request staff entered, as the citizen gave it; null when there is nobody
 * @param priority how soon it needs attention; null reads as {@link Priority#NORMAL}
 * @param dueAt when it should be closed by: its creation plus its category's service time; null when the category
 *     has none
 * @param merge when staff merged it into another incident (it is then CLOSED as DUPLICATE): into which, and what to
 *     undo
 * @param mergedFrom the codes of the incidents merged into this one
 * @param attachments files staff added (photos, PDF documents)
 * @param organisation the outside entity (a contractor, another administration) it is passed to, if any
 * @param assetId the asset a device reported it on (a container, a vehicle); null for a citizen's report
 * @param alertCount how many alerts of the device it gathers (repeats add to it instead of making new incidents)
 * @param linked the codes of incidents linked to it: a citizen's report of the same problem near a device's one
 */
@org.springframework.data.mongodb.core.mapping.Document("incidents")
public record Incident(@Id String id, String code, IncidentStatus status, String outcome, String category,
        String description, Location location, List<Photo> photos, Source source, String contactName,
        Channel channel, String conversationId, String deviceId, String department, String assignee,
        Instant createdAt, Instant updatedAt, List<TimelineEntry> timeline, String publicToken,
        List<String> reporters, List<String> followers, String possibleDuplicateOf, Satisfaction satisfaction,
        String type, Intake intake, Contact contact, Priority priority, Instant dueAt, Merge merge,
        List<String> mergedFrom, List<Attachment> attachments, String organisation, String assetId,
        Integer alertCount, List<String> linked) {

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
        mergedFrom = mergedFrom == null ? List.of() : List.copyOf(mergedFrom);
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    /** How soon it needs attention; {@link Priority#NORMAL} when nobody said. */
    public Priority urgency() {
        return priority == null ? Priority.NORMAL : priority;
    }

    /** Whether it is still open after its due time. */
    public boolean overdue(Instant now) {
        return status != IncidentStatus.CLOSED && dueAt != null && dueAt.isBefore(now);
    }

    /** The incident it was merged into, if it was. */
    public String mergedInto() {
        return merge == null ? null : merge.into();
    }

    /**
     * The citizen behind a request staff entered, as they gave it.
     *
     * @param language {@code ca}, {@code es} or {@code en}
     * @param consent whether they agreed to be told of its progress
     * @param notifyBy {@code WHATSAPP} (on their phone) or {@code EMAIL}, when they agreed
     */
    public record Contact(String name, String phone, String email, String language, Boolean consent,
            String notifyBy) {}

    /**
     * A merge into another incident.
     *
     * @param added the conversations that began to follow {@code into} because of the merge (undone with it)
     * @param statusBefore where this incident stood before, to restore it
     */
    public record Merge(String into, Instant at, String by, List<String> added, String statusBefore) {}

    /** A file staff added, stored in GridFS like the photos. */
    public record Attachment(String id, String contentType, String name, Instant at, String by) {}

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
     * @param type CREATED, SYSTEM (a device's message), STATUS, ASSIGNMENT, NOTE, PHOTO, REPORT, RULE (an automation
 *     rule routed it: {@code text} names it), EDIT (staff corrected
 *     a field: {@code text} says which, from what, to what), ESCALATED, MERGED (another incident merged into this
 *     one), UNMERGED, ATTACHMENT
     * @param actor who did it: a staff username, {@code citizen}, {@code system} or a device id
     * @param published whether it is a public update: told to the citizen and shown on the public status page
     * @param status for a STATUS line, the status it moved to
     * @param outcome for a STATUS line that closed the incident, its outcome
     * @param note what staff wrote for the citizen with a public status line, if anything
     * @param field for an EDIT line, the field staff corrected ({@code category}, {@code description},
     *     {@code location}, {@code priority})
     * @param from for an EDIT line, the field's value before
     * @param to for an EDIT line, its value after
     */
    public record TimelineEntry(Instant at, String type, String actor, String text, Boolean published, String status,
            String outcome, String note, String field, String from, String to, String ref) {

        @PersistenceCreator
        public TimelineEntry {}

        public TimelineEntry(Instant at, String type, String actor, String text, Boolean published, String status,
                String outcome, String note, String field, String from, String to) {
            this(at, type, actor, text, published, status, outcome, note, field, from, to, null);
        }

        public TimelineEntry(Instant at, String type, String actor, String text, Boolean published, String status,
                String outcome, String note) {
            this(at, type, actor, text, published, status, outcome, note, null, null, null);
        }

        /**
         * A device's alert added to the incident it repeats ({@code ref}: the device and its alert id, so the same
         * alert is never counted twice).
         */
        public static TimelineEntry alert(Instant at, String device, String text, String ref) {
            return new TimelineEntry(at, "SYSTEM", device, text, false, null, null, null, null, null, null, ref);
        }

        /** An EDIT line: staff corrected a field (internal). */
        public static TimelineEntry edit(Instant at, String actor, String field, String from, String to) {
            return new TimelineEntry(at, "EDIT", actor, "changed " + field, false, null, null, null, field, from, to);
        }

        /** An internal line: staff see it, the citizen does not. */
        public TimelineEntry(Instant at, String type, String actor, String text) {
            this(at, type, actor, text, false, null, null, null);
        }

        public boolean isPublic() {
            return Boolean.TRUE.equals(published);
        }
    }
}

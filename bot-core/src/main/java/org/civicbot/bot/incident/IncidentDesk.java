package org.civicbot.bot.incident;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.civicbot.bot.conversation.CitizenNotices;
import org.civicbot.bot.conversation.Satisfaction;
import org.civicbot.flows.Commands;
import org.civicbot.flows.Language;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.publisher.Mono;

/**
 * What staff do with an incident: move it along (New, In progress, Closed with an outcome), assign it,
 * add notes. Each change is one atomic update that also writes who did what, and when, on the timeline.
 * Every step the citizen should know of reaches them on their channel, in their language, with a link to the
 * incident's public status page: in progress, passed to the service that handles it, a note staff made
 * public, closed with its outcome, reopened. Those steps are the timeline's public updates.
 */
public class IncidentDesk {

    /** The moves staff may make; closing may skip In progress, and a closed incident may be reopened. */
    public static final Map<IncidentStatus, Set<IncidentStatus>> MOVES = Map.of(
            IncidentStatus.NEW, EnumSet.of(IncidentStatus.IN_PROGRESS, IncidentStatus.CLOSED),
            IncidentStatus.IN_PROGRESS, EnumSet.of(IncidentStatus.CLOSED),
            IncidentStatus.CLOSED, EnumSet.of(IncidentStatus.IN_PROGRESS));

    public static final int MAX_NOTE_LENGTH = 2000;

    private final ReactiveMongoTemplate mongo;
    private final CitizenNotices notices;
    private final PublicPages pages;
    private final Clock clock;
    private final Satisfaction satisfaction;
    private final Categories categories;
    private ContactNotices contacts = ContactNotices.none();

    public IncidentDesk(ReactiveMongoTemplate mongo, CitizenNotices notices, PublicPages pages, Clock clock) {
        this(mongo, notices, pages, clock, null, null);
    }

    /**
     * @param satisfaction asks a closed incident's reporters how satisfied they are; null: nobody is asked
     * @param categories the categories an incident may be moved to, and their service times; null: any, none
     */
    public IncidentDesk(ReactiveMongoTemplate mongo, CitizenNotices notices, PublicPages pages, Clock clock,
            Satisfaction satisfaction, Categories categories) {
        this.categories = categories;
        this.satisfaction = satisfaction;
        this.mongo = mongo;
        this.notices = notices;
        this.pages = pages;
        this.clock = clock;
    }

    /** A change that does not fit where the incident stands; the message says why. */
    public static class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    /** A change asked for with input that cannot be taken (a missing reason, a bad location); the message says why. */
    public static final class Invalid extends Refused {
        public Invalid(String message) {
            super(message);
        }
    }

    /**
     * Moves the incident to {@code status}. Closing needs an outcome; the note, if any, goes on the timeline
     * and, on close, to the citizen.
     */
    public Mono<Incident> changeStatus(String code, IncidentStatus status, Outcome outcome, String note, String actor) {
        if (status == IncidentStatus.CLOSED && outcome == null) {
            return Mono.error(new Refused("closing an incident needs an outcome: POSITIVE, NEGATIVE, "
                    + "NOT_OUR_COMPETENCE, SUSPENDED or IMPROPER"));
        }
        if (outcome == Outcome.DUPLICATE) {
            return Mono.error(new Invalid("to close an incident as a duplicate, merge it into the other one"));
        }
        if (outcome == Outcome.IMPROPER && clean(note) == null) {
            return Mono.error(new Invalid("cancelling as improper needs the reason, in the note: the citizen is told"));
        }
        if (status != IncidentStatus.CLOSED && outcome != null) {
            return Mono.error(new Refused("only a closed incident has an outcome"));
        }
        if (tooLong(note)) {
            return Mono.error(new Refused("a note may have at most " + MAX_NOTE_LENGTH + " characters"));
        }
        String cleanNote = clean(note);
        return find(code).flatMap(incident -> {
            if (incident.merge() != null) {
                return Mono.error(new Refused("incident " + code + " is merged into " + incident.mergedInto()
                        + "; undo the merge to handle it on its own"));
            }
            if (!MOVES.get(incident.status()).contains(status)) {
                return Mono.error(new Refused("incident " + code + " is " + incident.status() + " and cannot move to "
                        + status));
            }
            Instant now = clock.instant();
            String text = incident.status() + " -> " + status + (outcome == null ? "" : " (" + outcome + ")")
                    + (cleanNote == null ? "" : ": " + cleanNote);
            // A closing note is for the citizen; a note on any other move stays with staff.
            String publicNote = status == IncidentStatus.CLOSED ? cleanNote : null;
            Update update = new Update().set("status", status).set("updatedAt", now)
                    .push("timeline", new Incident.TimelineEntry(now, "STATUS", actor, text, true, status.name(),
                            outcome == null ? null : outcome.name(), publicNote));
            if (outcome != null) {
                update.set("outcome", outcome.name());
            } else {
                update.unset("outcome");
            }
            return mongo.findAndModify(query(where("code").is(code).and("status").is(incident.status())), update,
                            FindAndModifyOptions.options().returnNew(true), Incident.class)
                    .switchIfEmpty(Mono.error(new Refused("incident " + code + " changed meanwhile; reload it")))
                    .flatMap(changed -> tellStatus(changed, incident.status(), outcome, publicNote)
                            .then(status == IncidentStatus.CLOSED ? askReporters(changed) : Mono.empty())
                            .thenReturn(changed));
        });
    }

    /**
     * Assigns the incident to a staff member and/or a department; null leaves that one as it is. Passing it to
     * another department is a public update (the citizen hears it went to the service that handles it); who
     * within the town hall handles it is not.
     */
    public Mono<Incident> assign(String code, String assignee, String department, String actor) {
        return assign(code, assignee, department, null, actor);
    }

    /**
     * As {@link #assign(String, String, String, String)}, and to an outside organisation (a contractor, another
     * administration); passing it to another organisation is a public update too.
     */
    public Mono<Incident> assign(String code, String assignee, String department, String organisation,
            String actor) {
        if (assignee == null && department == null && organisation == null) {
            return Mono.error(new Invalid("name an assignee, a department, an organisation, or several"));
        }
        return find(code).flatMap(incident -> {
            Instant now = clock.instant();
            Update update = new Update().set("updatedAt", now);
            StringBuilder text = new StringBuilder("assigned to");
            if (assignee != null) {
                update.set("assignee", assignee.isBlank() ? null : assignee);
                text.append(" staff ").append(assignee.isBlank() ? "(nobody)" : assignee);
            }
            boolean passedOn = department != null && !department.isBlank()
                    && !department.equals(incident.department());
            if (department != null) {
                update.set("department", department.isBlank() ? null : department);
                text.append(" department ").append(department.isBlank() ? "(none)" : department);
            }
            if (organisation != null) {
                passedOn |= !organisation.isBlank() && !organisation.equals(incident.organisation());
                update.set("organisation", organisation.isBlank() ? null : organisation);
                text.append(" organisation ").append(organisation.isBlank() ? "(none)" : organisation);
            }
            boolean told = passedOn;
            update.push("timeline", new Incident.TimelineEntry(now, "ASSIGNMENT", actor, text.toString(), told,
                    null, null, null));
            return mongo.findAndModify(query(where("code").is(code)), update,
                            FindAndModifyOptions.options().returnNew(true), Incident.class)
                    .switchIfEmpty(Mono.error(new NotFound(code)))
                    .flatMap(changed -> told ? tell(changed, "incident-assigned", (texts, language, url) ->
                            texts.incidentAssigned().in(language, Map.of("code", changed.code(), "url", url)))
                            .thenReturn(changed) : Mono.just(changed));
        });
    }

    /** Adds an internal note (never sent to the citizen). */
    public Mono<Incident> addNote(String code, String note, String actor) {
        return addNote(code, note, false, actor);
    }

    /**
     * Adds a note; a public one is an update the citizen receives ("we have ordered the part, it will be fixed
     * next week") and the public status page shows.
     */
    public Mono<Incident> addNote(String code, String note, boolean isPublic, String actor) {
        String text = clean(note);
        if (text == null) {
            return Mono.error(new Refused("a note needs some text"));
        }
        if (tooLong(note)) {
            return Mono.error(new Refused("a note may have at most " + MAX_NOTE_LENGTH + " characters"));
        }
        Instant now = clock.instant();
        Incident.TimelineEntry entry = new Incident.TimelineEntry(now, "NOTE", actor, text, isPublic, null, null,
                isPublic ? text : null);
        return mongo.findAndModify(query(where("code").is(code)), new Update().set("updatedAt", now)
                                .push("timeline", entry),
                        FindAndModifyOptions.options().returnNew(true), Incident.class)
                .switchIfEmpty(Mono.error(new NotFound(code)))
                .flatMap(changed -> isPublic ? tell(changed, "incident-update", (texts, language, url) ->
                        texts.incidentUpdate().in(language, Map.of("code", changed.code(), "text", text, "url", url)))
                        .thenReturn(changed) : Mono.just(changed));
    }

    /** What staff may correct in an incident; a null field stays as it is. */
    public record Edit(String category, String description, Incident.Location location, Priority priority) {}

    public static final int MAX_DESCRIPTION_LENGTH = 2000;

    /**
     * Corrects an incident's category, description, location or priority. Each field that changes gets an EDIT line
     * with its value before and after (the audit); a new category gives it that category's due time, counted from
     * when it was reported. Nothing that changes nothing is written.
     */
    public Mono<Incident> edit(String code, Edit edit, String actor) {
        if (edit.description() != null && (edit.description().isBlank()
                || edit.description().strip().length() > MAX_DESCRIPTION_LENGTH)) {
            return Mono.error(new Invalid("a description needs some text, at most " + MAX_DESCRIPTION_LENGTH
                    + " characters"));
        }
        Incident.Location location = edit.location();
        if (location != null) {
            String problem = locationProblem(location);
            if (problem != null) {
                return Mono.error(new Invalid(problem));
            }
        }
        Mono<Optional<Instant>> due = Mono.just(Optional.empty());
        if (edit.category() != null && categories != null) {
            due = categories.byId(edit.category())
                    .switchIfEmpty(Mono.error(new Invalid("no category " + edit.category()
                            + "; see GET /api/v1/categories")))
                    .then(Mono.just(Optional.empty()));
        }
        return due.then(find(code)).flatMap(incident -> {
            Instant now = clock.instant();
            Update update = new Update();
            List<Incident.TimelineEntry> lines = new ArrayList<>();
            Mono<Update> withDue = Mono.just(update);
            if (edit.category() != null && !edit.category().equals(incident.category())) {
                update.set("category", edit.category());
                lines.add(Incident.TimelineEntry.edit(now, actor, "category", incident.category(), edit.category()));
                withDue = categories == null ? withDue : categories.dueAt(edit.category(), incident.createdAt())
                        .map(at -> at.isPresent() ? update.set("dueAt", at.get()) : update.unset("dueAt"));
            }
            String description = edit.description() == null ? null : plainText(edit.description());
            if (description != null && !description.equals(incident.description())) {
                update.set("description", description);
                lines.add(Incident.TimelineEntry.edit(now, actor, "description", incident.description(),
                        description));
            }
            if (location != null && !location.equals(incident.location())) {
                update.set("location", location);
                lines.add(Incident.TimelineEntry.edit(now, actor, "location", describe(incident.location()),
                        describe(location)));
            }
            if (edit.priority() != null && edit.priority() != incident.urgency()) {
                update.set("priority", edit.priority());
                lines.add(Incident.TimelineEntry.edit(now, actor, "priority", incident.urgency().name(),
                        edit.priority().name()));
            }
            if (lines.isEmpty()) {
                return Mono.just(incident);
            }
            update.set("updatedAt", now).push("timeline").each(lines.toArray());
            return withDue.flatMap(u -> mongo.findAndModify(query(where("code").is(code)
                            .and("updatedAt").is(incident.updatedAt())), u,
                    FindAndModifyOptions.options().returnNew(true), Incident.class))
                    .switchIfEmpty(Mono.error(new Refused("incident " + code + " changed meanwhile; reload it")));
        });
    }

    /** A text as staff typed it, with the line breaks browsers send ({@code \r\n}) as the store keeps them. */
    public static String plainText(String text) {
        return text == null ? null : text.replace("\r\n", "\n").replace('\r', '\n').strip();
    }

    /** What an EDIT line says a location was: its address and, when known, its coordinates. */
    static String describe(Incident.Location location) {
        if (location == null) {
            return null;
        }
        String where = location.address() == null ? "" : location.address();
        if (location.latitude() != null && location.longitude() != null) {
            where += (where.isEmpty() ? "" : " ") + String.format(java.util.Locale.ROOT, "(%.6f, %.6f)",
                    location.latitude(), location.longitude());
        }
        return where;
    }

    /** Why a location staff give cannot be taken, or null when it can. */
    public static String locationProblem(Incident.Location location) {
        boolean hasAddress = location.address() != null && !location.address().isBlank();
        if (!hasAddress && (location.latitude() == null || location.longitude() == null)) {
            return "a location needs an address, or a latitude and a longitude";
        }
        if ((location.latitude() == null) != (location.longitude() == null)) {
            return "a location needs both a latitude and a longitude, or neither";
        }
        if (location.latitude() != null && (!Double.isFinite(location.latitude())
                || !Double.isFinite(location.longitude()) || Math.abs(location.latitude()) > 90
                || Math.abs(location.longitude()) > 180)) {
            return "latitude must be between -90 and 90 and longitude between -180 and 180";
        }
        if (hasAddress && location.address().length() > 300) {
            return "an address may have at most 300 characters";
        }
        return null;
    }

    /**
     * Escalates an open incident to another department and/or a person (a supervisor), with the reason, which
     * staff read on its history. Passing it to another department is a public update, as an assignment is.
     */
    public Mono<Incident> escalate(String code, String department, String assignee, String reason, String actor) {
        String why = clean(reason);
        if (why == null) {
            return Mono.error(new Invalid("escalating needs a reason"));
        }
        if (tooLong(reason)) {
            return Mono.error(new Invalid("a reason may have at most " + MAX_NOTE_LENGTH + " characters"));
        }
        if ((department == null || department.isBlank()) && (assignee == null || assignee.isBlank())) {
            return Mono.error(new Invalid("escalate to a department, a person, or both"));
        }
        return find(code).flatMap(incident -> {
            if (incident.status() == IncidentStatus.CLOSED) {
                return Mono.error(new Refused("incident " + code + " is closed; reopen it to escalate it"));
            }
            Instant now = clock.instant();
            StringBuilder text = new StringBuilder("escalated to");
            Update update = new Update().set("updatedAt", now);
            if (assignee != null && !assignee.isBlank()) {
                update.set("assignee", assignee);
                text.append(" staff ").append(assignee);
            }
            boolean passedOn = department != null && !department.isBlank()
                    && !department.equals(incident.department());
            if (department != null && !department.isBlank()) {
                update.set("department", department);
                text.append(" department ").append(department);
            }
            text.append(": ").append(why);
            update.push("timeline", new Incident.TimelineEntry(now, "ESCALATED", actor, text.toString(), passedOn,
                    null, null, null));
            return mongo.findAndModify(query(where("code").is(code).and("status").ne(IncidentStatus.CLOSED)), update,
                            FindAndModifyOptions.options().returnNew(true), Incident.class)
                    .switchIfEmpty(Mono.error(new Refused("incident " + code + " changed meanwhile; reload it")))
                    .flatMap(changed -> passedOn ? tell(changed, "incident-assigned", (texts, language, url) ->
                            texts.incidentAssigned().in(language, Map.of("code", changed.code(), "url", url)))
                            .thenReturn(changed) : Mono.just(changed));
        });
    }

    /**
     * Merges the incident {@code code} into {@code into}, the same problem: it closes as DUPLICATE, linked to the
     * other; everyone who heard of it (its reporters, its followers) now follows the other and is told so. Calling
     * it again after a crash half-way finishes it; {@link #unmerge} undoes it.
     */
    public Mono<Incident> merge(String code, String into, String actor) {
        if (code.equals(into)) {
            return Mono.error(new Invalid("an incident cannot be merged into itself"));
        }
        return find(code).zipWith(find(into)).flatMap(t -> {
            Incident duplicate = t.getT1();
            Incident target = t.getT2();
            if (into.equals(duplicate.mergedInto())) {
                // Asked again (a retry, a crash half-way): finish what is left.
                return joinTarget(duplicate, duplicate.merge()).then(tellMerged(duplicate, target))
                        .thenReturn(duplicate);
            }
            if (target.status() == IncidentStatus.CLOSED) {
                return Mono.error(new Refused(into + " is closed; merge into an open incident"));
            }
            if (duplicate.status() == IncidentStatus.CLOSED) {
                return Mono.error(new Refused(code + " is already closed; reopen it to merge it"));
            }
            Instant now = clock.instant();
            java.util.Set<String> already = new java.util.HashSet<>(target.audience());
            List<String> added = duplicate.audience().stream().filter(c -> !already.contains(c)).toList();
            Incident.Merge merge = new Incident.Merge(into, now, actor, added, duplicate.status().name());
            Update update = new Update().set("status", IncidentStatus.CLOSED).set("outcome", Outcome.DUPLICATE.name())
                    .set("merge", merge).set("updatedAt", now)
                    .push("timeline").each(new Incident.TimelineEntry(now, "STATUS", actor,
                                    duplicate.status() + " -> CLOSED (DUPLICATE)", true, IncidentStatus.CLOSED.name(),
                                    Outcome.DUPLICATE.name(), null),
                            new Incident.TimelineEntry(now, "MERGED", actor, "merged into " + into));
            return mongo.findAndModify(query(where("code").is(code).and("status").is(duplicate.status())
                                    .and("merge").is(null)), update, FindAndModifyOptions.options().returnNew(true),
                            Incident.class)
                    .switchIfEmpty(Mono.error(new Refused("incident " + code + " changed meanwhile; reload it")))
                    .flatMap(changed -> joinTarget(changed, merge).flatMap(joined -> joined
                            ? tellMerged(changed, target).thenReturn(changed)
                            // The target closed or was merged meanwhile (maybe into this one): take it back.
                            : separate(changed, merge, IncidentStatus.valueOf(merge.statusBefore()), actor, false)
                                    .then(Mono.<Incident>error(new Refused(into + " was closed or merged meanwhile; "
                                            + code + " stays as it was")))));
        });
    }

    /**
     * The merge's other half: the target gains the duplicate's audience as followers, and a line, once, while it is
     * open and not merged itself. False when it is not (closed or merged meanwhile) and has not taken it before.
     */
    private Mono<Boolean> joinTarget(Incident duplicate, Incident.Merge merge) {
        Update update = new Update().addToSet("mergedFrom", duplicate.code()).set("updatedAt", merge.at())
                .push("timeline", new Incident.TimelineEntry(merge.at(), "MERGED", merge.by(),
                        "merged " + duplicate.code() + " into this one"));
        if (!merge.added().isEmpty()) {
            update.addToSet("followers").each(merge.added().toArray());
        }
        return mongo.updateFirst(query(where("code").is(merge.into()).and("mergedFrom").ne(duplicate.code())
                                .and("status").ne(IncidentStatus.CLOSED).and("merge").is(null)), update, Incident.class)
                .flatMap(result -> result.getModifiedCount() > 0 ? Mono.just(true)
                        : mongo.exists(query(where("code").is(merge.into()).and("mergedFrom").is(duplicate.code())),
                                Incident.class));
    }

    /** Tells everyone who heard of the duplicate that it is the same problem as the other, which they now follow. */
    private Mono<Void> tellMerged(Incident duplicate, Incident target) {
        String key = "incident-merged:" + duplicate.code() + ":" + duplicate.merge().at().toEpochMilli();
        return pages.urlOf(target).flatMap(url -> reactor.core.publisher.Flux.fromIterable(duplicate.audience())
                .concatMap(conversation -> notices.send(conversation, key + ":" + conversation,
                        org.civicbot.bot.conversation.OutboundPolicy.UPDATE, Map.of("1", duplicate.code()),
                        (texts, language) -> texts.incidentMerged().in(language, Map.of("code", duplicate.code(),
                                "into", target.code(), "url", url))
                                .replace("{request}", PublicUpdates.request(texts, duplicate, language))))
                .then());
    }

    /**
     * Undoes a merge: the incident goes back to where it stood, and the followers the merge gave the other one are
     * taken off it. Its reporters hear it is open again.
     */
    public Mono<Incident> unmerge(String code, String actor) {
        return find(code).flatMap(duplicate -> {
            Incident.Merge merge = duplicate.merge();
            if (merge == null) {
                return Mono.error(new Refused(code + " is not merged into another incident"));
            }
            return separate(duplicate, merge, IncidentStatus.valueOf(merge.statusBefore()), actor, true);
        });
    }

    /**
     * Takes a merged incident back from the one it was merged into: the target first (a crash between the two
     * leaves the duplicate merged, and asking again finishes it), then the duplicate, back to {@code back}.
     *
     * @param tell whether its reporters hear it is open again (not when a merge that never took is undone)
     */
    private Mono<Incident> separate(Incident duplicate, Incident.Merge merge, IncidentStatus back, String actor,
            boolean tell) {
        String code = duplicate.code();
        Instant now = clock.instant();
        Update targetUpdate = new Update().pull("mergedFrom", code).set("updatedAt", now)
                .push("timeline", new Incident.TimelineEntry(now, "UNMERGED", actor, "separated " + code + " again"));
        if (!merge.added().isEmpty()) {
            targetUpdate.pullAll("followers", merge.added().toArray());
        }
        Update update = new Update().set("status", back).unset("outcome").unset("merge").set("updatedAt", now)
                .push("timeline").each(new Incident.TimelineEntry(now, "STATUS", actor, "CLOSED -> " + back, true,
                                back.name(), null, null),
                        new Incident.TimelineEntry(now, "UNMERGED", actor, "separated from " + merge.into()));
        return mongo.updateFirst(query(where("code").is(merge.into()).and("mergedFrom").is(code)), targetUpdate,
                        Incident.class)
                .then(mongo.findAndModify(query(where("code").is(code).and("merge.into").is(merge.into())),
                        update, FindAndModifyOptions.options().returnNew(true), Incident.class))
                .switchIfEmpty(Mono.error(new Refused("incident " + code + " changed meanwhile; reload it")))
                .flatMap(changed -> tell ? tellStatus(changed, IncidentStatus.CLOSED, null, null).thenReturn(changed)
                        : Mono.just(changed));
    }

    /** Adds a file staff attached (a photo, a PDF), with a line naming it. */
    public Mono<Incident> attach(String code, Incident.Attachment attachment, String actor) {
        Instant now = clock.instant();
        Update update = new Update().set("updatedAt", now).push("attachments", attachment)
                .push("timeline", new Incident.TimelineEntry(now, "ATTACHMENT", actor, "attached " + attachment.name()));
        return mongo.findAndModify(query(where("code").is(code).and("attachments.id").ne(attachment.id())), update,
                        FindAndModifyOptions.options().returnNew(true), Incident.class)
                // Attached before (a retried request): as it is.
                .switchIfEmpty(Mono.defer(() -> find(code)));
    }

    /** Takes a file off the incident, with a line naming it (the file itself stays in the store for the audit). */
    public Mono<Incident> detach(String code, String attachmentId, String actor) {
        return find(code).flatMap(incident -> {
            Incident.Attachment attachment = incident.attachments().stream().filter(a -> a.id().equals(attachmentId))
                    .findFirst().orElse(null);
            if (attachment == null) {
                return Mono.error(new Invalid("incident " + code + " has no attachment " + attachmentId));
            }
            Instant now = clock.instant();
            Update update = new Update().set("updatedAt", now)
                    .pull("attachments", new org.bson.Document("id", attachmentId))
                    .push("timeline", new Incident.TimelineEntry(now, "ATTACHMENT", actor,
                            "removed " + attachment.name()));
            return mongo.findAndModify(query(where("code").is(code).and("attachments.id").is(attachmentId)), update,
                            FindAndModifyOptions.options().returnNew(true), Incident.class)
                    .switchIfEmpty(Mono.defer(() -> find(code)));
        });
    }

    /** Adds photos someone other than the citizen sent (staff, a supplier), with a line saying who. */
    public Mono<Incident> addPhotos(String code, List<Incident.Photo> photos, String actor) {
        if (photos.isEmpty()) {
            return find(code);
        }
        Instant now = clock.instant();
        Update update = new Update().set("updatedAt", now)
                .push("timeline", new Incident.TimelineEntry(now, "PHOTO", actor,
                        photos.size() == 1 ? "Added a photo" : "Added " + photos.size() + " photos"));
        update.push("photos").each(photos.toArray());
        return mongo.findAndModify(query(where("code").is(code)), update,
                        FindAndModifyOptions.options().returnNew(true), Incident.class)
                .switchIfEmpty(Mono.error(new NotFound(code)));
    }

    /**
     * Writes down that someone outside staff (a supplier) proposes closing it with an outcome; staff confirm it by
     * closing it. The citizen hears nothing until they do.
     */
    public Mono<Incident> proposeClose(String code, Outcome outcome, String note, String actor) {
        if (tooLong(note)) {
            return Mono.error(new Invalid("a note may have at most " + MAX_NOTE_LENGTH + " characters"));
        }
        Instant now = clock.instant();
        Incident.TimelineEntry entry = new Incident.TimelineEntry(now, "PROPOSAL", actor,
                "proposes closing as " + outcome.name() + (clean(note) == null ? "" : ": " + clean(note)));
        return mongo.findAndModify(query(where("code").is(code).and("status").ne(IncidentStatus.CLOSED)),
                        new Update().set("updatedAt", now).push("timeline", entry),
                        FindAndModifyOptions.options().returnNew(true), Incident.class)
                .switchIfEmpty(Mono.defer(() -> find(code).then(Mono.error(new Refused("incident " + code
                        + " is closed already")))));
    }

    /** Writes down that staff passed the incident to someone outside, by e-mail, with what they asked. */
    public Mono<Incident> forwarded(String code, String to, String note, String actor) {
        Instant now = clock.instant();
        Incident.TimelineEntry entry = new Incident.TimelineEntry(now, "FORWARDED", actor,
                "forwarded to " + to + (clean(note) == null ? "" : ": " + clean(note)));
        return mongo.findAndModify(query(where("code").is(code)),
                        new Update().set("updatedAt", now).push("timeline", entry),
                        FindAndModifyOptions.options().returnNew(true), Incident.class)
                .switchIfEmpty(Mono.error(new NotFound(code)));
    }

    /**
     * Writes down a step of a planned activity (an {@code ACTIVITY} line): {@code what} is {@code planned},
     * {@code done} or {@code cancelled}, with the activity's title, its time (ISO) and its assignee.
     */
    public Mono<Incident> activity(String code, String what, String title, Instant at, String assignee,
            String actor) {
        Instant now = clock.instant();
        Incident.TimelineEntry entry = new Incident.TimelineEntry(now, "ACTIVITY", actor, title, false, null, null,
                null, what, at.toString(), assignee);
        return mongo.findAndModify(query(where("code").is(code)),
                        new Update().set("updatedAt", now).push("timeline", entry),
                        FindAndModifyOptions.options().returnNew(true), Incident.class)
                .switchIfEmpty(Mono.error(new NotFound(code)));
    }

    /** No incident with that code. */
    public static final class NotFound extends RuntimeException {
        public NotFound(String code) {
            super("no incident " + code);
        }
    }

    private Mono<Incident> find(String code) {
        return mongo.findOne(query(where("code").is(code)), Incident.class).switchIfEmpty(Mono.error(new NotFound(code)));
    }

    /** Tells the citizen the incident moved: in progress, reopened, or closed with its outcome. */
    private Mono<Boolean> tellStatus(Incident incident, IncidentStatus from, Outcome outcome, String note) {
        return tell(incident, "incident-status", (texts, language, url) -> {
            Map<String, String> values = new HashMap<>(Map.of("code", incident.code(), "url", url));
            return switch (incident.status()) {
                case NEW -> texts.incidentReopened().in(language, values);
                case IN_PROGRESS -> (from == IncidentStatus.CLOSED ? texts.incidentReopened()
                        : texts.incidentInProgress()).in(language, values);
                case CLOSED -> {
                    values.put("outcome", PublicUpdates.outcome(texts, outcome).in(language));
                    if (note == null) {
                        yield texts.incidentClosed().in(language, values);
                    }
                    values.put("note", note);
                    yield texts.incidentClosedNote().in(language, values);
                }
            };
        });
    }

    /** Asks whoever reported the incident how satisfied they are, once each. */
    private Mono<Void> askReporters(Incident incident) {
        if (satisfaction == null) {
            return Mono.empty();
        }
        return reactor.core.publisher.Flux.fromIterable(incident.audience())
                .filter(incident::reportedFrom)
                .concatMap(conversation -> satisfaction.ask(conversation, Satisfaction.aboutIncident(incident.code()),
                        (texts, language) -> texts.satisfactionIncident().in(language, Map.of("code", incident.code(),
                                "request", PublicUpdates.request(texts, incident, language)))))
                .then();
    }

    /** A notice's text, given the flows' texts, the citizen's language and the incident's public page. */
    private interface Notice {
        String text(Commands.NoticeTexts texts, Language language, String url);
    }

    /**
     * Sends a notice about the incident to every conversation that hears of it (its reporters and followers), once
     * per timeline line and conversation (so a retried call does not send it twice). Device alerts and incidents
     * staff entered have no conversation to tell, unless someone follows them.
     */
    private Mono<Boolean> tell(Incident incident, String kind, Notice notice) {
        String key = kind + ":" + incident.code() + ":" + incident.timeline().size();
        Mono<Boolean> chats = incident.audience().isEmpty() ? Mono.just(false)
                : pages.urlOf(incident).flatMap(url -> reactor.core.publisher.Flux.fromIterable(incident.audience())
                        .concatMap(conversation -> notices.send(conversation, key + ":" + conversation,
                                org.civicbot.bot.conversation.OutboundPolicy.UPDATE, Map.of("1", incident.code()),
                                (texts, language) -> notice.text(texts, language, url)
                                        .replace("{request}", PublicUpdates.request(texts, incident, language))))
                        .reduce(false, Boolean::logicalOr));
        return chats.flatMap(sent -> emailContact(incident, key, notice).thenReturn(sent));
    }

    /** The same notice by e-mail to the citizen behind a request staff entered, when they asked for it. */
    private Mono<Void> emailContact(Incident incident, String key, Notice notice) {
        Incident.Contact contact = incident.contact();
        if (contact == null || !Boolean.TRUE.equals(contact.consent()) || !"EMAIL".equals(contact.notifyBy())
                || contact.email() == null) {
            return Mono.empty();
        }
        Language language = Language.fromCode(contact.language()).orElse(Language.DEFAULT);
        Commands.NoticeTexts texts = notices.texts();
        String request = PublicUpdates.request(texts, incident, language);
        return pages.urlOf(incident).flatMap(url -> contacts.email(incident, key, texts.page().title()
                        .in(language, Map.of("code", incident.code())).replace("{request}", capitalized(request)),
                        notice.text(texts, language, url).replace("{request}", request)))
                .onErrorResume(e -> Mono.empty());
    }

    private static String capitalized(String word) {
        return word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    /**
     * Tells the citizen behind a request staff entered that it is registered, with its code and public page, by
     * e-mail when they asked for it.
     */
    public Mono<Incident> acknowledge(Incident incident) {
        return emailContact(incident, "incident-registered:" + incident.code(), (texts, language, url) ->
                texts.incidentRegistered().in(language, Map.of("code", incident.code(), "url", url)))
                .thenReturn(incident);
    }

    /** Mails the citizens behind the requests staff entered, with this (none by default). */
    public IncidentDesk mailingContacts(ContactNotices contacts) {
        this.contacts = contacts;
        return this;
    }

    private static String clean(String note) {
        return note == null || note.isBlank() ? null : note.strip();
    }

    private static boolean tooLong(String note) {
        return note != null && note.strip().length() > MAX_NOTE_LENGTH;
    }
}

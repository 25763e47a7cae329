package org.civicbot.bot.incident;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
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
    static final Map<IncidentStatus, Set<IncidentStatus>> MOVES = Map.of(
            IncidentStatus.NEW, EnumSet.of(IncidentStatus.IN_PROGRESS, IncidentStatus.CLOSED),
            IncidentStatus.IN_PROGRESS, EnumSet.of(IncidentStatus.CLOSED),
            IncidentStatus.CLOSED, EnumSet.of(IncidentStatus.IN_PROGRESS));

    public static final int MAX_NOTE_LENGTH = 2000;

    private final ReactiveMongoTemplate mongo;
    private final CitizenNotices notices;
    private final PublicPages pages;
    private final Clock clock;
    private final Satisfaction satisfaction;

    public IncidentDesk(ReactiveMongoTemplate mongo, CitizenNotices notices, PublicPages pages, Clock clock) {
        this(mongo, notices, pages, clock, null);
    }

    /** @param satisfaction asks a closed incident's reporters how satisfied they are; null: nobody is asked */
    public IncidentDesk(ReactiveMongoTemplate mongo, CitizenNotices notices, PublicPages pages, Clock clock,
            Satisfaction satisfaction) {
        this.satisfaction = satisfaction;
        this.mongo = mongo;
        this.notices = notices;
        this.pages = pages;
        this.clock = clock;
    }

    /** A change that does not fit where the incident stands; the message says why. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
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
                    + "NOT_OUR_COMPETENCE or SUSPENDED"));
        }
        if (status != IncidentStatus.CLOSED && outcome != null) {
            return Mono.error(new Refused("only a closed incident has an outcome"));
        }
        if (tooLong(note)) {
            return Mono.error(new Refused("a note may have at most " + MAX_NOTE_LENGTH + " characters"));
        }
        String cleanNote = clean(note);
        return find(code).flatMap(incident -> {
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
        if (assignee == null && department == null) {
            return Mono.error(new Refused("name an assignee, a department, or both"));
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
            update.push("timeline", new Incident.TimelineEntry(now, "ASSIGNMENT", actor, text.toString(), passedOn,
                    null, null, null));
            return mongo.findAndModify(query(where("code").is(code)), update,
                            FindAndModifyOptions.options().returnNew(true), Incident.class)
                    .switchIfEmpty(Mono.error(new NotFound(code)))
                    .flatMap(changed -> passedOn ? tell(changed, "incident-assigned", (texts, language, url) ->
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
        if (incident.audience().isEmpty()) {
            return Mono.just(false);
        }
        String key = kind + ":" + incident.code() + ":" + incident.timeline().size();
        return pages.urlOf(incident).flatMap(url -> reactor.core.publisher.Flux.fromIterable(incident.audience())
                .concatMap(conversation -> notices.send(conversation, key + ":" + conversation,
                        org.civicbot.bot.conversation.OutboundPolicy.UPDATE, Map.of("1", incident.code()),
                        (texts, language) -> notice.text(texts, language, url)
                                .replace("{request}", PublicUpdates.request(texts, incident, language))))
                .reduce(false, Boolean::logicalOr));
    }

    private static String clean(String note) {
        return note == null || note.isBlank() ? null : note.strip();
    }

    private static boolean tooLong(String note) {
        return note != null && note.strip().length() > MAX_NOTE_LENGTH;
    }
}

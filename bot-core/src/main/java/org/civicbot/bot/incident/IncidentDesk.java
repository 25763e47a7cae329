package org.civicbot.bot.incident;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.civicbot.bot.conversation.CitizenNotices;
import org.civicbot.bot.conversation.Notices;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.publisher.Mono;

/**
 * What staff do with an incident: move it along (New, In progress, Closed with an outcome), assign it,
 * add notes. Each change is one atomic update that also writes who did what, and when, on the timeline;
 * closing tells the citizen, on their channel, how it ended.
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
    private final Clock clock;

    public IncidentDesk(ReactiveMongoTemplate mongo, CitizenNotices notices, Clock clock) {
        this.mongo = mongo;
        this.notices = notices;
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
            Update update = new Update().set("status", status).set("updatedAt", now)
                    .push("timeline", new Incident.TimelineEntry(now, "STATUS", actor, text));
            if (outcome != null) {
                update.set("outcome", outcome.name());
            } else {
                update.unset("outcome");
            }
            return mongo.findAndModify(query(where("code").is(code).and("status").is(incident.status())), update,
                            FindAndModifyOptions.options().returnNew(true), Incident.class)
                    .switchIfEmpty(Mono.error(new Refused("incident " + code + " changed meanwhile; reload it")))
                    .flatMap(changed -> status == IncidentStatus.CLOSED ? tellCitizen(changed, outcome, cleanNote)
                            .thenReturn(changed) : Mono.just(changed));
        });
    }

    /** Assigns the incident to a staff member and/or a department; null leaves that one as it is. */
    public Mono<Incident> assign(String code, String assignee, String department, String actor) {
        if (assignee == null && department == null) {
            return Mono.error(new Refused("name an assignee, a department, or both"));
        }
        Instant now = clock.instant();
        Update update = new Update().set("updatedAt", now);
        StringBuilder text = new StringBuilder("assigned to");
        if (assignee != null) {
            update.set("assignee", assignee.isBlank() ? null : assignee);
            text.append(" staff ").append(assignee.isBlank() ? "(nobody)" : assignee);
        }
        if (department != null) {
            update.set("department", department.isBlank() ? null : department);
            text.append(" department ").append(department.isBlank() ? "(none)" : department);
        }
        update.push("timeline", new Incident.TimelineEntry(now, "ASSIGNMENT", actor, text.toString()));
        return mongo.findAndModify(query(where("code").is(code)), update,
                        FindAndModifyOptions.options().returnNew(true), Incident.class)
                .switchIfEmpty(Mono.error(new NotFound(code)));
    }

    /** Adds an internal note (never sent to the citizen). */
    public Mono<Incident> addNote(String code, String note, String actor) {
        String text = clean(note);
        if (text == null) {
            return Mono.error(new Refused("a note needs some text"));
        }
        if (tooLong(note)) {
            return Mono.error(new Refused("a note may have at most " + MAX_NOTE_LENGTH + " characters"));
        }
        Instant now = clock.instant();
        return mongo.findAndModify(query(where("code").is(code)), new Update().set("updatedAt", now)
                                .push("timeline", new Incident.TimelineEntry(now, "NOTE", actor, text)),
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

    private Mono<Boolean> tellCitizen(Incident incident, Outcome outcome, String note) {
        if (incident.conversationId() == null) {
            return Mono.just(false);
        }
        String key = "incident-closed:" + incident.code() + ":" + incident.timeline().size();
        return notices.send(incident.conversationId(), key, language -> {
            String how = Notices.text(language, "outcome." + outcome.name());
            return note == null ? Notices.text(language, "incident.closed", incident.code(), how)
                    : Notices.text(language, "incident.closed.note", incident.code(), how, note);
        });
    }

    private static String clean(String note) {
        return note == null || note.isBlank() ? null : note.strip();
    }

    private static boolean tooLong(String note) {
        return note != null && note.strip().length() > MAX_NOTE_LENGTH;
    }
}

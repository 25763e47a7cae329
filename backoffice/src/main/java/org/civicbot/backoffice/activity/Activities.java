package org.civicbot.backoffice.activity;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.civicbot.backoffice.query.IncidentQueries;
import org.civicbot.backoffice.staff.Scope;
import org.civicbot.backoffice.staff.StaffUser;
import org.civicbot.bot.incident.Incident;
import org.civicbot.backoffice.staff.StaffUsers;
import org.civicbot.bot.incident.IncidentDesk;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Planned activities on incidents: planning one (once, or repeating), the calendar's and the lists' reads, done and
 * cancelled. Which incidents a staff member may plan on is the caller's check ({@code Scope}); who may be assigned
 * one is checked here: an enabled member of the town hall's staff.
 */
@Service
public class Activities {

    public static final int MAX_TITLE_LENGTH = 200;
    /** Occurrences of one plan, at most: a year of weekly visits, two months of daily ones. */
    public static final int MAX_OCCURRENCES = 60;
    /** Activities one read lists, at most (a month of a busy town's calendar). */
    public static final int MAX_LISTED = 2000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ReactiveMongoTemplate mongo;
    private final StaffUsers users;
    private final IncidentDesk desk;
    private final IncidentQueries queries;
    private final Clock clock;
    private final ZoneId zone;

    Activities(ReactiveMongoTemplate mongo, StaffUsers users, IncidentDesk desk, IncidentQueries queries, Clock clock,
            @Value("${civicbot.time-zone:Europe/Madrid}") ZoneId zone) {
        this.queries = queries;
        this.mongo = mongo;
        this.users = users;
        this.desk = desk;
        this.clock = clock;
        this.zone = zone;
    }

    /**
     * What to plan.
     *
     * @param at the first (or only) time; a repeat keeps its time of day in the town's zone, summer or winter
     * @param repeat null for a one-off
     */
    public record Plan(String title, Instant at, String assignee, Activity.Repeat repeat) {}

    /** A plan or a change that cannot be made, with what to change. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message);
        }
    }

    /** No such activity. */
    public static final class NotFound extends RuntimeException {
        public NotFound(String id) {
            super("no activity " + id);
        }
    }

    /**
     * Plans the activity on the incident: all its occurrences, and a line on the incident's history. With a key, the
     * same plan sent again (a retry) makes nothing new, even after a crash half-way.
     */
    public Mono<List<Activity>> plan(String incident, Plan plan, String actor, String key) {
        String problem = problem(plan);
        if (problem != null) {
            return Mono.error(new Invalid(problem));
        }
        String assignee = plan.assignee().strip();
        String series = key == null ? random() : digest(actor + "\n" + incident + "\n" + key);
        List<Instant> times = times(plan.at(), plan.repeat());
        Instant now = clock.instant();
        Mono<Incident> found = mongo.findOne(query(where("code").is(incident)), Incident.class)
                .switchIfEmpty(Mono.error(() -> new IncidentDesk.NotFound(incident)));
        return found.flatMap(target -> users.find(assignee)
                // Someone who works on incidents (not a supplier, an editor or communications only), on this one.
                .filter(u -> u.enabled() && u.roles() != null && u.roles().stream().anyMatch(r -> r == StaffUser.Role.AGENT
                        || r == StaffUser.Role.SUPERVISOR || r == StaffUser.Role.ADMIN))
                .switchIfEmpty(Mono.error(() -> new Invalid("there is no active staff member " + assignee
                        + " to do it")))
                .flatMap(u -> users.scope(u.username()))
                .filter(scope -> scope.canSeeIncident(target.department(), target.assignee(), target.organisation()))
                .switchIfEmpty(Mono.error(() -> new Invalid(assignee + " cannot see incident " + incident
                        + " (another department): assign it to them, or choose someone of its department")))
                .thenReturn(target))
                .flatMapMany(target -> Flux.range(0, times.size()).concatMap(i -> {
                    Activity activity = new Activity(series + "-" + (i + 1), series, i + 1, times.size(), incident,
                            plan.title().strip(), times.get(i), assignee, times.size() > 1 ? plan.repeat() : null, now,
                            actor, null, null, null, null, null);
                    return mongo.insert(activity).map(a -> true)
                            // Planned before (a retry): as it is.
                            .onErrorResume(DuplicateKeyException.class, e -> Mono.just(false));
                }))
                .then(planned(incident, plan.title().strip(), times.get(0), assignee, actor))
                .then(ofSeries(series).collectList());
    }

    /**
     * The history's line for a plan, unless it has it already: a retry after a crash between the occurrences and the
     * line writes it then, and only once.
     */
    private Mono<Void> planned(String incident, String title, Instant first, String assignee, String actor) {
        return mongo.findOne(query(where("code").is(incident)), Incident.class)
                .filter(i -> i.timeline().stream().noneMatch(e -> "ACTIVITY".equals(e.type())
                        && "planned".equals(e.field()) && title.equals(e.text()) && first.toString().equals(e.from())
                        && assignee.equals(e.to())))
                .flatMap(i -> desk.activity(incident, "planned", title, first, assignee, actor))
                .then();
    }

    public Mono<Activity> find(String id) {
        return mongo.findById(id, Activity.class);
    }

    public Flux<Activity> ofSeries(String series) {
        return mongo.find(query(where("series").is(series)).with(Sort.by("number")), Activity.class);
    }

    /** The incident's activities, cancelled ones left out, by time. */
    public Flux<Activity> ofIncident(String incident) {
        return mongo.find(query(where("incident").is(incident).and("cancelledAt").is(null)).with(Sort.by("at")),
                Activity.class);
    }

    /**
     * The activities due in {@code [from, to)} on incidents the staff member may see, by time, cancelled ones left
     * out; at most {@link #MAX_LISTED}.
     *
     * @param assignee only theirs; null: everyone's
     * @param openOnly only those still to do
     */
    public Flux<Activity> between(Scope scope, Instant from, Instant to, String assignee, boolean openOnly) {
        List<Criteria> all = new ArrayList<>(List.of(where("cancelledAt").is(null)));
        if (from != null) {
            all.add(where("at").gte(from));
        }
        if (to != null) {
            all.add(where("at").lt(to));
        }
        if (assignee != null && !assignee.isBlank()) {
            all.add(where("assignee").is(assignee));
        }
        if (openOnly) {
            all.add(where("doneAt").is(null));
        }
        return mongo.find(new Query(new Criteria().andOperator(all)).with(Sort.by("at", "id")).limit(MAX_LISTED),
                        Activity.class)
                .collectList()
                .flatMapMany(found -> queries.visibleAmong(scope, found.stream().map(Activity::incident)
                                .collect(Collectors.toSet())).map(Incident::code).collect(Collectors.toSet())
                        .flatMapMany(visible -> Flux.fromIterable(found).filter(a -> visible.contains(a.incident()))));
    }

    /** Marks it done (done twice is done once). */
    public Mono<Activity> done(String id, String actor) {
        return find(id).switchIfEmpty(Mono.error(() -> new NotFound(id))).flatMap(activity -> {
            if (activity.cancelled()) {
                return Mono.error(new Invalid("activity " + id + " was cancelled"));
            }
            if (activity.done()) {
                return Mono.just(activity);
            }
            return mongo.findAndModify(query(where("_id").is(id).and("doneAt").is(null).and("cancelledAt").is(null)),
                            new Update().set("doneAt", clock.instant()).set("doneBy", actor),
                            FindAndModifyOptions.options().returnNew(true), Activity.class)
                    .flatMap(done -> desk.activity(done.incident(), "done", done.title(), done.at(), done.assignee(),
                            actor).thenReturn(done))
                    .switchIfEmpty(Mono.defer(() -> find(id)));
        });
    }

    /**
     * Cancels it, and with {@code andLater} every later occurrence of its series still to do; returns how many were
     * cancelled.
     */
    public Mono<Long> cancel(String id, boolean andLater, String actor) {
        return find(id).switchIfEmpty(Mono.error(() -> new NotFound(id))).flatMap(activity -> {
            if (!activity.open()) {
                return Mono.error(new Invalid("activity " + id + " is " + (activity.done() ? "done" : "cancelled")
                        + " already"));
            }
            Criteria which = andLater ? where("series").is(activity.series()).and("number").gte(activity.number())
                    : where("_id").is(id);
            return mongo.updateMulti(query(which.and("doneAt").is(null).and("cancelledAt").is(null)),
                            new Update().set("cancelledAt", clock.instant()).set("cancelledBy", actor), Activity.class)
                    .map(result -> result.getModifiedCount())
                    .flatMap(count -> desk.activity(activity.incident(), "cancelled", activity.title(), activity.at(),
                            activity.assignee(), actor).thenReturn(count));
        });
    }

    /** The times of a plan: the first, then each repeat at the same time of day in the town's zone. */
    List<Instant> times(Instant first, Activity.Repeat repeat) {
        if (repeat == null || repeat.count() <= 1) {
            return List.of(first);
        }
        LocalDateTime start = LocalDateTime.ofInstant(first, zone);
        List<Instant> times = new ArrayList<>();
        for (int i = 0; i < repeat.count(); i++) {
            long step = (long) i * repeat.interval();
            LocalDateTime next = switch (repeat.every()) {
                case DAY -> start.plusDays(step);
                case WEEK -> start.plusWeeks(step);
                // The 31st of a month without one falls on its last day.
                case MONTH -> start.plusMonths(step);
            };
            times.add(next.atZone(zone).toInstant());
        }
        return times;
    }

    private static String problem(Plan plan) {
        if (plan.title() == null || plan.title().isBlank()) {
            return "say what is to be done (title)";
        }
        if (plan.title().strip().length() > MAX_TITLE_LENGTH) {
            return "a title may have at most " + MAX_TITLE_LENGTH + " characters";
        }
        if (plan.at() == null) {
            return "say when (at), e.g. 2026-12-07T09:00:00+01:00";
        }
        if (plan.assignee() == null || plan.assignee().isBlank()) {
            return "say who is to do it (assignee)";
        }
        Activity.Repeat repeat = plan.repeat();
        if (repeat != null) {
            if (repeat.every() == null) {
                return "a repeat says every DAY, WEEK or MONTH";
            }
            if (repeat.interval() < 1 || repeat.interval() > 12) {
                return "a repeat's interval is 1 to 12 (every 2 weeks: interval 2)";
            }
            if (repeat.count() < 1 || repeat.count() > MAX_OCCURRENCES) {
                return "a repeat happens 1 to " + MAX_OCCURRENCES + " times (count)";
            }
        }
        return null;
    }

    private static String random() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String digest(String value) {
        return HexFormat.of().formatHex(org.civicbot.bot.Hashes.sha256(value), 0, 6);
    }
}

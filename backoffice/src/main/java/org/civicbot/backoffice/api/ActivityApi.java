package org.civicbot.backoffice.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import org.civicbot.backoffice.activity.Activities;
import org.civicbot.backoffice.activity.Activity;
import org.civicbot.backoffice.query.IncidentQueries;
import org.civicbot.backoffice.staff.CurrentStaff;
import org.civicbot.backoffice.staff.Scope;
import org.civicbot.bot.incident.IncidentDesk;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Planned activities on incidents: plan one (once or repeating), read the calendar, mark done, cancel. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Activities", description = "Tasks planned on incidents, with a time, an assignee and a repeat")
class ActivityApi {

    private final Activities activities;
    private final IncidentQueries queries;
    private final CurrentStaff staff;
    private final Clock clock;
    private final ZoneId zone;

    ActivityApi(Activities activities, IncidentQueries queries, CurrentStaff staff, Clock clock,
            @Value("${civicbot.time-zone:Europe/Madrid}") ZoneId zone) {
        this.activities = activities;
        this.queries = queries;
        this.staff = staff;
        this.clock = clock;
        this.zone = zone;
    }

    /**
     * What to plan.
     *
     * @param at the first time, ISO with its offset ({@code 2026-12-07T09:00:00+01:00})
     * @param repeat null for a one-off
     */
    record PlanRequest(String title, OffsetDateTime at, String assignee, RepeatRequest repeat) {}

    /**
     * @param every {@code DAY}, {@code WEEK} or {@code MONTH}
     * @param interval every how many of them; 1 when left out
     * @param count how many times in all, the first included
     */
    record RepeatRequest(Activity.Every every, Integer interval, Integer count) {}

    /** An occurrence as the API reads it; field names are part of the public contract. */
    record ActivityView(String id, String series, int number, int of, String incident, String title, Instant at,
            String assignee, Activity.Repeat repeat, boolean done, Instant doneAt, String doneBy, boolean overdue,
            Instant remindedAt, Instant createdAt, String createdBy) {
        static ActivityView of(Activity a, Instant now) {
            return new ActivityView(a.id(), a.series(), a.number(), a.of(), a.incident(), a.title(), a.at(),
                    a.assignee(), a.repeat(), a.done(), a.doneAt(), a.doneBy(), a.overdue(now), a.remindedAt(),
                    a.createdAt(), a.createdBy());
        }
    }

    /** A plan's occurrences. */
    record Planned(String series, List<ActivityView> activities) {}

    @PostMapping("/incidents/{code}/activities")
    @Operation(summary = "Plan an activity on an incident, once or repeating (all its occurrences are made at once); "
            + "with an Idempotency-Key a retry plans nothing new")
    Mono<ResponseEntity<Planned>> plan(@PathVariable String code, @RequestBody PlanRequest plan,
            @RequestHeader(name = Idempotency.HEADER, required = false) String key) {
        if (key != null && (key.isBlank() || key.length() > Idempotency.MAX_KEY_LENGTH)) {
            return Mono.error(new Activities.Invalid("an Idempotency-Key has 1 to " + Idempotency.MAX_KEY_LENGTH
                    + " characters"));
        }
        RepeatRequest r = plan.repeat();
        Activity.Repeat repeat = r == null ? null : new Activity.Repeat(r.every(),
                r.interval() == null ? 1 : r.interval(), r.count() == null ? 0 : r.count());
        return visible(code).flatMap(scope -> activities.plan(code, new Activities.Plan(plan.title(),
                        plan.at() == null ? null : plan.at().toInstant(), plan.assignee(), repeat), scope.username(), key))
                .map(planned -> ResponseEntity.status(HttpStatus.CREATED).body(new Planned(planned.get(0).series(),
                        planned.stream().map(a -> ActivityView.of(a, clock.instant())).toList())));
    }

    @GetMapping("/incidents/{code}/activities")
    @Operation(summary = "An incident's activities (cancelled ones left out), by time")
    Flux<ActivityView> ofIncident(@PathVariable String code) {
        Instant now = clock.instant();
        return visible(code).flatMapMany(scope -> activities.ofIncident(code)).map(a -> ActivityView.of(a, now));
    }

    /**
     * @param from due at or after: an ISO instant or a date (its start, in the town's time)
     * @param to due before: an ISO instant or a date (its end)
     * @param assignee only theirs; {@code me} for the caller's
     * @param open only those still to do
     */
    @GetMapping("/activities")
    @Operation(summary = "The activities due in a period, on the incidents the caller may see, by time")
    Flux<ActivityView> between(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) String assignee, @RequestParam(required = false) Boolean open) {
        Instant start = ApiDates.instant(from, "from", false, zone);
        Instant end = ApiDates.instant(to, "to", true, zone);
        Instant now = clock.instant();
        return staff.scope().flatMapMany(scope -> activities.between(scope, start, end,
                        "me".equals(assignee) ? scope.username() : assignee, Boolean.TRUE.equals(open)))
                .map(a -> ActivityView.of(a, now));
    }

    @PostMapping("/activities/{id}/done")
    @Operation(summary = "Mark an activity done (its history says who and when)")
    Mono<ActivityView> done(@PathVariable String id) {
        return reachable(id).flatMap(scope -> activities.done(id, scope.username()))
                .map(a -> ActivityView.of(a, clock.instant()));
    }

    /** How many occurrences were cancelled. */
    record Cancelled(long cancelled) {}

    /** @param andLater also cancel the series' later occurrences still to do */
    @DeleteMapping("/activities/{id}")
    @Operation(summary = "Cancel an activity, and with andLater=true the later ones of its series")
    Mono<Cancelled> cancel(@PathVariable String id, @RequestParam(defaultValue = "false") boolean andLater) {
        return reachable(id).flatMap(scope -> activities.cancel(id, andLater, scope.username())).map(Cancelled::new);
    }

    /** The caller, when they may see the incident; its absence and a refusal read the same (404). */
    private Mono<Scope> visible(String code) {
        return staff.scope().flatMap(scope -> queries.visible(scope, code).map(incident -> scope)
                .switchIfEmpty(Mono.error(new IncidentDesk.NotFound(code))));
    }

    private Mono<Scope> reachable(String id) {
        return activities.find(id).switchIfEmpty(Mono.error(() -> new Activities.NotFound(id)))
                .flatMap(activity -> staff.scope().flatMap(scope -> queries.visible(scope, activity.incident())
                        .map(incident -> scope))
                        .switchIfEmpty(Mono.error(() -> new Activities.NotFound(id))));
    }
}

package org.civicbot.backoffice.web;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.civicbot.backoffice.activity.Activities;
import org.civicbot.backoffice.activity.Activity;
import org.civicbot.backoffice.query.IncidentQueries;
import org.civicbot.backoffice.staff.CurrentStaff;
import org.civicbot.backoffice.staff.Scope;
import org.civicbot.backoffice.staff.StaffUser;
import org.civicbot.backoffice.staff.StaffUsers;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Planned activities: the month's calendar (Monday first) with the same activities as a list under it, everyone's or
 * one's own; planning one from an incident's page; marking one done or cancelling it from wherever it is listed.
 */
@Controller
class ActivitiesPage {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy");

    private final Activities activities;
    private final IncidentQueries queries;
    private final CurrentStaff staff;
    private final StaffUsers users;
    private final TownTime time;
    private final Clock clock;

    ActivitiesPage(Activities activities, IncidentQueries queries, CurrentStaff staff, StaffUsers users, TownTime time,
            Clock clock) {
        this.activities = activities;
        this.queries = queries;
        this.staff = staff;
        this.users = users;
        this.time = time;
        this.clock = clock;
    }

    /**
     * An activity as the pages show it.
     *
     * @param state {@code done}, {@code overdue} or {@code planned}
     * @param day its date, {@code yyyy-MM-dd}, to place it in the calendar
     */
    record Item(String id, String day, String date, String time, String title, String incident, String assignee,
            String state, int number, int of) {
        public boolean open() {
            return !"done".equals(state);
        }
    }

    /** A day of the calendar: its activities, and whether it is of the month shown and today. */
    record Day(String date, int dayOfMonth, boolean inMonth, boolean today, List<Item> items) {}

    static Item item(Activity a, Instant now, ZoneId zone, Map<String, String> names) {
        LocalDateTime local = LocalDateTime.ofInstant(a.at(), zone);
        return new Item(a.id(), local.toLocalDate().toString(), DATE.format(local), TIME.format(local), a.title(),
                a.incident(), names.getOrDefault(a.assignee(), a.assignee()),
                a.done() ? "done" : a.overdue(now) ? "overdue" : "planned", a.number(), a.of());
    }

    @GetMapping("/activities")
    Mono<String> calendar(@RequestParam(required = false) String month, @RequestParam(required = false) String who,
            Model model, ServerWebExchange exchange) {
        ZoneId zone = time.zone();
        Instant now = clock.instant();
        LocalDate today = now.atZone(zone).toLocalDate();
        YearMonth shown = parseMonth(month).orElse(YearMonth.from(today));
        LocalDate first = shown.atDay(1).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        LocalDate last = shown.atEndOfMonth().with(TemporalAdjusters.nextOrSame(DayOfWeek.SUNDAY));
        Locale locale = Optional.ofNullable(exchange.getLocaleContext().getLocale()).orElse(Locale.forLanguageTag("ca"));
        boolean mine = !"all".equals(who);
        String monthName = shown.format(DateTimeFormatter.ofPattern("LLLL yyyy", locale));
        model.addAttribute("monthLabel", monthName.substring(0, 1).toUpperCase(locale) + monthName.substring(1));
        model.addAttribute("month", shown.toString());
        model.addAttribute("previous", shown.minusMonths(1).toString());
        model.addAttribute("next", shown.plusMonths(1).toString());
        model.addAttribute("mine", mine);
        model.addAttribute("weekdays", java.util.Arrays.stream(DayOfWeek.values())
                .map(d -> d.getDisplayName(TextStyle.SHORT_STANDALONE, locale)).toList());
        model.addAttribute("flash", Flash.take(exchange));
        Mono<Map<String, String>> names = users.all().collectMap(StaffUser::username, StaffUser::displayName);
        Mono<List<Item>> items = staff.scope().zipWith(names).flatMap(t -> activities.between(t.getT1(),
                        first.atStartOfDay(zone).toInstant(), last.plusDays(1).atStartOfDay(zone).toInstant(),
                        mine ? t.getT1().username() : null, false)
                .map(a -> item(a, now, zone, t.getT2())).collectList()).cache();
        model.addAttribute("weeks", items.map(all -> weeks(all, first, last, shown, today)));
        model.addAttribute("items", items.map(all -> all.stream()
                .filter(i -> YearMonth.from(LocalDate.parse(i.day())).equals(shown)).toList()));
        return Mono.just("activities");
    }

    private static List<List<Day>> weeks(List<Item> items, LocalDate first, LocalDate last, YearMonth shown,
            LocalDate today) {
        Map<String, List<Item>> byDay = new LinkedHashMap<>();
        items.forEach(i -> byDay.computeIfAbsent(i.day(), d -> new ArrayList<>()).add(i));
        List<List<Day>> weeks = new ArrayList<>();
        for (LocalDate monday = first; !monday.isAfter(last); monday = monday.plusWeeks(1)) {
            List<Day> week = new ArrayList<>();
            for (int d = 0; d < 7; d++) {
                LocalDate day = monday.plusDays(d);
                week.add(new Day(day.toString(), day.getDayOfMonth(), YearMonth.from(day).equals(shown),
                        day.equals(today), byDay.getOrDefault(day.toString(), List.of())));
            }
            weeks.add(week);
        }
        return weeks;
    }

    /** The form on an incident's page: what, the first day and time, who, and how it repeats. */
    record PlanForm(String title, String date, String time, String assignee, String every, Integer count) {}

    @PostMapping("/incidents/{code}/activities")
    Mono<String> plan(@PathVariable String code, @ModelAttribute PlanForm form, ServerWebExchange exchange) {
        String back = "/incidents/" + code + "#activities";
        Instant at;
        try {
            at = LocalDate.parse(form.date() == null ? "" : form.date().strip())
                    .atTime(form.time() == null || form.time().isBlank() ? LocalTime.of(9, 0)
                            : LocalTime.parse(form.time().strip()))
                    .atZone(time.zone()).toInstant();
        } catch (DateTimeParseException e) {
            return Flash.redirect(exchange, Flash.error("flash.activityWhen"), back);
        }
        Activity.Repeat repeat = form.every() == null || form.every().isBlank() || "NONE".equals(form.every()) ? null
                : new Activity.Repeat(every(form.every()), 1, form.count() == null ? 0 : form.count());
        return visible(code).flatMap(scope -> activities.plan(code, new Activities.Plan(form.title(), at,
                        form.assignee(), repeat), scope.username(), null))
                .flatMap(planned -> Flash.redirect(exchange, Flash.ok("flash.activityPlanned", planned.get(0).title(),
                        String.valueOf(planned.size())), back))
                .onErrorResume(Activities.Invalid.class,
                        e -> Flash.redirect(exchange, Flash.error("flash.refused", e.getMessage()), back));
    }

    /** Where to go back to after marking done or cancelling: one of the pages that list activities. */
    record Back(String back, Boolean andLater) {
        private static final java.util.regex.Pattern OURS =
                java.util.regex.Pattern.compile("/(incidents|activities)([/?#][A-Za-z0-9/_#?=&.%-]*)?");

        String to() {
            return back != null && OURS.matcher(back).matches() ? back : "/activities";
        }
    }

    @PostMapping("/activities/{id}/done")
    Mono<String> done(@PathVariable String id, @ModelAttribute Back form, ServerWebExchange exchange) {
        return reachable(id).flatMap(scope -> activities.done(id, scope.username()))
                .flatMap(a -> Flash.redirect(exchange, Flash.ok("flash.activityDone", a.title()), form.to()))
                .onErrorResume(Activities.Invalid.class,
                        e -> Flash.redirect(exchange, Flash.error("flash.refused", e.getMessage()), form.to()));
    }

    @PostMapping("/activities/{id}/cancel")
    Mono<String> cancel(@PathVariable String id, @ModelAttribute Back form, ServerWebExchange exchange) {
        return reachable(id).flatMap(scope -> activities.cancel(id, Boolean.TRUE.equals(form.andLater()),
                        scope.username()))
                .flatMap(n -> Flash.redirect(exchange, Flash.ok("flash.activityCancelled", String.valueOf(n)),
                        form.to()))
                .onErrorResume(Activities.Invalid.class,
                        e -> Flash.redirect(exchange, Flash.error("flash.refused", e.getMessage()), form.to()));
    }

    /** The staff member, when they may see the incident; 404 otherwise, as for the incident's own page. */
    private Mono<Scope> visible(String code) {
        return staff.scope().flatMap(scope -> queries.visible(scope, code).map(incident -> scope))
                .switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.NOT_FOUND)));
    }

    private Mono<Scope> reachable(String id) {
        return activities.find(id).switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.NOT_FOUND)))
                .flatMap(a -> visible(a.incident()));
    }

    private static Activity.Every every(String value) {
        try {
            return Activity.Every.valueOf(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Optional<YearMonth> parseMonth(String month) {
        try {
            return month == null || month.isBlank() ? Optional.empty() : Optional.of(YearMonth.parse(month.strip()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}

package org.civicbot.backoffice.query;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.civicbot.backoffice.staff.Scope;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.IncidentStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * The figures of the incidents a filter finds, as a staff member may see them: counts by status, category,
 * department, source, intake and outcome, new and closed per week, times to first action and to close (median and
 * 90th percentile, in hours), overdue ones and the citizens' satisfaction. They come from the same query as the list
 * ({@link IncidentQueries#stream}), so they agree with it; the store hands the incidents over and they are counted
 * here (what both the embedded store and MongoDB serve).
 */
@Service
public class IncidentStats {

    private final IncidentQueries queries;
    private final ZoneId zone;

    IncidentStats(IncidentQueries queries, @Value("${civicbot.time-zone:Europe/Madrid}") ZoneId zone) {
        this.queries = queries;
        this.zone = zone;
    }

    /**
     * @param newPerWeek incidents reported per ISO week ({@code 2026-W48}), by when they were reported
     * @param closedPerWeek incidents closed per ISO week, by when they were closed
     * @param conversations the conversations' figures of the same period and department, when asked for
     * @param medianHoursToFirstAction from the report to the first thing staff did with it (a move, an assignment,
     *     a note, a correction), for those that had one
     */
    public record Stats(long total, Map<String, Long> byStatus, Map<String, Long> byCategory,
            Map<String, Long> byDepartment, Map<String, Long> bySource, Map<String, Long> byIntake,
            Map<String, Long> byOutcome, Map<String, Long> newPerWeek, Map<String, Long> closedPerWeek,
            Double medianHoursToClose, Double p90HoursToClose, Double medianHoursToFirstAction,
            Double p90HoursToFirstAction, long overdue, Satisfaction satisfaction,
            ConversationStats.Figures conversations) {

        /** The same figures, with the conversations' of the same period and department. */
        public Stats with(ConversationStats.Figures figures) {
            return new Stats(total, byStatus, byCategory, byDepartment, bySource, byIntake, byOutcome, newPerWeek,
                    closedPerWeek, medianHoursToClose, p90HoursToClose, medianHoursToFirstAction,
                    p90HoursToFirstAction, overdue, satisfaction, figures);
        }
    }

    /** How satisfied the citizens who answered said they were: how many answered, the mean, and each score. */
    public record Satisfaction(long answers, Double average, Map<Integer, Long> byScore) {}

    public Mono<Stats> of(Scope scope, IncidentQueries.Filter filter, Instant now) {
        return queries.stream(scope, filter).collectList().map(incidents -> figures(incidents, now));
    }

    Stats figures(List<Incident> incidents, Instant now) {
        Map<String, Long> byStatus = zeros(IncidentStatus.values());
        Map<String, Long> byCategory = new TreeMap<>();
        Map<String, Long> byDepartment = new TreeMap<>();
        Map<String, Long> bySource = new TreeMap<>();
        Map<String, Long> byIntake = new TreeMap<>();
        Map<String, Long> byOutcome = new TreeMap<>();
        Map<String, Long> newPerWeek = new TreeMap<>();
        Map<String, Long> closedPerWeek = new TreeMap<>();
        Map<Integer, Long> byScore = new TreeMap<>();
        List<Double> toClose = new ArrayList<>();
        List<Double> toFirstAction = new ArrayList<>();
        long overdue = 0;
        long scoreSum = 0;
        long answers = 0;
        for (Incident i : incidents) {
            count(byStatus, i.status().name());
            count(byCategory, i.category() == null ? "none" : i.category());
            count(byDepartment, i.department() == null ? "none" : i.department());
            count(bySource, i.source().name());
            if (i.intake() != null) {
                count(byIntake, i.intake().name());
            }
            count(newPerWeek, week(i.createdAt()));
            if (i.overdue(now)) {
                overdue++;
            }
            if (i.status() == IncidentStatus.CLOSED) {
                count(byOutcome, i.outcome() == null ? "POSITIVE" : i.outcome());
                Instant closed = closedAt(i);
                if (closed != null) {
                    count(closedPerWeek, week(closed));
                    toClose.add(hours(i.createdAt(), closed));
                }
            }
            Instant first = firstAction(i);
            if (first != null) {
                toFirstAction.add(hours(i.createdAt(), first));
            }
            if (i.satisfaction() != null && i.satisfaction().score() != null) {
                answers++;
                scoreSum += i.satisfaction().score();
                byScore.merge(i.satisfaction().score(), 1L, Long::sum);
            }
        }
        return new Stats(incidents.size(), byStatus, byCategory, byDepartment, bySource, byIntake, byOutcome,
                newPerWeek, closedPerWeek, percentile(toClose, 50), percentile(toClose, 90),
                percentile(toFirstAction, 50), percentile(toFirstAction, 90), overdue,
                new Satisfaction(answers, answers == 0 ? null : round((double) scoreSum / answers), byScore), null);
    }

    /** When it was last closed: its last status line to CLOSED. */
    static Instant closedAt(Incident incident) {
        Instant at = null;
        for (Incident.TimelineEntry e : incident.timeline()) {
            if ("STATUS".equals(e.type()) && IncidentStatus.CLOSED.name().equals(e.status())) {
                at = e.at();
            }
        }
        return at;
    }

    /** The first thing a person of staff (or a supplier) did with it: not the report, a rule, a device or a citizen. */
    static Instant firstAction(Incident incident) {
        for (Incident.TimelineEntry e : incident.timeline()) {
            String actor = e.actor() == null ? "" : e.actor();
            boolean staff = !actor.equals("citizen") && !actor.equals("system") && !actor.startsWith("rule:")
                    && !actor.equals(incident.deviceId());
            if (staff && !"CREATED".equals(e.type()) && !"REPORT".equals(e.type())) {
                return e.at();
            }
        }
        return null;
    }

    private String week(Instant at) {
        var date = at.atZone(zone).toLocalDate();
        return String.format("%d-W%02d", date.get(IsoFields.WEEK_BASED_YEAR), date.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }

    private static double hours(Instant from, Instant to) {
        return Duration.between(from, to).toSeconds() / 3600.0;
    }

    /** The p-th percentile (nearest rank), rounded to a tenth of an hour; null with no values. */
    static Double percentile(List<Double> values, int p) {
        if (values.isEmpty()) {
            return null;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return round(sorted.get(Math.max(0, rank - 1)));
    }

    private static Double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private static void count(Map<String, Long> counts, String key) {
        counts.merge(key, 1L, Long::sum);
    }

    private static Map<String, Long> zeros(Enum<?>[] values) {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        for (Enum<?> v : values) {
            counts.put(v.name(), 0L);
        }
        return counts;
    }
}

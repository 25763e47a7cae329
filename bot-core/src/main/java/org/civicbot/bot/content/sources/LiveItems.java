package org.civicbot.bot.content.sources;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.civicbot.bot.engine.Found;
import org.civicbot.bot.engine.Lookup;

/**
 * Chooses and writes out the items a news, agenda or pharmacies node shows: the latest news; the events of today,
 * this weekend or the next 7 days that are not over; the pharmacies on duty now, the nearest first. Dates and times
 * are the town's ({@code zone}), written as numbers so they read alike in every language.
 */
public final class LiveItems {

    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM");
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm");
    /** A news item's summary is cut here: the link has the rest. */
    static final int MAX_SUMMARY = 200;

    private LiveItems() {}

    /** What {@code lookup} finds in {@code state} (null: never read) at {@code now}. */
    public static Found.Items select(SourceState state, Lookup.Live lookup, Instant now, ZoneId zone) {
        if (state == null || state.lastSuccess() == null) {
            return new Found.Items(List.of(), null, true);
        }
        List<Map<String, String>> items = switch (lookup.kind()) {
            case "news" -> state.items().stream()
                    .sorted(Comparator.comparing(SourceItem::start, Comparator.nullsLast(Comparator.reverseOrder())))
                    .limit(lookup.count()).map(i -> news(i, zone)).toList();
            case "agenda" -> state.items().stream().filter(i -> i.start() != null)
                    .filter(within(lookup.period(), now, zone))
                    .sorted(Comparator.comparing(SourceItem::start)).limit(lookup.count())
                    .map(i -> event(i, zone)).toList();
            case "pharmacies" -> state.items().stream()
                    .filter(i -> i.start() != null && i.end() != null && !now.isBefore(i.start()) && now.isBefore(i.end()))
                    .sorted(Comparator.comparingDouble(i -> distance(i, lookup)))
                    .limit(lookup.count()).map(i -> pharmacy(i, lookup, zone)).toList();
            default -> throw new IllegalArgumentException("not a live node kind: " + lookup.kind());
        };
        String asOf = state.stale() ? STAMP.format(state.lastSuccess().atZone(zone)) : null;
        return new Found.Items(items, asOf, state.stale() && state.items().isEmpty());
    }

    /** Events that overlap the period and are not over at {@code now}. */
    static Predicate<SourceItem> within(String period, Instant now, ZoneId zone) {
        ZonedDateTime today = now.atZone(zone).toLocalDate().atStartOfDay(zone);
        Instant from;
        Instant to;
        switch (period == null ? "week" : period) {
            case "today" -> {
                from = today.toInstant();
                to = today.plusDays(1).toInstant();
            }
            case "weekend" -> {
                LocalDate day = today.toLocalDate();
                LocalDate saturday = day.getDayOfWeek() == DayOfWeek.SUNDAY ? day.minusDays(1)
                        : day.plusDays((DayOfWeek.SATURDAY.getValue() - day.getDayOfWeek().getValue() + 7) % 7);
                from = saturday.atStartOfDay(zone).toInstant();
                to = saturday.plusDays(2).atStartOfDay(zone).toInstant();
            }
            default -> {
                from = today.toInstant();
                to = today.plusDays(7).toInstant();
            }
        }
        return item -> {
            Instant end = item.end() != null ? item.end() : item.start();
            return item.start().isBefore(to) && !end.isBefore(from) && !end.isBefore(now);
        };
    }

    private static Map<String, String> news(SourceItem item, ZoneId zone) {
        Map<String, String> fields = common(item);
        fields.put("date", item.start() == null ? "" : DATE.format(item.start().atZone(zone)));
        return fields;
    }

    private static Map<String, String> event(SourceItem item, ZoneId zone) {
        Map<String, String> fields = common(item);
        ZonedDateTime start = item.start().atZone(zone);
        fields.put("date", DAY.format(start));
        boolean allDay = start.toLocalTime().equals(java.time.LocalTime.MIDNIGHT) && item.end() != null
                && Duration.between(item.start(), item.end()).toHours() % 24 == 0;
        fields.put("time", allDay ? "" : TIME.format(start));
        return fields;
    }

    private static Map<String, String> pharmacy(SourceItem item, Lookup.Live lookup, ZoneId zone) {
        Map<String, String> fields = common(item);
        fields.put("name", item.title());
        fields.put("address", text(item.place()));
        String until = TIME.format(item.end().atZone(zone));
        fields.put("hours", TIME.format(item.start().atZone(zone)) + "–" + ("00:00".equals(until) ? "24:00" : until));
        double meters = distance(item, lookup);
        fields.put("distance", Double.isInfinite(meters) ? "" : meters < 1000
                ? Math.round(meters / 10) * 10 + " m" : Math.round(meters / 100) * 100 + " m");
        fields.put("map", item.latitude() == null ? "" : String.format(Locale.ROOT,
                "https://www.openstreetmap.org/?mlat=%.5f&mlon=%.5f#map=18/%.5f/%.5f", item.latitude(),
                item.longitude(), item.latitude(), item.longitude()));
        return fields;
    }

    private static Map<String, String> common(SourceItem item) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("title", text(item.title()));
        String summary = text(item.summary());
        fields.put("summary", summary.length() > MAX_SUMMARY ? summary.substring(0, MAX_SUMMARY - 1).strip() + "…"
                : summary);
        fields.put("link", text(item.link()));
        fields.put("place", text(item.place()));
        fields.put("phone", text(item.phone()));
        return fields;
    }

    private static String text(String value) {
        return value == null ? "" : value.strip();
    }

    /** Metres from the citizen to the item; infinite when either place is unknown (those go last). */
    static double distance(SourceItem item, Lookup.Live lookup) {
        if (lookup.latitude() == null || item.latitude() == null || item.longitude() == null) {
            return Double.POSITIVE_INFINITY;
        }
        double lat1 = Math.toRadians(lookup.latitude());
        double lat2 = Math.toRadians(item.latitude());
        double dLat = lat2 - lat1;
        double dLon = Math.toRadians(item.longitude() - lookup.longitude());
        double a = Math.sin(dLat / 2) * Math.sin(dLat / 2)
                + Math.cos(lat1) * Math.cos(lat2) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * 6_371_000 * Math.asin(Math.sqrt(a));
    }
}

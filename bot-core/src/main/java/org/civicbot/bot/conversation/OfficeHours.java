package org.civicbot.bot.conversation;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * When staff answer: e.g. {@code MON-FRI 09:00-14:00; TUE,THU 16:00-18:30}, in the town hall's zone.
 * An empty specification means always open.
 */
public final class OfficeHours {

    /** A span of one or more days with an opening and closing time. */
    record Span(Set<DayOfWeek> days, LocalTime opens, LocalTime closes) {}

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("H:mm");

    private final List<Span> spans;
    private final ZoneId zone;

    private OfficeHours(List<Span> spans, ZoneId zone) {
        this.spans = List.copyOf(spans);
        this.zone = zone;
    }

    /** The town hall's time zone, in which office hours and the dates citizens read are written. */
    public ZoneId zone() {
        return zone;
    }

    public static OfficeHours always(ZoneId zone) {
        return new OfficeHours(List.of(), zone);
    }

    /**
     * Reads a specification such as {@code MON-FRI 09:00-14:00; SAT 10:00-13:00}.
     *
     * @throws IllegalArgumentException naming the part that cannot be read
     */
    public static OfficeHours parse(String spec, ZoneId zone) {
        if (spec == null || spec.isBlank()) {
            return always(zone);
        }
        List<Span> spans = new ArrayList<>();
        for (String part : spec.split(";")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            String[] daysAndTimes = p.split("\\s+");
            if (daysAndTimes.length != 2) {
                throw new IllegalArgumentException("office hours \"" + p + "\": expected DAYS HH:MM-HH:MM");
            }
            String[] times = daysAndTimes[1].split("-");
            if (times.length != 2) {
                throw new IllegalArgumentException("office hours \"" + p + "\": expected HH:MM-HH:MM");
            }
            Set<DayOfWeek> days = days(daysAndTimes[0], p);
            LocalTime opens = time(times[0], p);
            LocalTime closes = time(times[1], p);
            if (!closes.isAfter(opens)) {
                throw new IllegalArgumentException("office hours \"" + p + "\": closes before it opens");
            }
            spans.add(new Span(days, opens, closes));
        }
        return new OfficeHours(spans, zone);
    }

    private static LocalTime time(String text, String part) {
        try {
            return LocalTime.parse(text, TIME);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("office hours \"" + part + "\": \"" + text + "\" is not a time (HH:MM)");
        }
    }

    private static Set<DayOfWeek> days(String text, String part) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String item : text.toUpperCase(Locale.ROOT).split(",")) {
            String[] range = item.split("-");
            DayOfWeek from = day(range[0], part);
            DayOfWeek to = range.length > 1 ? day(range[1], part) : from;
            for (DayOfWeek d = from; ; d = d.plus(1)) {
                days.add(d);
                if (d == to) {
                    break;
                }
            }
        }
        return days;
    }

    private static DayOfWeek day(String abbreviation, String part) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().startsWith(abbreviation) && abbreviation.length() == 3) {
                return d;
            }
        }
        throw new IllegalArgumentException("office hours \"" + part + "\": unknown day \"" + abbreviation
                + "\" (use MON, TUE, WED, THU, FRI, SAT, SUN)");
    }

    public boolean isOpen(Instant at) {
        if (spans.isEmpty()) {
            return true;
        }
        ZonedDateTime local = at.atZone(zone);
        LocalTime time = local.toLocalTime();
        return spans.stream().anyMatch(s -> s.days().contains(local.getDayOfWeek())
                && !time.isBefore(s.opens()) && time.isBefore(s.closes()));
    }

    /** When the office next opens after {@code at}, in the town hall's zone; empty if always open. */
    public Optional<ZonedDateTime> nextOpening(Instant at) {
        if (spans.isEmpty()) {
            return Optional.empty();
        }
        ZonedDateTime local = at.atZone(zone);
        for (int day = 0; day <= 7; day++) {
            ZonedDateTime date = local.plusDays(day);
            ZonedDateTime best = null;
            for (Span span : spans) {
                if (span.days().contains(date.getDayOfWeek())) {
                    ZonedDateTime opening = date.with(span.opens()).withSecond(0).withNano(0);
                    if (opening.isAfter(local) && (best == null || opening.isBefore(best))) {
                        best = opening;
                    }
                }
            }
            if (best != null) {
                return Optional.of(best);
            }
        }
        return Optional.empty();
    }
}

package org.civicbot.bot.appointment;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;

/**
 * A place where appointments are served: its opening hours per weekday, the town's yearly holidays it keeps and its
 * own one-off closures.
 *
 * @param id a short name, e.g. {@code oac-centre}
 * @param hours by weekday ({@code MONDAY} ... {@code SUNDAY}): ranges {@code HH:MM-HH:MM}; a day not named is closed
 * @param holidays closed every year on these days, {@code MM-DD} ({@code 12-25})
 * @param closures closed on these dates, {@code YYYY-MM-DD}
 */
@org.springframework.data.mongodb.core.mapping.Document("appointment_offices")
public record Office(@Id String id, String name, String address, Map<String, List<String>> hours,
        List<String> holidays, List<String> closures) {

    @PersistenceCreator
    public Office {
        // Weekdays as java.time names them, whatever case they were written in.
        Map<String, List<String>> days = new java.util.LinkedHashMap<>();
        if (hours != null) {
            hours.forEach((day, ranges) -> days.put(day == null ? "" : day.strip().toUpperCase(Locale.ROOT),
                    ranges == null ? List.of() : List.copyOf(ranges)));
        }
        hours = Map.copyOf(days);
        holidays = holidays == null ? List.of() : List.copyOf(holidays);
        closures = closures == null ? List.of() : List.copyOf(closures);
    }

    /** An opening range of a day. */
    public record Range(LocalTime from, LocalTime to) {}

    /** What is wrong with the office as written, in words an admin can act on; empty when nothing is. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (id == null || !id.matches("[a-z0-9][a-z0-9_-]{0,39}")) {
            problems.add("id is 1 to 40 lower-case letters, digits, - or _");
        }
        if (name == null || name.isBlank()) {
            problems.add("name is required");
        }
        hours.forEach((day, ranges) -> {
            try {
                DayOfWeek.valueOf(day.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add("hours: \"" + day + "\" is not a weekday (MONDAY ... SUNDAY)");
                return;
            }
            for (String range : ranges) {
                if (parse(range) == null) {
                    problems.add("hours of " + day + ": \"" + range + "\" is not HH:MM-HH:MM with the end after the start");
                }
            }
        });
        for (String holiday : holidays) {
            try {
                MonthDay.parse("--" + holiday);
            } catch (DateTimeParseException e) {
                problems.add("holidays: \"" + holiday + "\" is not MM-DD");
            }
        }
        for (String closure : closures) {
            try {
                LocalDate.parse(closure);
            } catch (DateTimeParseException e) {
                problems.add("closures: \"" + closure + "\" is not YYYY-MM-DD");
            }
        }
        return problems;
    }

    /** The ranges it opens on {@code date}; none when closed (not a day it opens, a holiday, a closure). */
    public List<Range> openOn(LocalDate date) {
        if (closures.contains(date.toString())
                || holidays.contains(String.format(Locale.ROOT, "%02d-%02d", date.getMonthValue(), date.getDayOfMonth()))) {
            return List.of();
        }
        List<Range> open = new ArrayList<>();
        hours.forEach((day, ranges) -> {
            if (day.equalsIgnoreCase(date.getDayOfWeek().name())) {
                ranges.stream().map(Office::parse).filter(java.util.Objects::nonNull).forEach(open::add);
            }
        });
        open.sort(java.util.Comparator.comparing(Range::from));
        return open;
    }

    static Range parse(String range) {
        String[] parts = range == null ? new String[0] : range.strip().split("\\s*-\\s*");
        if (parts.length != 2) {
            return null;
        }
        try {
            LocalTime from = LocalTime.parse(parts[0]);
            LocalTime to = LocalTime.parse(parts[1]);
            return to.isAfter(from) ? new Range(from, to) : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}

package org.civicbot.backoffice.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Times as staff read them: in the town hall's zone, day first. */
@Component
class TownTime {

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

    private final ZoneId zone;

    TownTime(@Value("${civicbot.time-zone:Europe/Madrid}") ZoneId zone) {
        this.zone = zone;
    }

    /** The town hall's zone. */
    ZoneId zone() {
        return zone;
    }

    String format(Instant at) {
        return at == null ? "" : DATE_TIME.format(at.atZone(zone));
    }

    /** Only the time for today, the date and time otherwise. */
    String brief(Instant at, Instant now) {
        if (at == null) {
            return "";
        }
        boolean today = at.atZone(zone).toLocalDate().equals(now.atZone(zone).toLocalDate());
        return (today ? TIME : DATE_TIME).format(at.atZone(zone));
    }

    /** The start of a day given as {@code yyyy-MM-dd}; empty when blank or not a date. */
    Optional<Instant> startOf(String day) {
        return parse(day).map(d -> d.atStartOfDay(zone).toInstant());
    }

    /** The start of the day after, so that a range "to" a day includes that day. */
    Optional<Instant> endOf(String day) {
        return parse(day).map(d -> d.plusDays(1).atStartOfDay(zone).toInstant());
    }

    private static Optional<LocalDate> parse(String day) {
        if (day == null || day.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(day.strip()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}

package org.civicbot.backoffice.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** The API's time parameters: an ISO instant or date-time with its offset, or a date in the town's zone. */
final class ApiDates {

    private ApiDates() {}

    /**
     * The instant {@code value} names; null when it is empty.
     *
     * @param endOfDay whether a bare date means the end of that day (a "to"), not its start
     * @throws ResponseStatusException 400 naming the parameter when it is neither
     */
    static Instant instant(String value, String name, boolean endOfDay, ZoneId zone) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String given = value.strip();
        try {
            return OffsetDateTime.parse(given).toInstant();
        } catch (DateTimeParseException notAnInstant) {
            try {
                LocalDate day = LocalDate.parse(given);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay(zone).toInstant();
            } catch (DateTimeParseException notADate) {
                throw new ResponseStatusException(HttpStatus.BAD_REQUEST, name + " must be an ISO instant "
                        + "(2026-11-01T00:00:00Z, or with its offset: 2026-11-01T09:00:00+01:00) or a date (2026-11-01)");
            }
        }
    }
}

package org.civicbot.bot.appointment;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** The times an office opens a service's appointments on a day: its opening ranges cut into the service's length. */
public final class Slots {

    private Slots() {}

    /** Every slot start of {@code date}, earliest first; none on a day the office is closed. */
    public static List<Instant> of(AppointmentService service, Office office, LocalDate date, ZoneId zone) {
        List<Instant> starts = new ArrayList<>();
        for (Office.Range range : office.openOn(date)) {
            LocalTime at = range.from();
            // LocalTime wraps at midnight: count minutes instead of comparing times that may have wrapped.
            int minute = at.toSecondOfDay() / 60;
            int end = range.to().toSecondOfDay() / 60;
            while (minute + service.minutes() <= end) {
                starts.add(date.atTime(LocalTime.ofSecondOfDay(minute * 60L)).atZone(zone).toInstant());
                minute += service.minutes();
            }
        }
        return starts;
    }

    /** Whether {@code start} is a slot start of the service at the office. */
    public static boolean isSlot(AppointmentService service, Office office, Instant start, ZoneId zone) {
        return of(service, office, start.atZone(zone).toLocalDate(), zone).contains(start);
    }
}

package org.civicbot.bot.appointment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;

/**
 * A service citizens book (the residence register, certificates, social services...): the offices that serve it,
 * how long an appointment lasts and how many people each time takes, and how far ahead and how late one may book.
 *
 * @param names by language code ({@code ca}, {@code es}, {@code en})
 * @param bring what to bring, by language code; may be empty
 * @param offices the ids of the offices that serve it, in the order citizens see them
 * @param minutes how long an appointment lasts: the slots of an office's opening hours
 * @param seats how many people one slot takes (desks that serve it at once)
 * @param horizonDays how many days ahead, today included, a citizen may book
 * @param noticeHours how many hours before its time a slot stops being offered to citizens
 * @param active offered to citizens; an inactive service keeps its bookings
 */
@org.springframework.data.mongodb.core.mapping.Document("appointment_services")
public record AppointmentService(@Id String id, Map<String, String> names, Map<String, String> bring,
        List<String> offices, int minutes, int seats, int horizonDays, int noticeHours, boolean active) {

    public static final int MAX_SEATS = 50;
    public static final int MAX_HORIZON_DAYS = 366;

    @PersistenceCreator
    public AppointmentService {
        names = names == null ? Map.of() : Map.copyOf(names);
        bring = bring == null ? Map.of() : Map.copyOf(bring);
        offices = offices == null ? List.of() : List.copyOf(offices);
    }

    /** Its name in {@code language}, else Catalan, else its id. */
    public String name(String language) {
        return names.getOrDefault(language, names.getOrDefault("ca", id));
    }

    /** What to bring in {@code language}, else Catalan, else nothing. */
    public String bring(String language) {
        return bring.getOrDefault(language, bring.getOrDefault("ca", ""));
    }

    /** What is wrong with the service as written, in words an admin can act on; empty when nothing is. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (id == null || !id.matches("[a-z0-9][a-z0-9_-]{0,39}")) {
            problems.add("id is 1 to 40 lower-case letters, digits, - or _");
        }
        for (String language : List.of("ca", "es", "en")) {
            if (names.get(language) == null || names.get(language).isBlank()) {
                problems.add("names needs a name in " + language);
            }
        }
        if (offices.isEmpty()) {
            problems.add("offices names at least one office");
        }
        if (minutes < 5 || minutes > 480) {
            problems.add("minutes is 5 to 480");
        }
        if (seats < 1 || seats > MAX_SEATS) {
            problems.add("seats is 1 to " + MAX_SEATS);
        }
        if (horizonDays < 1 || horizonDays > MAX_HORIZON_DAYS) {
            problems.add("horizonDays is 1 to " + MAX_HORIZON_DAYS);
        }
        if (noticeHours < 0 || noticeHours > 24 * 30) {
            problems.add("noticeHours is 0 to 720");
        }
        return problems;
    }
}

package org.civicbot.bot.turn;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.civicbot.bot.Channel;
import org.civicbot.bot.appointment.Appointment;
import org.civicbot.bot.appointment.Appointments;
import org.civicbot.bot.appointment.Office;
import org.civicbot.bot.engine.Found;
import org.civicbot.bot.engine.Lookup;
import reactor.core.publisher.Mono;

/**
 * What the appointments node asks the host: the services and the contact's appointments, free days and times (the
 * town's dates and times, as the engine speaks), and the booking, move or cancellation it confirmed. A change is
 * made only on the contact's own appointments: the scope check of the chat.
 */
public final class AppointmentLookups {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

    private AppointmentLookups() {}

    public static Mono<Optional<Found>> read(Appointments appointments, Lookup lookup, String conversationId, ZoneId zone) {
        if (lookup instanceof Lookup.FreeDays days) {
            return appointments.freeDays(days.service(), days.office(), 31)
                    .map(found -> Optional.<Found>of(new Found.Free(found.stream().map(LocalDate::toString).toList())));
        }
        if (lookup instanceof Lookup.FreeTimes times) {
            LocalDate day;
            try {
                day = LocalDate.parse(times.date());
            } catch (DateTimeParseException e) {
                return Mono.just(Optional.of(new Found.Free(List.of())));
            }
            return appointments.free(times.service(), times.office(), day, 1, false).map(found -> Optional.of(
                    new Found.Free(found.stream().map(t -> TIME.format(t.atZone(zone))).toList())));
        }
        return appointments.offices().collectMap(Office::id).zipWith(appointments.upcoming(conversationId)
                .collectList()).flatMap(t -> appointments.services().filter(s -> s.active()).map(s ->
                        new Found.Appointments.Service(s.id(), s.names(), s.bring(), s.offices().stream()
                                .map(t.getT1()::get).filter(java.util.Objects::nonNull)
                                .map(o -> new Found.Appointments.Office(o.id(), o.name(),
                                        o.address() == null ? "" : o.address())).toList()))
                .collectList().map(services -> Optional.<Found>of(new Found.Appointments(services,
                        t.getT2().stream().map(a -> new Found.Appointments.Mine(a.code(), a.service(), a.office(),
                                LOCAL.format(a.start().atZone(zone)))).toList()))));
    }

    /**
     * Books, moves or cancels. A refusal the citizen can do something about (the time went past its notice, or was
     * taken) answers the nearest free times; a store failure fails the turn, which runs again.
     */
    static Mono<Optional<Found>> change(Appointments appointments, Lookup lookup, String conversationId,
            Channel channel, ZoneId zone) {
        if (lookup instanceof Lookup.Book book) {
            Instant start = instant(book.start(), zone);
            if (start == null) {
                return Mono.just(Optional.empty());
            }
            return appointments.book(new Appointments.Request(book.ref(), book.service(), book.office(), start,
                            book.name(), null, channel.name(), conversationId, book.language(), "citizen", false))
                    .map(booking -> Optional.of(found(booking, zone)))
                    .onErrorResume(Appointments.Invalid.class, e -> nearest(appointments, book.service(), book.office(),
                            start, zone))
                    .onErrorResume(Appointments.NotFound.class, e -> Mono.just(Optional.empty()));
        }
        if (lookup instanceof Lookup.MoveAppointment move) {
            Instant start = instant(move.start(), zone);
            return own(appointments, move.code(), conversationId).flatMap(a -> start == null
                    ? Mono.just(Optional.<Found>empty())
                    : appointments.move(move.code(), start, "citizen", false).map(b -> Optional.of(found(b, zone)))
                            .onErrorResume(Appointments.Invalid.class, e -> nearest(appointments, a.service(),
                                    a.office(), start, zone)))
                    .defaultIfEmpty(Optional.empty());
        }
        Lookup.CancelAppointment cancel = (Lookup.CancelAppointment) lookup;
        return own(appointments, cancel.code(), conversationId)
                .flatMap(a -> appointments.cancel(a.code(), "citizen").map(c -> Optional.<Found>of(new Found.Done())))
                .onErrorResume(Appointments.Invalid.class, e -> Mono.just(Optional.empty()))
                .defaultIfEmpty(Optional.empty());
    }

    /** The appointment {@code code} if it is this contact's; empty otherwise. */
    private static Mono<Appointment> own(Appointments appointments, String code, String conversationId) {
        return appointments.byCode(code).filter(a -> conversationId.equals(a.conversationId()))
                .onErrorResume(Appointments.NotFound.class, e -> Mono.empty());
    }

    private static Found found(Appointments.Booking booking, ZoneId zone) {
        if (booking instanceof Appointments.Booked booked) {
            return new Found.Booked(booked.appointment().code(), LOCAL.format(booked.appointment().start().atZone(zone)));
        }
        return new Found.Taken(((Appointments.Full) booking).nearest().stream().map(t -> LOCAL.format(t.atZone(zone)))
                .toList());
    }

    private static Mono<Optional<Found>> nearest(Appointments appointments, String service, String office,
            Instant wanted, ZoneId zone) {
        LocalDate day = wanted.atZone(zone).toLocalDate();
        return appointments.free(service, office, day, 7, false).map(times -> Optional.<Found>of(new Found.Taken(
                times.stream().sorted(java.util.Comparator.comparing((Instant t) -> java.time.Duration.between(t,
                        wanted).abs())).limit(Appointments.NEAREST).sorted().map(t -> LOCAL.format(t.atZone(zone)))
                        .toList())))
                .onErrorResume(Appointments.NotFound.class, e -> Mono.just(Optional.empty()))
                .onErrorResume(Appointments.Invalid.class, e -> Mono.just(Optional.empty()));
    }

    private static Instant instant(String local, ZoneId zone) {
        try {
            return LocalDateTime.parse(local, LOCAL).atZone(zone).toInstant();
        } catch (DateTimeParseException | NullPointerException e) {
            return null;
        }
    }

}

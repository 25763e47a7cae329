package org.civicbot.bot.appointment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.bson.Document;
import org.civicbot.bot.MutableClock;
import org.civicbot.bot.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/** Free times, bookings, moves and cancellations on a real store, and no double booking under concurrency. */
class AppointmentsTests {

    static final ZoneId TOWN = ZoneId.of("Europe/Madrid");
    /** Monday 30 November 2026, 08:00 in the town. */
    static final Instant MONDAY_8 = at("2026-11-30T08:00");

    final TestStore store = TestStore.start();
    final MutableClock clock = new MutableClock(MONDAY_8);
    final Appointments appointments = new Appointments(store.template(), clock, TOWN);

    @AfterEach
    void close() {
        store.close();
    }

    static Instant at(String local) {
        return LocalDateTime.parse(local).atZone(TOWN).toInstant();
    }

    /** An office open weekday mornings and Thursday afternoon, closed on 8 December (a holiday) and on 2 December. */
    void setUp(int seats) {
        appointments.save(new Office("oac", "OAC Centre", "Plaça de la Vila, 1", Map.of(
                "MONDAY", List.of("09:00-11:00"), "TUESDAY", List.of("09:00-11:00"), "WEDNESDAY", List.of("09:00-11:00"),
                "THURSDAY", List.of("09:00-11:00", "16:00-17:00"), "FRIDAY", List.of("09:00-11:00")),
                List.of("12-08"), List.of("2026-12-02"))).block();
        appointments.save(new AppointmentService("padro", Map.of("ca", "Padró", "es", "Padrón", "en", "Register"),
                Map.of("ca", "DNI"), List.of("oac"), 30, seats, 14, 2, true)).block();
    }

    Appointments.Request request(String ref, Instant start) {
        return new Appointments.Request(ref, "padro", "oac", start, "Jordi Serra", "+34600000001", "TELEGRAM",
                "conv-" + ref, "ca", "citizen", false);
    }

    @Test
    void offersOnlyOpenSlotsAfterTheNoticeWithinTheHorizonNeverOnClosedDays() {
        setUp(1);
        List<Instant> monday = appointments.free("padro", "oac", LocalDate.of(2026, 11, 30), 1, false).block();
        // Open 9 to 11 in 30-minute slots; the notice (2 h from 8:00) leaves 10:00 and 10:30.
        assertThat(monday).containsExactly(at("2026-11-30T10:00"), at("2026-11-30T10:30"));
        assertThat(appointments.free("padro", "oac", LocalDate.of(2026, 12, 3), 1, false).block())
                .as("Thursday: morning and afternoon").hasSize(6).contains(at("2026-12-03T16:30"));
        assertThat(appointments.free("padro", "oac", LocalDate.of(2026, 12, 2), 1, false).block()).as("closed")
                .isEmpty();
        assertThat(appointments.free("padro", "oac", LocalDate.of(2026, 12, 8), 1, false).block()).as("a holiday")
                .isEmpty();
        List<LocalDate> days = appointments.freeDays("padro", "oac", 20).block();
        assertThat(days).doesNotContain(LocalDate.of(2026, 12, 2), LocalDate.of(2026, 12, 5), LocalDate.of(2026, 12, 6),
                LocalDate.of(2026, 12, 8));
        assertThat(days).first().isEqualTo(LocalDate.of(2026, 11, 30));
        assertThat(days).last().as("14 days ahead, today included").isEqualTo(LocalDate.of(2026, 12, 11));

        assertThatThrownBy(() -> appointments.book(request("r1", at("2026-11-30T09:00"))).block())
                .isInstanceOf(Appointments.Invalid.class).hasMessageContaining("notice");
        assertThatThrownBy(() -> appointments.book(request("r1", at("2026-11-30T09:10"))).block())
                .isInstanceOf(Appointments.Invalid.class).hasMessageContaining("not a slot");
        assertThatThrownBy(() -> appointments.book(request("r1", at("2026-12-02T09:00"))).block())
                .isInstanceOf(Appointments.Invalid.class).hasMessageContaining("closed");
        // Staff book a visitor at the desk for the slot now open, notice aside.
        clock.advance(Duration.ofMinutes(65));
        Appointments.Request atDesk = new Appointments.Request("desk", "padro", "oac", at("2026-11-30T09:00"),
                "Maria Puig", null, "STAFF", null, "ca", "ana", true);
        assertThat(appointments.book(atDesk).block()).isInstanceOf(Appointments.Booked.class);
    }

    @Test
    void ofTwentyCitizensRacingForThreeSeatsExactlyThreeBookAndTheOthersAreOfferedTheNearestTimes() {
        setUp(3);
        Instant slot = at("2026-12-01T09:30");
        List<Appointments.Booking> results = Flux.fromStream(IntStream.range(0, 20).boxed())
                .flatMap(i -> appointments.book(request("race-" + i, slot)).subscribeOn(Schedulers.parallel()), 20)
                .collectList().block();

        assertThat(results).filteredOn(Appointments.Booked.class::isInstance).hasSize(3);
        List<Appointments.Full> full = results.stream().filter(Appointments.Full.class::isInstance)
                .map(Appointments.Full.class::cast).toList();
        assertThat(full).hasSize(17).allSatisfy(f -> assertThat(f.nearest()).hasSize(Appointments.NEAREST)
                .doesNotContain(slot).contains(at("2026-12-01T09:00"), at("2026-12-01T10:00")));
        assertThat(store.template().count(new org.springframework.data.mongodb.core.query.Query(), Appointments.SEATS)
                .block()).isEqualTo(3);
        assertThat(appointments.day("oac", LocalDate.of(2026, 12, 1)).collectList().block()).hasSize(3)
                .extracting(Appointment::seat).doesNotHaveDuplicates();
        assertThat(appointments.free("padro", "oac", LocalDate.of(2026, 12, 1), 1, false).block()).doesNotContain(slot);

        // The same request again (a turn run twice): the same booking, nothing new.
        Appointments.Booked first = (Appointments.Booked) results.stream().filter(Appointments.Booked.class::isInstance)
                .findFirst().orElseThrow();
        Appointments.Booked again = (Appointments.Booked) appointments.book(request(first.appointment().id(), slot))
                .block();
        assertThat(again.created()).isFalse();
        assertThat(again.appointment().code()).isEqualTo(first.appointment().code()).matches("CITA-2026-\\d{6}");
    }

    @Test
    void aCancellationFreesTheSeatAndAMoveTakesTheNewSeatBeforeFreeingTheOld() {
        setUp(1);
        Instant nine = at("2026-12-01T09:00");
        Instant ten = at("2026-12-01T10:00");
        Appointment mine = ((Appointments.Booked) appointments.book(request("mine", nine)).block()).appointment();
        assertThat(appointments.book(request("other", nine)).block()).isInstanceOf(Appointments.Full.class);
        Appointment theirs = ((Appointments.Booked) appointments.book(request("theirs", ten)).block()).appointment();

        assertThat(appointments.move(mine.code(), ten, "citizen", false).block()).as("ten is taken")
                .isInstanceOf(Appointments.Full.class);
        Appointments.Booked moved = (Appointments.Booked) appointments.move(mine.code(), at("2026-12-01T10:30"),
                "citizen", false).block();
        assertThat(moved.appointment().start()).isEqualTo(at("2026-12-01T10:30"));
        assertThat(appointments.book(request("other", nine)).block()).as("nine is free again")
                .isInstanceOf(Appointments.Booked.class);

        Appointment cancelled = appointments.cancel(theirs.code(), "citizen").block();
        assertThat(cancelled.status()).isEqualTo(Appointment.Status.CANCELLED);
        assertThat(appointments.cancel(theirs.code(), "citizen").block().cancelledBy()).isEqualTo("citizen");
        assertThat(appointments.book(request("third", ten)).block()).isInstanceOf(Appointments.Booked.class);
        assertThat(appointments.mark(moved.appointment().code(), Appointment.Status.NO_SHOW, "ana").block().status())
                .isEqualTo(Appointment.Status.NO_SHOW);
        assertThatThrownBy(() -> appointments.mark(theirs.code(), Appointment.Status.ATTENDED, "ana").block())
                .isInstanceOf(Appointments.Invalid.class);
    }

    @Test
    void aBlockedTimeIsNotOfferedAndASeatNoBookingHoldsIsFreedAfterAWhile() {
        setUp(1);
        appointments.block("oac", null, at("2026-12-01T09:00"), at("2026-12-01T10:00"), "reunió", "ana").block();
        assertThat(appointments.free("padro", "oac", LocalDate.of(2026, 12, 1), 1, false).block())
                .containsExactly(at("2026-12-01T10:00"), at("2026-12-01T10:30"));
        assertThatThrownBy(() -> appointments.book(request("r", at("2026-12-01T09:30"))).block())
                .isInstanceOf(Appointments.Invalid.class).hasMessageContaining("closed to bookings");

        // A crash between the seat's insert and the booking's: the seat holds the slot for nobody, for a while.
        Instant ten = at("2026-12-01T10:00");
        store.template().insert(new Document("_id", Appointments.seatId("padro", "oac", ten, 0)).append("service", "padro")
                .append("office", "oac").append("start", java.util.Date.from(ten)).append("appointment", "lost")
                .append("at", java.util.Date.from(clock.instant())), Appointments.SEATS).block();
        assertThat(appointments.book(request("r", ten)).block()).isInstanceOf(Appointments.Full.class);
        assertThat(appointments.sweep().block()).as("too recent: maybe a booking in progress").isZero();
        clock.advance(Appointments.ORPHAN_AFTER.plusMinutes(1));
        assertThat(appointments.sweep().block()).isEqualTo(1);
        assertThat(appointments.book(request("r", ten)).block()).isInstanceOf(Appointments.Booked.class);
        clock.advance(Appointments.ORPHAN_AFTER.plusMinutes(1));
        assertThat(appointments.sweep().block()).as("a held seat stays").isZero();
    }

    /** Found by a review: seats are freed only by the booking that holds them, whatever runs at the same time. */
    @Test
    void aSeatIsFreedOnlyByWhoHoldsItUnderRetriesCancellationsAndTheSweep() {
        setUp(1);
        Instant nine = at("2026-12-01T09:00");
        Instant ten = at("2026-12-01T10:00");
        Appointment mine = ((Appointments.Booked) appointments.book(request("mine", nine)).block()).appointment();

        // The same move sent twice at once: the appointment keeps a seat at its new time.
        List<Appointments.Booking> moves = Flux.range(0, 2).flatMap(i -> appointments.move(mine.code(), ten, "ana", true)
                .onErrorResume(Appointments.Invalid.class, e -> reactor.core.publisher.Mono.empty())
                .subscribeOn(Schedulers.parallel())).collectList().block();
        assertThat(moves).isNotEmpty();
        assertThat(appointments.byCode(mine.code()).block().start()).isEqualTo(ten);
        assertThat(appointments.book(request("intruder", ten)).block()).as("ten is still held")
                .isInstanceOf(Appointments.Full.class);

        // Cancelled long after booking, and the time re-booked: the sweep leaves the new booking's seat alone.
        clock.advance(Duration.ofHours(1));
        appointments.cancel(mine.code(), "citizen").block();
        assertThat(appointments.book(request("next", ten)).block()).isInstanceOf(Appointments.Booked.class);
        clock.advance(Appointments.ORPHAN_AFTER.plusMinutes(1));
        assertThat(appointments.sweep().block()).isZero();
        assertThat(appointments.book(request("another", ten)).block()).isInstanceOf(Appointments.Full.class);
        assertThat(appointments.mark(mine.code(), Appointment.Status.NO_SHOW, "ana")
                .onErrorResume(Appointments.Invalid.class, e -> reactor.core.publisher.Mono.empty()).block())
                .as("a cancelled appointment is not marked").isNull();
    }
}

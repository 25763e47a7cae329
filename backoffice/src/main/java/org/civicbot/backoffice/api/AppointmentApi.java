package org.civicbot.backoffice.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.civicbot.backoffice.staff.CurrentStaff;
import org.civicbot.bot.appointment.Appointment;
import org.civicbot.bot.appointment.AppointmentService;
import org.civicbot.bot.appointment.Appointments;
import org.civicbot.bot.appointment.Office;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Appointments for staff and integrations: the services and offices (admins keep them), an office's day, free
 * times, a booking on behalf of a caller or a visitor, moving, cancelling, and marking who came.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Appointments", description = "Cita prèvia: services, offices, free times and bookings")
class AppointmentApi {

    private final Appointments appointments;
    private final org.civicbot.backoffice.appointment.AppointmentDesk desk;
    private final CurrentStaff staff;
    private final ZoneId zone;

    AppointmentApi(Appointments appointments, org.civicbot.backoffice.appointment.AppointmentDesk desk,
            CurrentStaff staff, @Value("${civicbot.time-zone:Europe/Madrid}") ZoneId zone) {
        this.appointments = appointments;
        this.desk = desk;
        this.staff = staff;
        this.zone = zone;
    }

    /** A service with its offices, as the API reads it. */
    record ServiceView(String id, Map<String, String> names, Map<String, String> bring, List<Office> offices,
            int minutes, int seats, int horizonDays, int noticeHours, boolean active) {}

    /** An appointment as the API reads it; field names are part of the public contract. */
    record AppointmentView(String code, String service, String office, Instant start, Instant end, String name,
            String phone, Appointment.Status status, String channel, String conversationId, Instant createdAt,
            String createdBy, Instant cancelledAt, String cancelledBy, Instant remindedAt, Instant markedAt,
            String markedBy) {
        static AppointmentView of(Appointment a) {
            return new AppointmentView(a.code(), a.service(), a.office(), a.start(), a.end(), a.name(), a.phone(),
                    a.status(), a.channel(), a.conversationId(), a.createdAt(), a.createdBy(), a.cancelledAt(),
                    a.cancelledBy(), a.remindedAt(), a.markedAt(), a.markedBy());
        }
    }

    /**
     * A booking staff make.
     *
     * @param start the time: with its offset ({@code 2026-12-03T09:30:00+01:00}) or in the town's time
     *     ({@code 2026-12-03T09:30})
     */
    record BookRequest(String service, String office, String start, String name, String phone) {}

    record MoveRequest(String start) {}

    record MarkRequest(Appointment.Status status) {}

    record BlockRequest(String office, String service, String start, String end, String reason) {}

    @GetMapping("/appointment-services")
    @Operation(summary = "The services citizens book, each with its offices")
    Flux<ServiceView> services() {
        return appointments.offices().collectMap(Office::id).flatMapMany(offices -> appointments.services()
                .map(s -> new ServiceView(s.id(), s.names(), s.bring(), s.offices().stream().map(offices::get)
                        .filter(java.util.Objects::nonNull).toList(), s.minutes(), s.seats(), s.horizonDays(),
                        s.noticeHours(), s.active())));
    }

    @PutMapping("/appointment-services/{id}")
    @Operation(summary = "Create or change a service (admins); its offices must exist")
    Mono<AppointmentService> saveService(@PathVariable String id, @RequestBody ServiceRequest s) {
        return appointments.save(new AppointmentService(id, s.names(), s.bring(), s.offices(),
                s.minutes() == null ? 15 : s.minutes(), s.seats() == null ? 1 : s.seats(),
                s.horizonDays() == null ? 30 : s.horizonDays(), s.noticeHours() == null ? 2 : s.noticeHours(),
                s.active() == null || s.active()));
    }

    /**
     * A service as admins write it; left out: 15 minutes, 1 seat, 30 days ahead, 2 hours' notice, active.
     *
     * @param names and {@code bring}: by language code, {@code {"ca": "...", "es": "...", "en": "..."}}
     */
    record ServiceRequest(Map<String, String> names, Map<String, String> bring, List<String> offices, Integer minutes,
            Integer seats, Integer horizonDays, Integer noticeHours, Boolean active) {}

    @GetMapping("/appointment-offices")
    @Operation(summary = "The offices that serve appointments")
    Flux<Office> offices() {
        return appointments.offices();
    }

    @PutMapping("/appointment-offices/{id}")
    @Operation(summary = "Create or change an office (admins): hours per weekday, yearly holidays, closures")
    Mono<Office> saveOffice(@PathVariable String id, @RequestBody Office office) {
        return appointments.save(new Office(id, office.name(), office.address(), office.hours(), office.holidays(),
                office.closures()));
    }

    @GetMapping("/appointments/free")
    @Operation(summary = "The free times of a service at an office on a day (as staff may book them)")
    Mono<List<Instant>> free(@RequestParam String service, @RequestParam String office, @RequestParam String date) {
        return appointments.free(service, office, day(date), 1, true);
    }

    @GetMapping("/appointments")
    @Operation(summary = "An office's appointments of a day, by time (cancelled ones too)")
    Flux<AppointmentView> day(@RequestParam String date, @RequestParam String office) {
        return appointments.office(office).thenMany(appointments.day(office, day(date))).map(AppointmentView::of);
    }

    @GetMapping("/appointments/{code}")
    @Operation(summary = "One appointment")
    Mono<AppointmentView> one(@PathVariable String code) {
        return appointments.byCode(code).map(AppointmentView::of);
    }

    @PostMapping("/appointments")
    @Operation(summary = "Book on behalf of a citizen who calls or comes in: 201 with the code, 409 with the nearest "
            + "free times when the time is full; with an Idempotency-Key a retry books nothing new")
    Mono<ResponseEntity<AppointmentView>> book(@RequestBody BookRequest book,
            @RequestHeader(name = Idempotency.HEADER, required = false) String key) {
        if (key != null && (key.isBlank() || key.length() > Idempotency.MAX_KEY_LENGTH)) {
            return Mono.error(new Appointments.Invalid("an Idempotency-Key has 1 to " + Idempotency.MAX_KEY_LENGTH
                    + " characters"));
        }
        Instant start = time(book.start(), "start");
        return staff.scope().flatMap(me -> appointments.book(new Appointments.Request(
                        key == null ? java.util.UUID.randomUUID().toString() : "staff:" + me.username() + ":" + key,
                        book.service(), book.office(), start, book.name(), book.phone(), "STAFF", null, "ca",
                        me.username(), true)))
                .flatMap(booking -> booking instanceof Appointments.Booked booked
                        ? Mono.just(ResponseEntity.status(booked.created() ? HttpStatus.CREATED : HttpStatus.OK)
                                .body(AppointmentView.of(booked.appointment())))
                        : Mono.error(new SlotFull(((Appointments.Full) booking).nearest())));
    }

    @PostMapping("/appointments/{code}/move")
    @Operation(summary = "Move an appointment to another free time of its service and office; 409 when it is full")
    Mono<AppointmentView> move(@PathVariable String code, @RequestBody MoveRequest move) {
        Instant start = time(move.start(), "start");
        return staff.scope().flatMap(me -> appointments.move(code, start, me.username(), true))
                .flatMap(booking -> booking instanceof Appointments.Booked booked
                        ? Mono.just(AppointmentView.of(booked.appointment()))
                        : Mono.error(new SlotFull(((Appointments.Full) booking).nearest())));
    }

    @DeleteMapping("/appointments/{code}")
    @Operation(summary = "Cancel an appointment: its time is free again; a citizen who booked it in the chat is told, "
            + "with the optional message")
    Mono<AppointmentView> cancel(@PathVariable String code, @RequestParam(required = false) String message) {
        if (message != null && message.length() > 500) {
            return Mono.error(new Appointments.Invalid("a message to the citizen has at most 500 characters"));
        }
        return staff.scope().flatMap(me -> desk.cancel(code, me.username(), message)).map(AppointmentView::of);
    }

    @PostMapping("/appointments/{code}/status")
    @Operation(summary = "Mark an appointment ATTENDED or NO_SHOW")
    Mono<AppointmentView> mark(@PathVariable String code, @RequestBody MarkRequest mark) {
        return staff.scope().flatMap(me -> appointments.mark(code, mark.status(), me.username()))
                .map(AppointmentView::of);
    }

    /**
     * @param from appointments at or after: an ISO instant, or a date (its start, in the town's time)
     * @param to before: an ISO instant, or a date (its end)
     */
    @GetMapping("/stats/appointments")
    @Operation(summary = "How the appointments of a period went: booked, attended, no-shows, cancelled, by service and "
            + "channel, and how long ahead they were booked")
    Mono<Appointments.Figures> figures(@RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(required = false) String office) {
        return appointments.figures(ApiDates.instant(from, "from", false, zone), ApiDates.instant(to, "to", true, zone),
                office == null || office.isBlank() ? null : office.strip());
    }

    @GetMapping("/appointment-blocks")
    @Operation(summary = "The times closed to bookings at an office on a day")
    Flux<Appointments.Block> blocks(@RequestParam String office, @RequestParam String date) {
        return appointments.blocks(office, day(date));
    }

    @PostMapping("/appointment-blocks")
    @Operation(summary = "Close a time of an office to bookings (of one service, or of all)")
    Mono<ResponseEntity<Appointments.Block>> block(@RequestBody BlockRequest block) {
        Instant start = time(block.start(), "start");
        Instant end = time(block.end(), "end");
        return staff.scope().flatMap(me -> appointments.block(block.office(),
                        block.service() == null || block.service().isBlank() ? null : block.service(), start, end,
                        block.reason(), me.username()))
                .map(b -> ResponseEntity.status(HttpStatus.CREATED).body(b));
    }

    @DeleteMapping("/appointment-blocks/{id}")
    @Operation(summary = "Open a blocked time again")
    Mono<ResponseEntity<Void>> unblock(@PathVariable String id) {
        return appointments.unblock(id).map(gone -> gone ? ResponseEntity.noContent().<Void>build()
                : ResponseEntity.notFound().<Void>build());
    }

    /** The time was full: the nearest free ones go with the 409. */
    static final class SlotFull extends RuntimeException {
        final List<Instant> nearest;

        SlotFull(List<Instant> nearest) {
            super("that time is full; the nearest free times are in \"nearest\"");
            this.nearest = nearest;
        }
    }

    @ExceptionHandler(SlotFull.class)
    ProblemDetail full(SlotFull e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setTitle("Time full");
        problem.setProperty("nearest", e.nearest.stream().map(Instant::toString).toList());
        return problem;
    }

    @ExceptionHandler(Appointments.Invalid.class)
    ProblemDetail invalid(Appointments.Invalid e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(Appointments.NotFound.class)
    ProblemDetail notFound(Appointments.NotFound e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    private static LocalDate day(String date) {
        try {
            return LocalDate.parse(date);
        } catch (DateTimeParseException | NullPointerException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "date must be YYYY-MM-DD, e.g. 2026-12-03");
        }
    }

    /** A time with its offset, or in the town's time. */
    private Instant time(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new Appointments.Invalid(name + " is required, e.g. 2026-12-03T09:30 (the town's time)");
        }
        try {
            return OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(value.strip()).atZone(zone).toInstant();
            } catch (DateTimeParseException e) {
                throw new Appointments.Invalid(name + " must be a date and time, e.g. 2026-12-03T09:30 (the town's "
                        + "time) or 2026-12-03T09:30:00+01:00");
            }
        }
    }
}

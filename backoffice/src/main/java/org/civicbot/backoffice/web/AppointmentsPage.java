package org.civicbot.backoffice.web;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.civicbot.backoffice.appointment.AppointmentDesk;
import org.civicbot.backoffice.staff.CurrentStaff;
import org.civicbot.bot.appointment.Appointment;
import org.civicbot.bot.appointment.AppointmentService;
import org.civicbot.bot.appointment.Appointments;
import org.civicbot.bot.appointment.Office;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The appointments desk: an office's day (who is coming, when, for what; marked arrived or no-show), booking on
 * behalf of a citizen who calls or comes in, cancelling with a message to the citizen, and closing times to bookings.
 */
@Controller
class AppointmentsPage {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy");

    private final Appointments appointments;
    private final AppointmentDesk desk;
    private final CurrentStaff staff;
    private final TownTime time;
    private final Clock clock;

    AppointmentsPage(Appointments appointments, AppointmentDesk desk, CurrentStaff staff, TownTime time, Clock clock) {
        this.appointments = appointments;
        this.desk = desk;
        this.staff = staff;
        this.time = time;
        this.clock = clock;
    }

    /** An appointment as the day shows it. */
    record Row(String code, String time, String end, String name, String phone, String service, String channel,
            String status, boolean booked) {}

    /** A service the office serves, with the times still free that day (as staff may book them). */
    record Bookable(String id, String name, List<String> free) {}

    /** A time closed to bookings. */
    record BlockRow(String id, String from, String to, String service, String reason) {}

    /** How the day goes: booked, attended, missed, cancelled. */
    record Counts(long booked, long attended, long noShow, long cancelled) {
        public long total() {
            return booked + attended + noShow + cancelled;
        }
    }

    @GetMapping("/appointments")
    Mono<String> day(@RequestParam(required = false) String office, @RequestParam(required = false) String date,
            Model model, ServerWebExchange exchange) {
        ZoneId zone = time.zone();
        LocalDate today = clock.instant().atZone(zone).toLocalDate();
        LocalDate day = parse(date).orElse(today);
        Locale locale = Optional.ofNullable(exchange.getLocaleContext().getLocale()).orElse(Locale.forLanguageTag("ca"));
        String language = locale.getLanguage();
        model.addAttribute("flash", Flash.take(exchange));
        model.addAttribute("date", day.toString());
        model.addAttribute("dayLabel", capitalised(day.getDayOfWeek().getDisplayName(TextStyle.FULL, locale), locale)
                + " " + DATE.format(day));
        model.addAttribute("previous", day.minusDays(1).toString());
        model.addAttribute("next", day.plusDays(1).toString());
        model.addAttribute("today", today.toString());
        model.addAttribute("bookingKey", UUID.randomUUID().toString());
        return Mono.zip(appointments.offices().collectList(), appointments.services().collectList()).flatMap(t -> {
            List<Office> offices = t.getT1();
            model.addAttribute("offices", offices);
            if (offices.isEmpty()) {
                model.addAttribute("office", null);
                return Mono.just("appointments");
            }
            Office chosen = offices.stream().filter(o -> o.id().equals(office)).findFirst().orElse(offices.get(0));
            model.addAttribute("office", chosen);
            List<AppointmentService> served = t.getT2().stream().filter(s -> s.offices().contains(chosen.id())).toList();
            Map<String, String> names = new java.util.HashMap<>();
            t.getT2().forEach(s -> names.put(s.id(), s.name(language)));
            Mono<List<Row>> rows = appointments.day(chosen.id(), day).map(a -> row(a, names, zone)).collectList();
            Mono<List<Bookable>> bookable = Flux.fromIterable(served).concatMap(s -> appointments.free(s.id(),
                    chosen.id(), day, 1, true).map(free -> new Bookable(s.id(), s.name(language), free.stream()
                    .map(i -> TIME.format(i.atZone(zone))).toList()))).collectList();
            Mono<List<BlockRow>> blocks = appointments.blocks(chosen.id(), day).map(b -> new BlockRow(b.id(),
                    TIME.format(b.start().atZone(zone)), TIME.format(b.end().atZone(zone)),
                    b.service() == null ? "" : names.getOrDefault(b.service(), b.service()), b.reason())).collectList();
            return Mono.zip(rows, bookable, blocks).map(z -> {
                List<Row> all = z.getT1();
                model.addAttribute("rows", all);
                model.addAttribute("counts", new Counts(count(all, "BOOKED"), count(all, "ATTENDED"),
                        count(all, "NO_SHOW"), count(all, "CANCELLED")));
                model.addAttribute("bookable", z.getT2());
                model.addAttribute("services", served.stream().map(s -> new Bookable(s.id(), s.name(language),
                        List.of())).toList());
                model.addAttribute("blocks", z.getT3());
                model.addAttribute("hours", chosen.openOn(day).stream().map(r -> TIME.format(r.from()) + "–"
                        + TIME.format(r.to())).toList());
                return "appointments";
            });
        });
    }

    private static long count(List<Row> rows, String status) {
        return rows.stream().filter(r -> r.status().equals(status)).count();
    }

    private static Row row(Appointment a, Map<String, String> names, ZoneId zone) {
        return new Row(a.code(), TIME.format(a.start().atZone(zone)), TIME.format(a.end().atZone(zone)), a.name(),
                a.phone() == null ? "" : a.phone(), names.getOrDefault(a.service(), a.service()), a.channel(),
                a.status().name(), a.status() == Appointment.Status.BOOKED);
    }

    /** Booking for a caller or a visitor; {@code key} (made with the page) books once however often it is sent. */
    record BookForm(String office, String date, String slot, String name, String phone, String key) {

        /** The slot's service: the form's choice is {@code <service>|<HH:MM>}. */
        String service() {
            return slot == null || !slot.contains("|") ? null : slot.substring(0, slot.indexOf('|'));
        }

        String time() {
            return slot == null || !slot.contains("|") ? null : slot.substring(slot.indexOf('|') + 1);
        }
    }

    @PostMapping("/appointments/book")
    Mono<String> book(@ModelAttribute BookForm form, ServerWebExchange exchange) {
        String back = back(form.office(), form.date());
        Instant start;
        try {
            start = LocalDateTime.of(LocalDate.parse(form.date()), LocalTime.parse(form.time())).atZone(time.zone())
                    .toInstant();
        } catch (DateTimeParseException | NullPointerException e) {
            return Flash.redirect(exchange, Flash.error("flash.appointmentTime"), back);
        }
        String key = form.key() == null || form.key().isBlank() || form.key().length() > 100
                ? UUID.randomUUID().toString() : form.key();
        return staff.scope().flatMap(me -> appointments.book(new Appointments.Request("desk:" + key, form.service(),
                        form.office(), start, form.name(), form.phone(), "STAFF", null, "ca", me.username(), true)))
                .flatMap(booking -> booking instanceof Appointments.Booked booked
                        ? Flash.redirect(exchange, Flash.ok("flash.appointmentBooked", booked.appointment().code(),
                                booked.appointment().name(), form.time()), back)
                        : Flash.redirect(exchange, Flash.error("flash.appointmentFull", String.join(", ",
                                ((Appointments.Full) booking).nearest().stream().map(i -> TIME.format(i.atZone(
                                        time.zone())) + " (" + DATE.format(i.atZone(time.zone())) + ")").toList())),
                                back))
                .onErrorResume(Appointments.Invalid.class, e -> Flash.redirect(exchange,
                        Flash.error("flash.refused", e.getMessage()), back))
                .onErrorResume(Appointments.NotFound.class, e -> Flash.redirect(exchange,
                        Flash.error("flash.refused", e.getMessage()), back));
    }

    /** Where the desk goes back to: the office's day. */
    record Back(String office, String date, String status, String message) {}

    @PostMapping("/appointments/{code}/status")
    Mono<String> mark(@PathVariable String code, @ModelAttribute Back form, ServerWebExchange exchange) {
        String back = back(form.office(), form.date());
        Appointment.Status status;
        try {
            status = Appointment.Status.valueOf(form.status());
        } catch (IllegalArgumentException | NullPointerException e) {
            return Flash.redirect(exchange, Flash.error("flash.refused", "ATTENDED or NO_SHOW"), back);
        }
        return staff.scope().flatMap(me -> appointments.mark(code, status, me.username()))
                .flatMap(a -> Flash.redirect(exchange, Flash.ok("flash.appointmentMarked", a.code(),
                        a.name()), back))
                .onErrorResume(RuntimeException.class, e -> Flash.redirect(exchange,
                        Flash.error("flash.refused", e.getMessage()), back));
    }

    @PostMapping("/appointments/{code}/cancel")
    Mono<String> cancel(@PathVariable String code, @ModelAttribute Back form, ServerWebExchange exchange) {
        String back = back(form.office(), form.date());
        String message = form.message() == null ? null : form.message().strip();
        if (message != null && message.length() > 500) {
            return Flash.redirect(exchange, Flash.error("flash.refused", "500"), back);
        }
        return staff.scope().flatMap(me -> desk.cancel(code, me.username(), message))
                .flatMap(a -> Flash.redirect(exchange, Flash.ok("flash.appointmentCancelled", a.code(), a.name()),
                        back))
                .onErrorResume(RuntimeException.class, e -> Flash.redirect(exchange,
                        Flash.error("flash.refused", e.getMessage()), back));
    }

    /** A time of the day closed to bookings: from, to, one service or all, why. */
    record BlockForm(String office, String date, String from, String to, String service, String reason) {}

    @PostMapping("/appointments/blocks")
    Mono<String> block(@ModelAttribute BlockForm form, ServerWebExchange exchange) {
        String back = back(form.office(), form.date());
        Instant from;
        Instant to;
        try {
            LocalDate day = LocalDate.parse(form.date());
            from = day.atTime(LocalTime.parse(form.from())).atZone(time.zone()).toInstant();
            to = day.atTime(LocalTime.parse(form.to())).atZone(time.zone()).toInstant();
        } catch (DateTimeParseException | NullPointerException e) {
            return Flash.redirect(exchange, Flash.error("flash.appointmentTime"), back);
        }
        return staff.scope().flatMap(me -> appointments.block(form.office(), form.service() == null
                        || form.service().isBlank() ? null : form.service(), from, to, form.reason(), me.username()))
                .flatMap(b -> Flash.redirect(exchange, Flash.ok("flash.appointmentBlocked", form.from(), form.to()),
                        back))
                .onErrorResume(RuntimeException.class, e -> Flash.redirect(exchange,
                        Flash.error("flash.refused", e.getMessage()), back));
    }

    @PostMapping("/appointments/blocks/{id}/delete")
    Mono<String> unblock(@PathVariable String id, @ModelAttribute Back form, ServerWebExchange exchange) {
        return appointments.unblock(id).flatMap(gone -> Flash.redirect(exchange, gone
                ? Flash.ok("flash.appointmentUnblocked") : Flash.error("flash.refused", id), back(form.office(),
                form.date())));
    }

    private static String back(String office, String date) {
        List<String> query = new ArrayList<>();
        if (office != null && office.matches("[a-z0-9_-]{1,40}")) {
            query.add("office=" + office);
        }
        if (date != null && date.matches("\\d{4}-\\d{2}-\\d{2}")) {
            query.add("date=" + date);
        }
        return "/appointments" + (query.isEmpty() ? "" : "?" + String.join("&", query));
    }

    private static Optional<LocalDate> parse(String date) {
        try {
            return date == null || date.isBlank() ? Optional.empty() : Optional.of(LocalDate.parse(date.strip()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String capitalised(String text, Locale locale) {
        return text.isEmpty() ? text : text.substring(0, 1).toUpperCase(locale) + text.substring(1);
    }
}

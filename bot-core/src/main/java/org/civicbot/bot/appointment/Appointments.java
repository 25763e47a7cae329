package org.civicbot.bot.appointment;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Books, moves and cancels appointments with no double booking on either store and no transaction.
 *
 * <p>Each seat of a slot is a document whose id names the service, the office, the time and the seat's number
 * ({@code padro|oac|1796196600|0}); a booking inserts the first free one, so of two bookings racing for the last seat
 * the store lets exactly one in, and the other is offered the nearest free times. The booking itself is then
 * inserted under the request's own id (a turn's, or a staff request's key): the same request made again finds it
 * and books nothing new. A seat is held while its booking is {@code BOOKED} (or was attended or missed) and names
 * it; a seat a crash left between the two inserts, or one a move or a cancellation could not free, is freed by
 * {@link #sweep()} once it is older than {@link #ORPHAN_AFTER}.
 */
public class Appointments implements AutoCloseable {

    static final String SEATS = "appointment_seats";
    static final String BLOCKS = "appointment_blocks";
    static final String COUNTERS = "counters";
    /** A seat no booking holds is freed after this: longer than any booking takes between its two inserts. */
    public static final Duration ORPHAN_AFTER = Duration.ofMinutes(10);
    /** The nearest free times offered when the one chosen is full. */
    public static final int NEAREST = 5;

    private final ReactiveMongoTemplate mongo;
    private final Clock clock;
    private final ZoneId zone;
    private org.civicbot.bot.Periodic sweeping;

    public Appointments(ReactiveMongoTemplate mongo, Clock clock, ZoneId zone) {
        this.mongo = mongo;
        this.clock = clock;
        this.zone = zone;
    }

    /** A request that cannot be served as written, in words a person can act on. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message);
        }
    }

    /** No such service, office or booking. */
    public static final class NotFound extends RuntimeException {
        public NotFound(String message) {
            super(message);
        }
    }

    /** What a booking (or a move) came to. */
    public sealed interface Booking permits Booked, Full {}

    /** Booked: {@code created} is false when the same request had booked it already. */
    public record Booked(Appointment appointment, boolean created) implements Booking {}

    /** The time was full (taken meanwhile): the nearest free times of the same service and office. */
    public record Full(List<Instant> nearest) implements Booking {}

    /**
     * A booking asked for.
     *
     * @param ref the request's own id: the same ref books once
     * @param staff made by staff (a caller, a visitor): any time not yet over, notice and horizon aside
     */
    public record Request(String ref, String service, String office, Instant start, String name, String phone,
            String channel, String conversationId, String language, String by, boolean staff) {}

    /** A time staff closed to bookings (a meeting, a broken machine); {@code service} null: every service. */
    @org.springframework.data.mongodb.core.mapping.Document(BLOCKS)
    public record Block(@org.springframework.data.annotation.Id String id, String office, String service,
            Instant start, Instant end, String reason, String by, Instant at) {}

    // --- services and offices -------------------------------------------------------------------------

    public Flux<AppointmentService> services() {
        return mongo.findAll(AppointmentService.class).sort(Comparator.comparing(AppointmentService::id));
    }

    public Mono<AppointmentService> service(String id) {
        return mongo.findById(id, AppointmentService.class)
                .switchIfEmpty(Mono.error(() -> new NotFound("there is no appointment service \"" + id + "\"")));
    }

    public Flux<Office> offices() {
        return mongo.findAll(Office.class).sort(Comparator.comparing(Office::id));
    }

    public Mono<Office> office(String id) {
        return mongo.findById(id, Office.class)
                .switchIfEmpty(Mono.error(() -> new NotFound("there is no office \"" + id + "\"")));
    }

    /** Creates or replaces an office; refused with every problem when it is not well written. */
    public Mono<Office> save(Office office) {
        List<String> problems = office.problems();
        return problems.isEmpty() ? mongo.save(office) : Mono.error(new Invalid(String.join("; ", problems)));
    }

    /** Creates or replaces a service; its offices must exist. Bookings already made keep their times. */
    public Mono<AppointmentService> save(AppointmentService service) {
        List<String> problems = service.problems();
        if (!problems.isEmpty()) {
            return Mono.error(new Invalid(String.join("; ", problems)));
        }
        return Flux.fromIterable(service.offices()).concatMap(id -> mongo.exists(query(where("_id").is(id)),
                        Office.class).filter(Boolean::booleanValue).switchIfEmpty(Mono.error(() -> new Invalid(
                        "office \"" + id + "\" does not exist; create it first"))))
                .then(mongo.save(service));
    }

    // --- free times ------------------------------------------------------------------------------------

    /**
     * The free times of a service at an office from {@code from} (a day) for {@code days} days, earliest first:
     * slots the office opens, not blocked, with a seat left, and for citizens ({@code staff} false) within the
     * service's notice and horizon; for staff, any not yet over.
     */
    public Mono<List<Instant>> free(String serviceId, String officeId, LocalDate from, int days, boolean staff) {
        Instant now = clock.instant();
        return serviceAt(serviceId, officeId).flatMap(t -> {
            AppointmentService service = t.getT1();
            Office office = t.getT2();
            if (!staff && !service.active()) {
                return Mono.just(List.<Instant>of());
            }
            LocalDate today = now.atZone(zone).toLocalDate();
            LocalDate last = staff ? from.plusDays(days - 1L)
                    : java.util.Collections.min(List.of(from.plusDays(days - 1L),
                            today.plusDays(service.horizonDays() - 1L)));
            Instant earliest = staff ? now.minus(Duration.ofMinutes(service.minutes()))
                    : now.plus(Duration.ofHours(service.noticeHours()));
            List<Instant> candidates = new ArrayList<>();
            for (LocalDate day = from.isBefore(today) ? today : from; !day.isAfter(last); day = day.plusDays(1)) {
                Slots.of(service, office, day, zone).stream().filter(s -> staff ? s.isAfter(earliest)
                        : !s.isBefore(earliest)).forEach(candidates::add);
            }
            if (candidates.isEmpty()) {
                return Mono.just(List.<Instant>of());
            }
            Instant start = candidates.get(0);
            Instant end = candidates.get(candidates.size() - 1).plus(Duration.ofMinutes(service.minutes()));
            return Mono.zip(taken(service.id(), office.id(), start, end), blocks(office.id(), start, end).collectList())
                    .map(z -> candidates.stream()
                            .filter(s -> z.getT1().getOrDefault(s, 0) < service.seats())
                            .filter(s -> z.getT2().stream().noneMatch(b -> blocks(b, service, s)))
                            .toList());
        });
    }

    /** The next days with a free time for citizens, at most {@code max}, earliest first (never an empty day). */
    public Mono<List<LocalDate>> freeDays(String serviceId, String officeId, int max) {
        return service(serviceId).flatMap(service -> free(serviceId, officeId, clock.instant().atZone(zone)
                        .toLocalDate(), service.horizonDays(), false))
                .map(times -> times.stream().map(t -> t.atZone(zone).toLocalDate()).distinct().limit(max).toList());
    }

    private static boolean blocks(Block block, AppointmentService service, Instant slot) {
        Instant slotEnd = slot.plus(Duration.ofMinutes(service.minutes()));
        return (block.service() == null || block.service().equals(service.id()))
                && block.start().isBefore(slotEnd) && block.end().isAfter(slot);
    }

    /** Seats taken per slot start of a service at an office, between two times. */
    private Mono<Map<Instant, Integer>> taken(String service, String office, Instant from, Instant to) {
        Query seats = query(where("service").is(service).and("office").is(office).and("start").gte(from).lt(to));
        seats.fields().include("start");
        return mongo.find(seats, Document.class, SEATS).collectList().map(found -> {
            Map<Instant, Integer> counts = new HashMap<>();
            found.forEach(d -> counts.merge(d.getDate("start").toInstant(), 1, Integer::sum));
            return counts;
        });
    }

    private Flux<Block> blocks(String office, Instant from, Instant to) {
        return mongo.find(query(where("office").is(office).and("start").lt(to).and("end").gt(from)), Block.class);
    }

    private Mono<reactor.util.function.Tuple2<AppointmentService, Office>> serviceAt(String serviceId,
            String officeId) {
        return service(serviceId).flatMap(service -> service.offices().contains(officeId) ? office(officeId)
                .map(office -> reactor.util.function.Tuples.of(service, office))
                : Mono.error(new Invalid("office \"" + officeId + "\" does not serve \"" + serviceId + "\"; it is served at "
                        + String.join(", ", service.offices()))));
    }

    // --- booking ---------------------------------------------------------------------------------------

    /** Books {@code request}: once per ref; {@link Full} with the nearest free times when its time is taken. */
    public Mono<Booking> book(Request request) {
        return mongo.findById(request.ref(), Appointment.class).map(found -> (Booking) new Booked(found, false))
                .switchIfEmpty(Mono.defer(() -> bookNew(request)));
    }

    private Mono<Booking> bookNew(Request r) {
        if (r.name() == null || r.name().isBlank() || r.name().length() > 120) {
            return Mono.error(new Invalid("name is the person to book under, 1 to 120 characters"));
        }
        if (r.start() == null) {
            return Mono.error(new Invalid("start is the appointment's time, e.g. 2026-12-03T09:30:00+01:00"));
        }
        return serviceAt(r.service(), r.office()).flatMap(t -> {
            AppointmentService service = t.getT1();
            Office office = t.getT2();
            return bookable(service, office, r.start(), r.staff()).then(claim(service, r.office(), r.start(), r.ref(), 0))
                    .flatMap(seat -> code(r.start()).flatMap(code -> {
                        Instant now = clock.instant();
                        Appointment appointment = new Appointment(r.ref(), code, service.id(), r.office(), r.start(),
                                r.start().plus(Duration.ofMinutes(service.minutes())), r.name().strip(),
                                r.phone() == null || r.phone().isBlank() ? null : r.phone().strip(),
                                Appointment.Status.BOOKED, r.channel(), r.conversationId(), r.language(), seat, now,
                                r.by(), null, null, null, null, null);
                        return mongo.insert(appointment).map(a -> (Booking) new Booked(a, true))
                                .onErrorResume(DuplicateKeyException.class, e -> mongo.findById(r.ref(),
                                        Appointment.class).map(a -> new Booked(a, false)));
                    }))
                    .switchIfEmpty(Mono.defer(() -> nearest(service.id(), r.office(), r.start(), r.staff())
                            .map(Full::new)));
        });
    }

    /** Refuses a time that is not a slot, blocked, past, too soon or too far for a citizen. */
    private Mono<Void> bookable(AppointmentService service, Office office, Instant start, boolean staff) {
        Instant now = clock.instant();
        if (!Slots.isSlot(service, office, start, zone)) {
            return Mono.error(new Invalid(office.name() + " has no " + service.minutes() + "-minute appointment at "
                    + start.atZone(zone).toLocalDateTime() + " (closed, or not a slot's start); ask for its free times"));
        }
        if (!start.plus(Duration.ofMinutes(service.minutes())).isAfter(now)) {
            return Mono.error(new Invalid("that time is over"));
        }
        if (!staff && (!service.active() || start.isBefore(now.plus(Duration.ofHours(service.noticeHours())))
                || start.atZone(zone).toLocalDate().isAfter(now.atZone(zone).toLocalDate()
                        .plusDays(service.horizonDays() - 1L)))) {
            return Mono.error(new Invalid("that time is not offered to citizens (the service's notice or horizon)"));
        }
        return blocks(office.id(), start, start.plus(Duration.ofMinutes(service.minutes())))
                .filter(b -> blocks(b, service, start)).hasElements().flatMap(blocked -> blocked
                        ? Mono.error(new Invalid("that time is closed to bookings")) : Mono.empty());
    }

    /** Takes the first free seat of the slot for {@code ref}; empty when every seat is taken by others. */
    private Mono<String> claim(AppointmentService service, String office, Instant start, String ref, int seat) {
        if (seat >= service.seats()) {
            return Mono.empty();
        }
        String id = seatId(service.id(), office, start, seat);
        Document document = new Document("_id", id).append("service", service.id()).append("office", office)
                .append("start", java.util.Date.from(start)).append("appointment", ref)
                .append("at", java.util.Date.from(clock.instant()));
        return mongo.insert(document, SEATS).thenReturn(id)
                // Held already by the same request (run again): ours, and fresh again for the sweep.
                .onErrorResume(DuplicateKeyException.class, e -> mongo.findAndModify(query(where("_id").is(id)
                                .and("appointment").is(ref)), new Update().set("at", java.util.Date.from(clock.instant())),
                                Document.class, SEATS).map(held -> id)
                        .switchIfEmpty(Mono.defer(() -> claim(service, office, start, ref, seat + 1))));
    }

    static String seatId(String service, String office, Instant start, int seat) {
        return service + "|" + office + "|" + start.getEpochSecond() + "|" + seat;
    }

    /** The nearest free times to {@code wanted}, within a week either side. */
    private Mono<List<Instant>> nearest(String service, String office, Instant wanted, boolean staff) {
        LocalDate day = wanted.atZone(zone).toLocalDate();
        return free(service, office, day.minusDays(7), 15, staff).map(times -> times.stream()
                .sorted(Comparator.comparing((Instant t) -> Duration.between(t, wanted).abs()).thenComparing(t -> t))
                .limit(NEAREST).sorted().toList());
    }

    private Mono<String> code(Instant at) {
        int year = at.atZone(zone).getYear();
        return mongo.findAndModify(query(where("_id").is("appointment-" + year)), new Update().inc("seq", 1L),
                        FindAndModifyOptions.options().upsert(true).returnNew(true), Document.class, COUNTERS)
                .map(doc -> String.format("CITA-%d-%06d", year, ((Number) doc.get("seq")).longValue()));
    }

    // --- after booking ---------------------------------------------------------------------------------

    public Mono<Appointment> byCode(String code) {
        return mongo.findOne(query(where("code").is(code)), Appointment.class)
                .switchIfEmpty(Mono.error(() -> new NotFound("there is no appointment " + code)));
    }

    /** Cancels a booked appointment and frees its seat; cancelling one already cancelled changes nothing. */
    public Mono<Appointment> cancel(String code, String by) {
        Instant now = clock.instant();
        return byCode(code).flatMap(a -> a.status() == Appointment.Status.CANCELLED ? Mono.just(a)
                : a.status() != Appointment.Status.BOOKED ? Mono.error(new Invalid("appointment " + code + " is "
                        + a.status() + ": only a booked one is cancelled"))
                : mongo.findAndModify(query(where("_id").is(a.id()).and("status").is(Appointment.Status.BOOKED)),
                                new Update().set("status", Appointment.Status.CANCELLED).set("cancelledAt", now)
                                        .set("cancelledBy", by),
                                FindAndModifyOptions.options().returnNew(true), Appointment.class)
                        .flatMap(cancelled -> free(cancelled.seat(), cancelled.id()).thenReturn(cancelled))
                        .switchIfEmpty(Mono.defer(() -> byCode(code))));
    }

    /**
     * Moves a booked appointment to another time of its service and office: the new seat is taken first, then the old
     * one freed, so the citizen never holds neither. {@link Full} when the new time is taken.
     */
    public Mono<Booking> move(String code, Instant start, String by, boolean staff) {
        return byCode(code).flatMap(a -> {
            if (a.status() != Appointment.Status.BOOKED) {
                return Mono.error(new Invalid("appointment " + code + " is " + a.status() + ": only a booked one moves"));
            }
            if (a.start().equals(start)) {
                return Mono.just(new Booked(a, false));
            }
            return serviceAt(a.service(), a.office()).flatMap(t -> bookable(t.getT1(), t.getT2(), start, staff)
                    .then(claim(t.getT1(), a.office(), start, a.id(), 0))
                    .flatMap(seat -> mongo.findAndModify(query(where("_id").is(a.id())
                                            .and("status").is(Appointment.Status.BOOKED).and("seat").is(a.seat())),
                                    new Update().set("start", start).set("end", start.plus(Duration.ofMinutes(
                                            t.getT1().minutes()))).set("seat", seat).unset("remindedAt"),
                                    FindAndModifyOptions.options().returnNew(true), Appointment.class)
                            .flatMap(moved -> free(a.seat(), a.id()).thenReturn((Booking) new Booked(moved, true)))
                            // Changed meanwhile (the same move made twice at once, a cancellation): the new seat
                            // goes back unless the appointment now holds it.
                            .switchIfEmpty(Mono.defer(() -> mongo.findById(a.id(), Appointment.class)
                                    .flatMap(now -> seat.equals(now.seat()) && now.status() == Appointment.Status.BOOKED
                                            ? Mono.just((Booking) new Booked(now, false))
                                            : free(seat, a.id()).then(Mono.<Booking>error(new Invalid("appointment "
                                                    + code + " changed meanwhile; look at it again")))))))
                    .switchIfEmpty(Mono.defer(() -> nearest(a.service(), a.office(), start, staff).map(Full::new))));
        });
    }

    /** Marks an appointment attended or missed (staff, on the day). */
    public Mono<Appointment> mark(String code, Appointment.Status status, String by) {
        if (status != Appointment.Status.ATTENDED && status != Appointment.Status.NO_SHOW) {
            return Mono.error(new Invalid("an appointment is marked ATTENDED or NO_SHOW"));
        }
        return byCode(code).flatMap(a -> a.status() == Appointment.Status.CANCELLED
                ? Mono.error(new Invalid("appointment " + code + " was cancelled"))
                : mongo.findAndModify(query(where("_id").is(a.id()).and("status").in(Appointment.Status.BOOKED,
                                Appointment.Status.ATTENDED, Appointment.Status.NO_SHOW)),
                        new Update().set("status", status).set("markedAt", clock.instant()).set("markedBy", by),
                        FindAndModifyOptions.options().returnNew(true), Appointment.class)
                        .switchIfEmpty(Mono.error(() -> new Invalid("appointment " + code + " was cancelled"))));
    }

    /**
     * Notes that a booking's reminder for its time {@code start} went out, once: false when it had been noted
     * already, or the booking moved since (its new time is reminded in its turn).
     */
    public Mono<Boolean> reminded(String id, Instant start) {
        return mongo.updateFirst(query(where("_id").is(id).and("remindedAt").exists(false).and("start").is(start)),
                new Update().set("remindedAt", clock.instant()), Appointment.class).map(u -> u.getModifiedCount() > 0);
    }

    /** Frees a seat if {@code holder} still holds it: a seat taken since by another booking is never touched. */
    private Mono<Void> free(String seat, String holder) {
        return seat == null ? Mono.empty()
                : mongo.remove(query(where("_id").is(seat).and("appointment").is(holder)), SEATS).then();
    }

    /** An office's appointments of a day (cancelled ones too), by time. */
    public Flux<Appointment> day(String office, LocalDate date) {
        Instant from = date.atStartOfDay(zone).toInstant();
        return mongo.find(query(where("office").is(office).and("start").gte(from)
                .lt(date.plusDays(1).atStartOfDay(zone).toInstant())).with(Sort.by("start", "code")), Appointment.class);
    }

    /** A conversation's booked appointments still to come, soonest first. */
    public Flux<Appointment> upcoming(String conversationId) {
        return mongo.find(query(where("conversationId").is(conversationId).and("status").is(Appointment.Status.BOOKED)
                .and("end").gt(clock.instant())).with(Sort.by("start")), Appointment.class);
    }

    /** Booked appointments starting between two times whose reminder has not gone out. */
    public Flux<Appointment> toRemind(Instant from, Instant to) {
        return mongo.find(query(where("status").is(Appointment.Status.BOOKED).and("start").gte(from).lt(to)
                .and("remindedAt").exists(false).and("conversationId").ne(null)), Appointment.class);
    }

    /**
     * How the appointments of a period went (by their time): how many were booked, came, did not come or were
     * cancelled, by service and by channel, and how long ahead they were booked (median and 90th percentile, in
     * hours).
     *
     * @param booked still to come or past and not marked
     */
    public record Figures(long total, long booked, long attended, long noShow, long cancelled,
            Double medianLeadHours, Double p90LeadHours, Map<String, Long> byService, Map<String, Long> byChannel) {}

    /** The figures of the appointments whose time is in [{@code from}, {@code to}); all offices when none given. */
    public Mono<Figures> figures(Instant from, Instant to, String office) {
        org.springframework.data.mongodb.core.query.Criteria when = where("start").gte(from == null ? Instant.EPOCH
                : from);
        if (to != null) {
            when = when.lt(to);
        }
        Query query = query(office == null ? when : when.and("office").is(office));
        query.fields().include("status").include("service").include("channel").include("start").include("createdAt");
        return mongo.find(query, Document.class, "appointments").collectList().map(found -> {
            Map<String, Long> byStatus = new HashMap<>();
            Map<String, Long> byService = new java.util.TreeMap<>();
            Map<String, Long> byChannel = new java.util.TreeMap<>();
            List<Double> leads = new ArrayList<>();
            for (Document d : found) {
                byStatus.merge(d.getString("status"), 1L, Long::sum);
                byService.merge(d.getString("service"), 1L, Long::sum);
                byChannel.merge(String.valueOf(d.getString("channel")), 1L, Long::sum);
                if (d.getDate("createdAt") != null && d.getDate("start") != null) {
                    leads.add(Duration.between(d.getDate("createdAt").toInstant(), d.getDate("start").toInstant())
                            .toMinutes() / 60.0);
                }
            }
            java.util.Collections.sort(leads);
            return new Figures(found.size(), byStatus.getOrDefault("BOOKED", 0L), byStatus.getOrDefault("ATTENDED", 0L),
                    byStatus.getOrDefault("NO_SHOW", 0L), byStatus.getOrDefault("CANCELLED", 0L), percentile(leads, 50),
                    percentile(leads, 90), byService, byChannel);
        });
    }

    /** The nearest-rank percentile, rounded to a tenth; null when there is nothing to measure. */
    static Double percentile(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return null;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return Math.round(sorted.get(Math.max(0, rank - 1)) * 10) / 10.0;
    }

    /** Closes a time of an office to bookings (those made stay: staff see them on the day). */
    public Mono<Block> block(String office, String service, Instant start, Instant end, String reason, String by) {
        if (start == null || end == null || !end.isAfter(start)) {
            return Mono.error(new Invalid("a block needs a start and an end after it"));
        }
        return office(office).then(service == null ? Mono.empty() : service(service).then())
                .then(mongo.insert(new Block(java.util.UUID.randomUUID().toString(), office, service, start, end,
                        reason == null ? "" : reason.strip(), by, clock.instant())));
    }

    public Flux<Block> blocks(String office, LocalDate date) {
        return blocks(office, date.atStartOfDay(zone).toInstant(), date.plusDays(1).atStartOfDay(zone).toInstant());
    }

    public Mono<Boolean> unblock(String id) {
        return mongo.remove(query(where("_id").is(id)), Block.class).map(r -> r.getDeletedCount() > 0);
    }

    /**
     * Frees the seats no booking holds: left by a crash between a seat's insert and its booking's, by a move or a
     * cancellation that stopped before freeing the old seat. Only seats older than {@link #ORPHAN_AFTER}, so a
     * booking in progress is never disturbed. Answers how many it freed.
     */
    public Mono<Long> sweep() {
        Instant now = clock.instant();
        Instant before = now.minus(ORPHAN_AFTER);
        // The seats of times gone by hold nothing anyone could book: they go, so the sweep reads only the future.
        Mono<Void> past = mongo.remove(query(where("start").lt(java.util.Date.from(now.minus(Duration.ofDays(1))))),
                SEATS).then();
        return past.thenMany(mongo.find(query(where("start").gte(java.util.Date.from(now)).and("at")
                        .lt(java.util.Date.from(before))), Document.class, SEATS))
                .concatMap(seat -> mongo.findById(seat.getString("appointment"), Appointment.class)
                        .map(a -> a.status() != Appointment.Status.CANCELLED && seat.getString("_id").equals(a.seat()))
                        .defaultIfEmpty(false)
                        // Removed only as it was read: not if a booking took it (or took it back) meanwhile.
                        .flatMap(held -> held ? Mono.just(0L) : mongo.remove(query(where("_id")
                                .is(seat.getString("_id")).and("appointment").is(seat.getString("appointment"))
                                .and("at").is(seat.getDate("at"))), SEATS).map(r -> r.getDeletedCount())))
                .reduce(0L, Long::sum);
    }

    /** Sweeps every {@code every} (see {@link #sweep()}). */
    public synchronized void start(Duration every) {
        if (sweeping == null) {
            sweeping = org.civicbot.bot.Periodic.start("Appointment seat sweep", every, every, this::sweep);
        }
    }

    @Override
    public synchronized void close() {
        if (sweeping != null) {
            sweeping.close();
            sweeping = null;
        }
    }
}

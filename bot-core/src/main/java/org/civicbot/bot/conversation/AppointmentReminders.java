package org.civicbot.bot.conversation;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.civicbot.bot.Periodic;
import org.civicbot.bot.appointment.Appointment;
import org.civicbot.bot.appointment.AppointmentService;
import org.civicbot.bot.appointment.Appointments;
import org.civicbot.bot.appointment.Office;
import org.civicbot.bot.engine.Engine;
import org.civicbot.bot.engine.Session;
import org.civicbot.bot.outbox.Outbox;
import org.civicbot.bot.outbox.OutboxEntry;
import org.civicbot.flows.Commands;
import org.civicbot.flows.FlowBundle;
import org.civicbot.flows.Language;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reminds citizens of their appointment the day before, in their language and the flows' words
 * ({@code commands.appointments.reminder}), with two answers: "I'll come" and "cancel". Inside WhatsApp's 24-hour
 * window (and always on Telegram) it goes with its buttons, and the contact's next message may answer it; outside,
 * the approved template of purpose {@value #PURPOSE} goes and the full text waits for the citizen's reply, as every
 * message of the platform does ({@link CitizenNotices}). Each appointment is reminded once, by any instance.
 */
public class AppointmentReminders implements AutoCloseable {

    /** The WhatsApp template purpose of a reminder ({{1}} the code, {{2}} the date, {{3}} the time). */
    public static final String PURPOSE = "appointment_reminder";

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

    private final ReactiveMongoTemplate mongo;
    private final Appointments appointments;
    private final ConversationStore conversations;
    private final ConversationEvents events;
    private final Outbox outbox;
    private final CitizenNotices notices;
    private final OutboundPolicy policy;
    private final Supplier<FlowBundle> flows;
    private final Clock clock;
    private final ZoneId zone;
    private final LocalTime from;
    private Periodic loop;

    /**
     * @param from the town's time from which the day-before reminders go out (not at midnight)
     */
    public AppointmentReminders(ReactiveMongoTemplate mongo, Appointments appointments,
            ConversationStore conversations, ConversationEvents events, Outbox outbox, CitizenNotices notices,
            OutboundPolicy policy, Supplier<FlowBundle> flows, Clock clock, ZoneId zone, LocalTime from) {
        this.mongo = mongo;
        this.appointments = appointments;
        this.conversations = conversations;
        this.events = events;
        this.outbox = outbox;
        this.notices = notices;
        this.policy = policy;
        this.flows = flows;
        this.clock = clock;
        this.zone = zone;
        this.from = from;
    }

    /** Looks for appointments to remind every {@code every}. */
    public synchronized void start(Duration every) {
        if (loop == null) {
            loop = Periodic.start("Appointment reminders", every, every, () -> remind(clock.instant()));
        }
    }

    @Override
    public synchronized void close() {
        if (loop != null) {
            loop.close();
            loop = null;
        }
    }

    /**
     * Reminds, at {@code now}, the citizens whose booked appointment is tomorrow (the town's day), once
     * {@code now} is past the reminders' time of day. Answers how many it reminded.
     */
    public Mono<Long> remind(Instant now) {
        ZonedDateTime local = now.atZone(zone);
        if (local.toLocalTime().isBefore(from)) {
            return Mono.just(0L);
        }
        LocalDate tomorrow = local.toLocalDate().plusDays(1);
        Commands.AppointmentTexts texts = flows.get().commands().appointments();
        if (texts == null) {
            return Mono.just(0L);
        }
        Flux<Appointment> due = appointments.toRemind(tomorrow.atStartOfDay(zone).toInstant(),
                tomorrow.plusDays(1).atStartOfDay(zone).toInstant());
        return due.concatMap(a -> remind(a, texts, now).onErrorResume(e -> Mono.just(false)))
                .filter(Boolean::booleanValue).count();
    }

    private Mono<Boolean> remind(Appointment a, Commands.AppointmentTexts texts, Instant now) {
        return Mono.zip(conversations.find(a.conversationId()), appointments.service(a.service()),
                        appointments.office(a.office()))
                .flatMap(t -> send(a, t.getT1(), t.getT2(), t.getT3(), texts, now))
                // Sent (or not to be sent: opted out, gone): never again for this time.
                .then(appointments.reminded(a.id(), a.start()))
                .onErrorResume(Appointments.NotFound.class, e -> appointments.reminded(a.id(), a.start()));
    }

    private Mono<Void> send(Appointment a, Conversation conversation, AppointmentService service, Office office,
            Commands.AppointmentTexts texts, Instant now) {
        Session session = SessionCodec.read(conversation.session(), Language.DEFAULT);
        Language language = Language.fromCode(a.language()).orElse(session.language());
        ZonedDateTime start = a.start().atZone(zone);
        Map<String, String> values = new HashMap<>();
        values.put("code", a.code());
        values.put("service", service.name(language.code()));
        values.put("date", start.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.forLanguageTag(language.code()))
                + " " + DATE.format(start));
        values.put("time", TIME.format(start));
        values.put("office", office.name());
        values.put("address", office.address() == null ? "" : office.address());
        String text = texts.get("reminder").in(language, values);
        String about = Engine.REMINDER_ABOUT + a.code();
        // A moved appointment is reminded of its new time: the time is part of what makes the reminder one.
        String id = "reminder:" + a.id() + ":" + a.start().getEpochSecond();
        if (session.optedOut()) {
            return events.record(new ConversationEvent(id, conversation.id(), now, "NOTICE_HELD", "system",
                    "Not sent (the citizen opted out): " + text));
        }
        if (conversation.status() != ConversationStatus.AGENT
                && policy.way(conversation, now, OutboundPolicy.REPLY, language) instanceof OutboundPolicy.Way.FreeText) {
            List<String> options = List.of(texts.get("coming").in(language), texts.get("cancel").in(language));
            return ask(conversation.id(), about).flatMap(asked -> outbox.enqueue(List.of(OutboxEntry.pending(id,
                            asked.id(), asked.channel(), asked.address(), text, options,
                            asked.version() * PendingTurns.ORDERS_PER_TURN, "SYSTEM", null, now)
                            .withMenu(Engine.REMINDER_MENU))))
                    .then(events.record(new ConversationEvent(id, conversation.id(), now, "APPOINTMENT_REMINDED",
                            "system", a.code())));
        }
        // Outside the window, or while staff own the chat: the platform's way for every message, held or templated.
        return ask(conversation.id(), about).then(notices.deliver(conversation.id(), "appointment-reminder:" + a.id()
                + ":" + a.start().getEpochSecond(),
                PURPOSE, Map.of("1", a.code(), "2", DATE.format(start), "3", TIME.format(start)), (n, l) -> text,
                false)).then();
    }

    /** The contact's next message may answer the reminder (the session's question from the host). */
    private Mono<Conversation> ask(String conversationId, String about) {
        return mongo.findAndModify(query(where("_id").is(conversationId)), new Update().inc("version", 1L)
                        .set("session.survey", SessionCodec.survey(new Session.Survey(about, false))),
                FindAndModifyOptions.options().returnNew(true), Conversation.class);
    }
}

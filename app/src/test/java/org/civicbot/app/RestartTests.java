package org.civicbot.app;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.ConversationIds;
import org.civicbot.bot.inbound.InboundContent;
import org.civicbot.bot.inbound.InboundContentCodec;
import org.civicbot.bot.inbound.InboundMessage;
import org.civicbot.bot.inbound.InboundRecord;
import org.civicbot.bot.inbound.Intake;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.Incidents;
import org.civicbot.bot.incident.Source;
import org.civicbot.bot.outbox.DeliveryStatus;
import org.civicbot.bot.outbox.OutboxEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

/**
 * The app stops and starts again on the same data directory: what was acknowledged but not yet done
 * (a stored message not processed, a reply not sent) is done once, and nothing stored is lost.
 */
class RestartTests {

    final Path dataDir = FullStackTest.tempDir();

    @BeforeEach
    void providers() {
        Providers.goodDay();
    }

    ConfigurableApplicationContext start(String pollInterval) {
        return start(pollInterval, Clock.systemUTC());
    }

    /** Starts the app with its clock at {@code clock}: a machine whose clock was stepped. */
    ConfigurableApplicationContext start(String pollInterval, Clock clock) {
        List<String> args = new ArrayList<>();
        FullStackTest.commonProperties(dataDir).forEach((name, value) -> {
            if (!name.equals("civicbot.outbox.poll-interval") && !name.equals("management.server.port")) {
                args.add("--" + name + "=" + value);
            }
        });
        args.add("--server.port=0");
        args.add("--civicbot.outbox.poll-interval=" + pollInterval);
        // No management server: these apps come and go beside the shared test context.
        args.add("--management.server.port=-1");
        return FullStackTest.separateApp()
                .initializers(context -> context.getBeanFactory().registerSingleton("clock", clock))
                .run(args.toArray(String[]::new));
    }

    @Test
    void finishesAfterARestartWhatWasAcknowledgedBefore() {
        String citizen = "whatsapp:+34600000501";
        String waiting = "whatsapp:+34600000502";
        String incidentCode;

        // First run: the dispatcher polls only at start, so what is written after it stays unsent.
        try (ConfigurableApplicationContext first = start("1h")) {
            ConversationIds conversationIds = first.getBean(ConversationIds.class);
            String conversationId = conversationIds.of(Channel.WHATSAPP, citizen);
            ReactiveMongoTemplate mongo = first.getBean(ReactiveMongoTemplate.class);
            // A message stored (acknowledged to Twilio) but not processed: the app died before its turn.
            mongo.insert(new InboundRecord(InboundRecord.idOf(Channel.WHATSAPP, "SMrestart1"), Channel.WHATSAPP,
                    "SMrestart1", conversationId, citizen, "Pere", InboundContentCodec.write(
                            new InboundContent.Text("hola")), 1L, InboundRecord.Status.RECEIVED, Instant.now(), null, 0,
                    null, null)).block();
            // A reply saved in the outbox but not yet sent.
            mongo.insert(OutboxEntry.pending("restart-entry/0", conversationIds.of(Channel.WHATSAPP, waiting),
                    Channel.WHATSAPP, waiting, "Us escrivim des de l'Ajuntament.", List.of(), 1L, "STAFF", "anna",
                    Instant.now())).block();
            Incident incident = first.getBean(Incidents.class).report(new Incidents.Report("restart-incident",
                    "street_lighting", "Farola apagada", null, List.of(), Source.STAFF, null, null, null, null, null,
                    new Incident.TimelineEntry(Instant.now(), "CREATED", "anna", "Entered by staff"))).block();
            incidentCode = incident.code();
            assertThat(Providers.twilioBodiesTo(waiting)).isEmpty();
        }

        try (ConfigurableApplicationContext second = start("100ms")) {
            ReactiveMongoTemplate mongo = second.getBean(ReactiveMongoTemplate.class);
            await().atMost(Duration.ofSeconds(20)).until(() -> mongo.findById(
                    InboundRecord.idOf(Channel.WHATSAPP, "SMrestart1"), InboundRecord.class).block().status()
                    == InboundRecord.Status.PROCESSED);
            await().atMost(Duration.ofSeconds(20)).until(() -> Providers.twilioBodiesTo(citizen).size() == 2);
            await().atMost(Duration.ofSeconds(20)).until(() -> mongo.findById("restart-entry/0", OutboxEntry.class)
                    .block().status() == DeliveryStatus.SENT);
            // Several more dispatcher rounds pass; the entry must not go out again.
            await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> true);
            assertThat(Providers.twilioBodiesTo(waiting)).containsExactly("Us escrivim des de l'Ajuntament.");
            assertThat(mongo.findOne(org.springframework.data.mongodb.core.query.Query.query(
                    org.springframework.data.mongodb.core.query.Criteria.where("code").is(incidentCode)),
                    Incident.class).block()).isNotNull();
            assertThat(Providers.twilioBodiesTo(citizen).get(0)).contains("privacitat");
        }
    }

    /** Bookings are in the store with their seats: after a restart, a full time is still full. */
    @Test
    void aFullTimeIsStillFullAfterARestart() {
        java.time.ZoneId town = java.time.ZoneId.of("Europe/Madrid");
        Instant slot = java.time.LocalDate.now(town).plusDays(2).atTime(9, 30).atZone(town).toInstant();
        String code;
        try (ConfigurableApplicationContext first = start("1h")) {
            var appointments = first.getBean(org.civicbot.bot.appointment.Appointments.class);
            appointments.save(new org.civicbot.bot.appointment.Office("restart-oac", "OAC", "Plaça de la Vila, 1",
                    java.util.Map.of(slot.atZone(town).getDayOfWeek().name(), List.of("09:00-11:00")), List.of(),
                    List.of())).block();
            appointments.save(new org.civicbot.bot.appointment.AppointmentService("restart-padro", java.util.Map.of(
                    "ca", "Padró", "es", "Padrón", "en", "Register"), java.util.Map.of(), List.of("restart-oac"), 30, 2,
                    30, 2, true)).block();
            for (int i = 0; i < 2; i++) {
                assertThat(appointments.book(request("before-" + i, slot)).block())
                        .isInstanceOf(org.civicbot.bot.appointment.Appointments.Booked.class);
            }
            code = ((org.civicbot.bot.appointment.Appointments.Booked) appointments.book(request("before-0", slot))
                    .block()).appointment().code();
        }
        try (ConfigurableApplicationContext second = start("1h")) {
            var appointments = second.getBean(org.civicbot.bot.appointment.Appointments.class);
            assertThat(appointments.book(request("after", slot)).block())
                    .isInstanceOf(org.civicbot.bot.appointment.Appointments.Full.class);
            assertThat(appointments.day("restart-oac", slot.atZone(town).toLocalDate()).collectList().block())
                    .hasSize(2);
            assertThat(appointments.byCode(code).block().start()).isEqualTo(slot);
            appointments.cancel(code, "test").block();
            assertThat(appointments.book(request("after", slot)).block()).as("a seat freed, once")
                    .isInstanceOf(org.civicbot.bot.appointment.Appointments.Booked.class);
        }
    }

    private static org.civicbot.bot.appointment.Appointments.Request request(String ref, Instant slot) {
        return new org.civicbot.bot.appointment.Appointments.Request(ref, "restart-padro", "restart-oac", slot,
                "Veí", null, "TELEGRAM", "conversation-" + ref, "ca", "citizen", false);
    }

    @Test
    void appliesEveryMessageInOrderAfterTheClockWentBackAcrossARestart() {
        String citizen = "whatsapp:+34600000521";
        List<String> ids = new ArrayList<>();
        try (ConfigurableApplicationContext first = start("100ms")) {
            deliver(first, citizen, "hola", ids);
            deliver(first, citizen, "1", ids);
        }
        // The machine's clock was an hour fast and is put right: every later message looks older.
        try (ConfigurableApplicationContext second = start("100ms",
                Clock.offset(Clock.systemUTC(), Duration.ofHours(-1)))) {
            deliver(second, citizen, "0", ids);
            deliver(second, citizen, "2", ids);
            ReactiveMongoTemplate mongo = second.getBean(ReactiveMongoTemplate.class);
            String conversationId = second.getBean(ConversationIds.class).of(Channel.WHATSAPP, citizen);
            List<InboundRecord> applied = ids.stream()
                    .map(id -> mongo.findById(id, InboundRecord.class).block()).toList();
            assertThat(applied).allSatisfy(r -> assertThat(r.status()).isEqualTo(InboundRecord.Status.PROCESSED));
            assertThat(applied).extracting(InboundRecord::seq).isSorted().doesNotHaveDuplicates();
            assertThat(mongo.find(org.springframework.data.mongodb.core.query.Query.query(
                            org.springframework.data.mongodb.core.query.Criteria.where("conversationId").is(conversationId)),
                    OutboxEntry.class).map(e -> e.id().substring(0, e.id().lastIndexOf('/'))).distinct()
                    .collectList().block()).containsExactlyInAnyOrderElementsOf(ids);
        }
    }

    /** Hands a WhatsApp text to the app as its webhook does, and waits for its turn. */
    /**
     * A conversation kept by an earlier version under its old, unkeyed id: the next start moves it to its keyed id
     * with its messages and replies, and the citizen's next message carries on where they were.
     */
    @Test
    void aConversationUnderAnOldIdIsMovedAtStartAndGoesOn() {
        String citizen = "whatsapp:+34600000531";
        String legacy = ConversationIds.legacy(Channel.WHATSAPP, citizen);
        List<String> ids = new ArrayList<>();
        String keyed;
        try (ConfigurableApplicationContext first = start("100ms")) {
            deliver(first, citizen, "hola", ids);
            deliver(first, citizen, "1", ids);
            keyed = first.getBean(ConversationIds.class).of(Channel.WHATSAPP, citizen);
            ReactiveMongoTemplate mongo = first.getBean(ReactiveMongoTemplate.class);
            await().atMost(Duration.ofSeconds(20)).until(() -> mongo.find(query(where("conversationId").is(keyed)),
                    OutboxEntry.class).all(e -> e.status() == DeliveryStatus.SENT).block());
            // As an earlier version kept it.
            org.bson.Document conversation = mongo.findById(keyed, org.bson.Document.class, "conversations").block();
            conversation.put("_id", legacy);
            mongo.insert(conversation, "conversations").block();
            mongo.remove(query(where("_id").is(keyed)), "conversations").block();
            for (String collection : List.of("inbound_messages", "outbox")) {
                mongo.updateMulti(query(where("conversationId").is(keyed)),
                        new org.springframework.data.mongodb.core.query.Update().set("conversationId", legacy),
                        collection).block();
            }
        }
        try (ConfigurableApplicationContext second = start("100ms")) {
            ReactiveMongoTemplate mongo = second.getBean(ReactiveMongoTemplate.class);
            assertThat(mongo.findById(legacy, org.bson.Document.class, "conversations").block()).isNull();
            assertThat(mongo.count(query(where("conversationId").is(legacy)), "inbound_messages").block()).isZero();
            assertThat(mongo.count(query(where("conversationId").is(keyed)), "inbound_messages").block())
                    .isEqualTo(2);
            deliver(second, citizen, "2", ids);
            await().atMost(Duration.ofSeconds(20)).until(() -> mongo.find(query(where("conversationId").is(keyed)),
                    OutboxEntry.class).all(e -> e.status() == DeliveryStatus.SENT).block());
            List<String> texts = mongo.find(query(where("conversationId").is(keyed))
                            .with(org.springframework.data.domain.Sort.by("seq")), OutboxEntry.class)
                    .map(OutboxEntry::text).collectList().block();
            // The answer was taken as the category asked before the restart: the next question follows.
            assertThat(texts.get(texts.size() - 1)).startsWith("Explica'ns breument què passa");
            assertThat(texts.stream().filter(t -> t.contains("privacitat")).count()).isOne();
        }
    }

    private static void deliver(ConfigurableApplicationContext app, String citizen, String text, List<String> ids) {
        String sid = Providers.nextMessageSid();
        Clock clock = app.getBean(Clock.class);
        app.getBean(Intake.class).receive(new InboundMessage(Channel.WHATSAPP, sid, citizen, "Pere",
                new InboundContent.Text(text), clock.instant())).block();
        String id = InboundRecord.idOf(Channel.WHATSAPP, sid);
        ids.add(id);
        ReactiveMongoTemplate mongo = app.getBean(ReactiveMongoTemplate.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> mongo.findById(id, InboundRecord.class).block().status()
                == InboundRecord.Status.PROCESSED);
    }

    @Test
    void servesThePublishedFlowsAfterARestart() {
        String original = "Hola! Sóc l'assistent de l'Ajuntament.";
        String edited = "Bon dia! Aquest és el text publicat abans d'aturar-se.";
        long published;
        try (ConfigurableApplicationContext first = start("100ms")) {
            org.civicbot.backoffice.content.FlowEditing editing =
                    first.getBean(org.civicbot.backoffice.content.FlowEditing.class);
            String yaml = editing.yaml("main").block();
            assertThat(editing.save("main", yaml.replace(original, edited), "editor").block().valid()).isTrue();
            published = editing.publish("main", "abans de reiniciar", "editor").block().number();
            assertThat(menuText(first)).startsWith(edited);
        }
        try (ConfigurableApplicationContext second = start("100ms")) {
            assertThat(second.getBean(org.civicbot.bot.content.FlowSync.class).current()).isEqualTo(published);
            assertThat(menuText(second)).as("the published revision, not the shipped flows").startsWith(edited);
        }
    }

    private static String menuText(ConfigurableApplicationContext app) {
        return ((org.civicbot.flows.Node.Menu) app.getBean(org.civicbot.bot.FlowRuntime.class).get().flows()
                .node("main", "main_menu").orElseThrow()).text().in(org.civicbot.flows.Language.CA);
    }
}

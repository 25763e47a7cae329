package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.ConversationIds;
import org.civicbot.bot.inbound.InboundContent;
import org.civicbot.bot.inbound.InboundContentCodec;
import org.civicbot.bot.inbound.InboundRecord;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.Incidents;
import org.civicbot.bot.incident.Source;
import org.civicbot.bot.outbox.DeliveryStatus;
import org.civicbot.bot.outbox.OutboxEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
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
        List<String> args = new ArrayList<>();
        FullStackTest.commonProperties(dataDir).forEach((name, value) -> {
            if (!name.equals("civicbot.outbox.poll-interval")) {
                args.add("--" + name + "=" + value);
            }
        });
        args.add("--server.port=0");
        args.add("--civicbot.outbox.poll-interval=" + pollInterval);
        return new SpringApplicationBuilder(CivicbotApplication.class).run(args.toArray(String[]::new));
    }

    @Test
    void finishesAfterARestartWhatWasAcknowledgedBefore() {
        String citizen = "whatsapp:+34600000501";
        String waiting = "whatsapp:+34600000502";
        String conversationId = ConversationIds.of(Channel.WHATSAPP, citizen);
        String incidentCode;

        // First run: the dispatcher polls only at start, so what is written after it stays unsent.
        try (ConfigurableApplicationContext first = start("1h")) {
            ReactiveMongoTemplate mongo = first.getBean(ReactiveMongoTemplate.class);
            // A message stored (acknowledged to Twilio) but not processed: the app died before its turn.
            mongo.insert(new InboundRecord(InboundRecord.idOf(Channel.WHATSAPP, "SMrestart1"), Channel.WHATSAPP,
                    "SMrestart1", conversationId, citizen, "Pere", InboundContentCodec.write(
                            new InboundContent.Text("hola")), 1L, InboundRecord.Status.RECEIVED, Instant.now(), null, 0,
                    null, null)).block();
            // A reply saved in the outbox but not yet sent.
            mongo.insert(new OutboxEntry("restart-entry/0", ConversationIds.of(Channel.WHATSAPP, waiting),
                    Channel.WHATSAPP, waiting, "Us escrivim des de l'Ajuntament.", List.of(), 1L, "STAFF", "anna",
                    DeliveryStatus.PENDING, 0, null, null, null, null, Instant.now(), null, Instant.now(), null)).block();
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
}

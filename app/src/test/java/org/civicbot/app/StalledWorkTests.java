package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.conversation.ConversationIds;
import org.civicbot.bot.inbound.InboundContent;
import org.civicbot.bot.inbound.InboundContentCodec;
import org.civicbot.bot.inbound.InboundRecord;
import org.civicbot.bot.outbox.OutboxEntry;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.query.Update;

/**
 * Nothing waits for ever, and nothing is dropped: work that stalled is driven again without a restart,
 * and messages are applied in the order their conversation's inbox got them, whatever their numbers.
 */
class StalledWorkTests extends FullStackTest {

    /** A message stored as a webhook stores it, but not (yet) queued on its conversation. */
    InboundRecord storedOnly(String sid, String citizen, String text, Instant receivedAt) {
        InboundRecord record = new InboundRecord(InboundRecord.idOf(Channel.WHATSAPP, sid), Channel.WHATSAPP, sid,
                conversationIds.of(Channel.WHATSAPP, citizen), citizen, "Marta",
                InboundContentCodec.write(new InboundContent.Text(text)), 0L, InboundRecord.Status.RECEIVED,
                receivedAt, null, 0, null, null);
        return mongo.insert(record).block();
    }

    @Test
    void appliesAMessageStoredFirstButQueuedSecondAfterTheOtherWithoutDroppingIt() {
        String citizen = "whatsapp:+34600000911";
        // Two deliveries for one chat at once (a photo album): the first stored is the last queued.
        InboundRecord first = storedOnly(Providers.nextMessageSid(), citizen, "hola", Instant.now());
        whatsapp(citizen, "hola");
        postTwilio(Providers.whatsappText(citizen, first.providerId(), "hola")).expectStatus().isOk()
                .expectBody().returnResult();
        awaitProcessed(first.id());

        List<InboundRecord> applied = mongo.find(query(where("conversationId").is(first.conversationId())),
                InboundRecord.class).collectList().block();
        assertThat(applied).hasSize(2).allSatisfy(r -> assertThat(r.status()).isEqualTo(InboundRecord.Status.PROCESSED));
        InboundRecord second = applied.stream().filter(r -> !r.id().equals(first.id())).findFirst().orElseThrow();
        assertThat(second.seq()).isLessThan(mongo.findById(first.id(), InboundRecord.class).block().seq());
        // Each got its own turn: replies for both.
        List<OutboxEntry> replies = awaitOutboxSettled(first.conversationId());
        assertThat(replies).anyMatch(e -> e.id().startsWith(first.id() + "/"));
        assertThat(replies).anyMatch(e -> e.id().startsWith(second.id() + "/"));
    }

    @org.springframework.beans.factory.annotation.Autowired
    org.civicbot.bot.inbound.InboundLog inboundLog;

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.context.ApplicationContext context;

    @Test
    void whatTheLastRunLeftIsTakenBeforeTheWebServerTakesNewMessages() {
        // On the embedded store a message answered and not yet queued when the app stopped is queued at start: were
        // the web server taking deliveries first, a newer message of the same chat could go ahead of it.
        org.springframework.context.SmartLifecycle webServer =
                context.getBean("webServerStartStop", org.springframework.context.SmartLifecycle.class);
        assertThat(context.getBean(StartupTasks.class).getPhase()).isLessThan(webServer.getPhase());
    }

    @Test
    void aMessageQueuedAgainAfterItsTurnFromAnOldCopyGetsNoSecondTurn() {
        String citizen = "whatsapp:+34600000917";
        whatsapp(citizen, "hola");
        String conversationId = conversationIds.of(Channel.WHATSAPP, citizen);
        List<OutboxEntry> before = awaitOutboxSettled(conversationId);
        InboundRecord processed = mongo.find(query(where("conversationId").is(conversationId)), InboundRecord.class)
                .blockFirst();
        long version = conversation(Channel.WHATSAPP, citizen).version();
        java.time.Instant queuedAt = conversation(Channel.WHATSAPP, citizen).inboxAt();
        // As the sweeper or a redelivery may hold it: read while still waiting, queued once its turn was taken.
        InboundRecord oldCopy = new InboundRecord(processed.id(), processed.channel(), processed.providerId(),
                processed.conversationId(), processed.address(), processed.displayName(), processed.content(), 0L,
                InboundRecord.Status.RECEIVED, processed.receivedAt(), null, 0, null, null, processed.language());

        inboundLog.queue(oldCopy).block();

        // Queued again (on the embedded store by its lane, a moment later), then taken off without a turn.
        org.awaitility.Awaitility.await().atMost(PATIENCE).until(() -> {
            Conversation now = conversation(Channel.WHATSAPP, citizen);
            return now.inboxAt().isAfter(queuedAt) && now.queued().isEmpty();
        });
        assertThat(conversation(Channel.WHATSAPP, citizen).version()).as("no second turn").isEqualTo(version);
        assertThat(awaitOutboxSettled(conversationId)).hasSameSizeAs(before);
        assertThat(mongo.findById(processed.id(), InboundRecord.class).block().seq()).isEqualTo(processed.seq());
    }

    @Test
    void theSweeperAppliesAMessageThatWasStoredButNeverQueued() {
        String citizen = "whatsapp:+34600000912";
        // The app stopped between storing and queuing it, and Twilio does not deliver it again.
        InboundRecord stranded = storedOnly(Providers.nextMessageSid(), citizen, "hola", Instant.now().minus(Duration.ofMinutes(5)));

        awaitProcessed(stranded.id());
        assertThat(awaitOutboxSettled(stranded.conversationId())).isNotEmpty();
        assertThat(Providers.twilioBodiesTo(citizen)).isNotEmpty();
    }

    @Test
    void theSweeperCarriesOutATurnThatWasSavedButNotCarriedOut() {
        String citizen = "whatsapp:+34600000913";
        whatsapp(citizen, "hola");
        String conversationId = conversationIds.of(Channel.WHATSAPP, citizen);
        awaitOutboxSettled(conversationId);
        // A turn saved five minutes ago whose reply never reached the outbox (the app died in between).
        Conversation.PendingTurn saved = Conversation.PendingTurn.of("staff:" + conversationId + ":stalled",
                List.of(new Conversation.PendingMessage("Encara hi som.", List.of(), "STAFF", "anna")),
                conversation(Channel.WHATSAPP, citizen).version() + 1, Instant.now().minus(Duration.ofMinutes(5)));
        mongo.updateFirst(query(where("_id").is(conversationId)), new Update().set("pendingTurn", saved),
                Conversation.class).block();

        org.awaitility.Awaitility.await().atMost(PATIENCE)
                .until(() -> Providers.twilioBodiesTo(citizen).contains("Encara hi som."));
        // Cleared a moment later, with other conversations' turns, in one command.
        org.awaitility.Awaitility.await().atMost(PATIENCE)
                .until(() -> conversation(Channel.WHATSAPP, citizen).pendingTurn() == null);
    }

    @Test
    void aRedeliveryOfAMessageStillWaitingDrivesItsConversation() {
        String citizen = "whatsapp:+34600000914";
        // Stored just now and never queued: the sweeper would leave it for half a minute.
        InboundRecord waiting = storedOnly(Providers.nextMessageSid(), citizen, "hola", Instant.now());

        postTwilio(Providers.whatsappText(citizen, waiting.providerId(), "hola")).expectStatus().isOk()
                .expectBody().returnResult();

        awaitProcessed(waiting.id());
        assertThat(mongo.count(query(where("conversationId").is(waiting.conversationId())), InboundRecord.class)
                .block()).isEqualTo(1);
    }

    @Test
    void showsATurnsRepliesOnTheTimelineInTheOrderTheCitizenGotThem() {
        String citizen = "whatsapp:+34600000915";
        whatsapp(citizen, "hola");
        String conversationId = conversationIds.of(Channel.WHATSAPP, citizen);
        List<OutboxEntry> sent = awaitOutboxSettled(conversationId);
        assertThat(sent).hasSizeGreaterThan(1);
        List<String> received = Providers.twilioBodiesTo(citizen);

        String timeline = web.get().uri("/api/v1/conversations/{id}", conversationId)
                .headers(h -> h.setBasicAuth("admin", "admin-password")).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        // Each reply's text appears after the one the citizen got before it.
        int at = -1;
        for (OutboxEntry entry : sent) {
            int next = timeline.indexOf(entry.id());
            assertThat(next).as("%s after the reply before it", entry.id()).isGreaterThan(at);
            at = next;
        }
        assertThat(received).hasSize(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            assertThat(received.get(i)).startsWith(sent.get(i).text());
        }
    }
}

package org.civicbot.bot.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.civicbot.bot.Channel;
import org.civicbot.bot.MutableClock;
import org.civicbot.bot.PathMetrics;
import org.civicbot.bot.TestStore;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.conversation.ConversationIds;
import org.civicbot.bot.conversation.ConversationStore;
import org.civicbot.bot.inbound.InboundContent;
import org.civicbot.bot.inbound.InboundLog;
import org.civicbot.bot.inbound.InboundMessage;
import org.civicbot.bot.inbound.InboundRecord;
import org.civicbot.bot.inbound.Intake;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * On the embedded store this process is the only one receiving messages: the provider is answered once the message
 * is stored, and the conversation's lane queues it, in arrival order, before its turn.
 */
class SoleReceiverTests {

    static final ConversationIds IDS = new ConversationIds(new byte[32]);
    static final String CONVERSATION = IDS.of(Channel.TELEGRAM, "7001");

    final TestStore store = TestStore.start();
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
    final ConversationStore conversations = new ConversationStore(store.template());
    final ConversationLanesTests.HeldProcessor processor = new ConversationLanesTests.HeldProcessor();
    final ConversationLanes lanes = new ConversationLanes(processor, conversations, clock, Schedulers.immediate());

    @AfterEach
    void close() {
        store.close();
    }

    private InboundLog log(boolean soleReceiver) {
        return new InboundLog(store.template(), conversations, IDS, clock, lanes, PathMetrics.unobserved(),
                soleReceiver);
    }

    private static InboundMessage message(String updateId) {
        return new InboundMessage(Channel.TELEGRAM, updateId, "7001", "Anna", new InboundContent.Text("hola " + updateId),
                Instant.parse("2026-11-30T10:00:00Z"));
    }

    private static String id(String updateId) {
        return InboundRecord.idOf(Channel.TELEGRAM, updateId);
    }

    private Conversation stored() {
        return conversations.find(CONVERSATION).block();
    }

    @Test
    void answersOnceStoredAndQueuesInArrivalOrderBeforeTheTurn() {
        InboundLog inbound = log(true);

        assertThat(inbound.receive(message("1")).block()).isEqualTo(Intake.Receipt.ACCEPTED);
        await().until(() -> processor.handed.size() == 1);
        // The turn starts from the conversation as queuing left it, with the message as stored: nothing is read back.
        assertThat(processor.handed.get(0).latest().queued()).containsExactly(id("1"));
        assertThat(processor.handed.get(0).arrived()).containsExactly(id("1"));

        // While the first turn runs, two more arrive: both answered, queued by the next drain, in their order.
        assertThat(inbound.receive(message("3")).block()).isEqualTo(Intake.Receipt.ACCEPTED);
        assertThat(inbound.receive(message("2")).block()).isEqualTo(Intake.Receipt.ACCEPTED);
        assertThat(stored().queued()).containsExactly(id("1"));
        processor.finish(CONVERSATION);

        await().until(() -> processor.handed.size() == 2);
        assertThat(processor.handed.get(1).latest().queued()).containsExactly(id("1"), id("3"), id("2"));
        assertThat(processor.handed.get(1).arrived()).containsExactly(id("3"), id("2"));
        processor.finish(CONVERSATION);
        await().until(lanes::idle);
    }

    @Test
    void aQueuingTheStoreRefusesIsTriedAgainWithoutFailingTheAnswerAndNothingLaterGoesAhead() {
        InboundLog inbound = log(true);
        AtomicInteger refused = store.failNext("findAndModify", 3,
                command -> "conversations".equals(command.get("findAndModify")));

        // The provider is answered: the message is on disk, whatever becomes of its queuing.
        assertThat(inbound.receive(message("1")).block()).isEqualTo(Intake.Receipt.ACCEPTED);
        assertThat(store.template().findById(id("1"), InboundRecord.class).block().status())
                .isEqualTo(InboundRecord.Status.RECEIVED);
        assertThat(inbound.receive(message("2")).block()).isEqualTo(Intake.Receipt.ACCEPTED);

        await().atMost(Duration.ofSeconds(10)).until(() -> processor.handed.size() == 1);
        assertThat(refused).hasValue(3);
        // The second message waited in the lane behind the first, whose queuing was being tried again.
        assertThat(processor.handed.get(0).latest().queued()).containsExactly(id("1"));
        processor.finish(CONVERSATION);
        await().until(() -> processor.handed.size() == 2);
        assertThat(processor.handed.get(1).latest().queued()).containsExactly(id("1"), id("2"));
        processor.finish(CONVERSATION);
    }

    @Test
    void aRedeliveryOfAMessageStillWaitingIsQueuedOnceAndReadForItsTurn() {
        InboundLog inbound = log(true);
        inbound.receive(message("1")).block();
        await().until(() -> processor.handed.size() == 1);

        assertThat(inbound.receive(message("1")).block()).isEqualTo(Intake.Receipt.DUPLICATE);
        processor.finish(CONVERSATION);

        await().until(() -> processor.handed.size() == 2);
        assertThat(processor.handed.get(1).latest().queued()).containsExactly(id("1"));
        // Not the copy just stored: its turn may have been taken since it was read, so the turn reads it.
        assertThat(processor.handed.get(1).arrived()).isEmpty();
        processor.finish(CONVERSATION);
    }

    @Test
    void theSweeperHandsAStoredMessageToItsLaneWhichQueuesItAfterWhatItHolds() {
        InboundLog inbound = log(true);
        inbound.receive(message("1")).block();
        await().until(() -> processor.handed.size() == 1);
        inbound.receive(message("2")).block();

        // The sweeper finds message 2 stored and not queued while its lane holds it: queued directly, it could be
        // taken by the running drain and then queued again, after its turn, by the lane.
        inbound.queue(store.template().findById(id("2"), InboundRecord.class).block()).block();
        assertThat(stored().queued()).containsExactly(id("1"));

        processor.finish(CONVERSATION);
        await().until(() -> processor.handed.size() == 2);
        assertThat(processor.handed.get(1).latest().queued()).containsExactly(id("1"), id("2"));
        assertThat(processor.handed.get(1).arrived()).containsExactly(id("2"));
        processor.finish(CONVERSATION);
    }

    @Test
    void theStartUpSweepQueuesWhatACrashLeftStoredOldestFirstWhateverTheClockSaysNow() {
        // Answered and stored, then the process stopped before its lanes queued them: stored in another order, the
        // last with a time still to come, since the clock was stepped back across the restart.
        Instant base = clock.instant();
        for (String updateId : List.of("12", "10", "11")) {
            Instant at = updateId.equals("12") ? base.plus(Duration.ofHours(1)) : base.minusSeconds(20 - Long.parseLong(updateId));
            store.template().insert(record(updateId, CONVERSATION, at)).block();
        }
        // A message queued already, on another conversation: its lane is driven, and it is not queued again.
        String other = IDS.of(Channel.TELEGRAM, "7002");
        store.template().insert(record("20", other, base.minusSeconds(30))).block();
        conversations.queue(other, Channel.TELEGRAM, "7002", "Pau", id("20"), base).block();
        Sweeper sweeper = new Sweeper(store.template(), log(true), lanes, clock, PathMetrics.unobserved());

        assertThat(sweeper.sweep(Duration.ZERO).block()).as("one conversation driven, three messages queued")
                .isEqualTo(4L);
        await().until(() -> processor.handed.size() == 2);
        Conversation first = processor.handed.stream().filter(d -> d.latest() != null
                && d.latest().id().equals(CONVERSATION)).findFirst().orElseThrow().latest();
        assertThat(first.queued()).containsExactly(id("10"));
        processor.finish(other);
        processor.finish(CONVERSATION);
        await().until(() -> processor.handed.size() == 3);
        assertThat(processor.handed.get(2).latest().queued()).containsExactly(id("10"), id("11"), id("12"));
        processor.finish(CONVERSATION);
    }

    @Test
    void aStoppingAppStopsTryingToQueueWhatTheStoreRefuses() {
        InboundLog inbound = log(true);
        store.failNext("findAndModify", 1_000, command -> "conversations".equals(command.get("findAndModify")));
        inbound.receive(message("1")).block();
        inbound.receive(message("2")).block();
        assertThat(lanes.idle()).isFalse();
        // In no inbox, and still waiting: the backlog says so.
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        Sweeper sweeper = new Sweeper(store.template(), inbound, lanes, clock, new PathMetrics(registry));
        sweeper.sweep(Duration.ofMinutes(1), 0).block();
        assertThat(registry.get("civicbot.inbound.backlog").gauge().value()).isEqualTo(2.0);

        lanes.close();
        // Left stored, for the next start's sweep.
        await().atMost(Duration.ofSeconds(15)).until(lanes::idle);
        assertThat(lanes.held()).isZero();
        assertThat(processor.handed).isEmpty();
        assertThat(store.template().findById(id("1"), InboundRecord.class).block().status())
                .isEqualTo(InboundRecord.Status.RECEIVED);
    }

    private static InboundRecord record(String updateId, String conversationId, Instant at) {
        return new InboundRecord(id(updateId), Channel.TELEGRAM, updateId, conversationId, "7001", "Anna",
                new org.bson.Document("text", "hola"), 0L, InboundRecord.Status.RECEIVED, at, null, 0, null, null);
    }

    @Test
    void instancesSharingTheStoreQueueBeforeAnswering() {
        InboundLog inbound = log(false);
        store.failNext("findAndModify", 1, command -> "conversations".equals(command.get("findAndModify")));

        // Another instance may get the conversation's next message as soon as this one answers: unqueued, the
        // provider is not told it was taken, and delivers it again.
        StepVerifier.create(inbound.receive(message("1"))).expectError().verify(Duration.ofSeconds(10));
        assertThat(processor.handed).isEmpty();

        assertThat(inbound.receive(message("1")).block()).isEqualTo(Intake.Receipt.DUPLICATE);
        await().until(() -> processor.handed.size() == 1);
        assertThat(processor.handed.get(0).latest()).isNull();
        assertThat(stored().queued()).containsExactly(id("1"));
        processor.finish(CONVERSATION);
    }
}

package org.civicbot.bot.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.civicbot.bot.Channel;
import org.civicbot.bot.MutableClock;
import org.civicbot.bot.TestStore;
import org.civicbot.bot.outbox.Outbox;
import org.civicbot.bot.outbox.OutboxEntry;
import org.civicbot.flows.FlowBundle;
import org.civicbot.flows.Flows;
import org.civicbot.flows.Language;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.query.Update;

class QueueWatchTests {

    /** Monday 2026-11-23 10:00 in Madrid: the office is open. */
    static final Instant OPEN = Instant.parse("2026-11-23T09:00:00Z");
    static final String ADDRESS = "whatsapp:+34600000009";
    static final String ID = new ConversationIds(new byte[32]).of(Channel.WHATSAPP, ADDRESS);

    TestStore store = TestStore.start();
    MutableClock clock = new MutableClock(OPEN);
    ConversationStore conversations = new ConversationStore(store.template());
    ConversationEvents events = new ConversationEvents(store.template(), new org.civicbot.bot.live.LiveFeed(clock));
    static final FlowBundle FLOWS = Flows.load(Flows.defaults());
    CitizenNotices notices = new CitizenNotices(store.template(), conversations, events,
            new Outbox(store.template(), clock, places -> {}), () -> FLOWS,
            new OutboundPolicy(OutboundPolicy.Templates.none()), clock);
    QueuePolicy policy = new QueuePolicy(OfficeHours.parse("MON-FRI 09:00-14:00", ZoneId.of("Europe/Madrid")),
            Duration.ofMinutes(10));
    QueueWatch watch = new QueueWatch(store.template(), notices, policy, clock);

    @AfterEach
    void close() {
        store.close();
    }

    void waiting(ConversationStatus status) {
        store.conversation(ID, Channel.WHATSAPP, ADDRESS, "Núria", OPEN);
        store.template().updateFirst(query(where("_id").is(ID)), new Update().set("status", status)
                .set("awaitingSince", OPEN), Conversation.class).block();
    }

    List<OutboxEntry> outbox() {
        return store.template().find(query(where("conversationId").is(ID)), OutboxEntry.class).collectList().block();
    }

    @Test
    void tellsACitizenWhoWaitedTooLongOnceThatTheyAreStillInTheQueue() {
        waiting(ConversationStatus.AWAITING_AGENT);

        clock.advance(Duration.ofMinutes(9));
        assertThat(watch.round().block()).isZero();
        clock.advance(Duration.ofMinutes(2));
        assertThat(watch.round().block()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(20));
        assertThat(watch.round().block()).isZero();

        assertThat(outbox()).singleElement().satisfies(entry -> {
            assertThat(entry.author()).isEqualTo("SYSTEM");
            assertThat(entry.text()).startsWith("Encara no t'ha pogut atendre ningú");
        });
    }

    @Test
    void saysWhenTheOfficeOpensOutsideOfficeHours() {
        waiting(ConversationStatus.AWAITING_AGENT);
        clock.advance(Duration.ofHours(6));   // 16:00 in Madrid, closed

        watch.round().block();

        assertThat(outbox()).singleElement().extracting(OutboxEntry::text).asString()
                .contains("a partir de dimarts a les 09:00");
    }

    @Test
    void saysNothingOnceStaffOwnTheConversation() {
        waiting(ConversationStatus.AGENT);
        clock.advance(Duration.ofHours(1));

        assertThat(watch.round().block()).isZero();
        assertThat(outbox()).isEmpty();
    }

    @Test
    void holdsANoticeForAConversationStaffOwnAndRecordsWhy() {
        waiting(ConversationStatus.AGENT);

        assertThat(notices.send(ID, "incident-closed:INC-2026-000001:2", (texts, language) -> "Tancada").block())
                .isFalse();

        assertThat(outbox()).isEmpty();
        assertThat(events.of(ID).collectList().block()).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo("NOTICE_HELD");
            assertThat(event.text()).isEqualTo("Held (staff own the conversation): Tancada");
        });
        Conversation conversation = store.template().findById(ID, Conversation.class).block();
        assertThat(conversation.heldMessages()).singleElement().satisfies(held -> {
            assertThat(held.text()).isEqualTo("Tancada");
            assertThat(held.release()).isEqualTo(Conversation.Release.BOT_SPEAKS);
        });
        // The same notice again is held once.
        notices.send(ID, "incident-closed:INC-2026-000001:2", (texts, language) -> "Tancada").block();
        assertThat(store.template().findById(ID, Conversation.class).block().heldMessages()).hasSize(1);
    }

    @Test
    void writesTheOutOfHoursNoticeInTheCitizensLanguage() {
        Instant saturday = Instant.parse("2026-11-21T12:00:00Z");
        assertThat(QueueWatch.closedNotice(policy, saturday, FLOWS.commands().notices(), Language.EN)).hasValue(
                "The office is closed right now. Your request stays in the queue and we will answer from Monday at"
                        + " 09:00. To go back to the menu, write MENU.");
        assertThat(QueueWatch.closedNotice(policy, OPEN, FLOWS.commands().notices(), Language.EN)).isEmpty();
    }
}

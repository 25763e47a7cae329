package org.civicbot.bot.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Instant;
import java.util.List;
import org.civicbot.bot.Channel;
import org.civicbot.bot.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.query.Update;

class OutboxTests {

    static final Instant START = Instant.parse("2026-11-30T10:00:00Z");

    final TestStore store = TestStore.start();
    /** What the dispatcher was told: the places' ids. */
    final List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
    final Outbox outbox = new Outbox(store.template(), java.time.Clock.fixed(START, java.time.ZoneOffset.UTC),
            places -> told.add(places.stream().map(QueuedEntry::id).toList().toString()));

    @AfterEach
    void close() {
        store.close();
    }

    static OutboxEntry entry(String id, long seq) {
        return new OutboxEntry(id, "c", Channel.TELEGRAM, "1", "text " + id, List.of(), seq, "BOT", null,
                DeliveryStatus.PENDING, 0, null, null, null, null, START, null, START, null);
    }

    @Test
    void aTurnCarriedOutAgainQueuesOnlyItsRepliesStillUnsent() {
        List<OutboxEntry> replies = List.of(entry("t/0", 1), entry("t/1", 2));
        outbox.enqueue(replies).block();
        assertThat(store.template().count(query(where("conversationId").is("c")), QueuedEntry.class).block()).isEqualTo(2);
        // The first reply is sent and leaves the queue; then another instance carries the same turn out again.
        store.template().updateFirst(query(where("_id").is("t/0")), new Update().set("status", DeliveryStatus.SENT),
                OutboxEntry.class).block();
        store.template().remove(query(where("_id").is("t/0")), QueuedEntry.class).block();

        outbox.enqueue(replies).block();

        assertThat(store.template().findAll(QueuedEntry.class).map(QueuedEntry::id).collectList().block())
                .containsExactly("t/1");
        // The second time, t/1's place was there already: the dispatcher is told of it again, and reads the queue.
        assertThat(told).containsExactly("[t/0, t/1]", "[t/1]");
        assertThat(store.template().findById("t/0", OutboxEntry.class).block().status()).isEqualTo(DeliveryStatus.SENT);
    }

    @Test
    void aTurnWhoseRepliesWereWrittenButNotQueuedIsQueuedWhenCarriedOutAgain() {
        List<OutboxEntry> replies = List.of(entry("u/0", 1));
        store.template().insert(replies.get(0)).block(); // the app stopped between the entry and its place

        outbox.enqueue(replies).block();

        assertThat(store.template().findAll(QueuedEntry.class).map(QueuedEntry::id).collectList().block())
                .containsExactly("u/0");
    }
}

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
        return entry(id, seq, DeliveryStatus.PENDING);
    }

    static OutboxEntry entry(String id, long seq, DeliveryStatus status) {
        return new OutboxEntry(id, "c", Channel.TELEGRAM, "1", "text " + id, List.of(), seq, "BOT", null,
                status, 0, null, status == DeliveryStatus.SENDING ? START : null, null, null, START, null, START, null);
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

    /**
     * At start, with the queue in memory (the embedded store): every unsent entry is queued again from the outbox, and a
     * send the stop interrupted is marked in doubt and taken off, never sent again on its own.
     */
    @Test
    void queuesTheUnsentEntriesAgainAtStartIntoAQueueInMemory() {
        MemoryQueue queue = new MemoryQueue();
        Outbox restarted = new Outbox(store.template(), java.time.Clock.fixed(START, java.time.ZoneOffset.UTC), queue,
                places -> told.add(places.toString()));
        store.template().insertAll(List.of(entry("p/0", 1), entry("s/0", 2, DeliveryStatus.SENDING),
                entry("d/0", 3, DeliveryStatus.SENT))).blockLast();

        assertThat(restarted.queueUnsent().block()).isEqualTo(2);
        assertThat(restarted.interruptedSends().block()).isEqualTo(1);

        assertThat(queue.read(Channel.TELEGRAM, 10).block()).extracting(QueuedEntry::id).containsExactly("p/0");
        assertThat(store.template().findById("s/0", OutboxEntry.class).block().status())
                .isEqualTo(DeliveryStatus.UNKNOWN);
        assertThat(store.template().count(new org.springframework.data.mongodb.core.query.Query(), QueuedEntry.class)
                .block()).isZero();
    }

    /** Sent again by staff: queued anew, in place of the place a send's end may still be taking off. */
    @Test
    void queuesAnEntrySentAgainAnew() {
        MemoryQueue queue = new MemoryQueue();
        Outbox memory = new Outbox(store.template(), java.time.Clock.fixed(START.plusSeconds(60),
                java.time.ZoneOffset.UTC), queue, places -> told.add(places.stream().map(QueuedEntry::id).toList()
                        .toString()));
        store.template().insert(entry("f/0", 1, DeliveryStatus.FAILED)).block();
        QueuedEntry claimed = new QueuedEntry("f/0", "c", Channel.TELEGRAM, 1, START, null, START);
        queue.add(List.of(claimed)).block();

        assertThat(memory.resend("c", "f/0", "anna").block().status()).isEqualTo(DeliveryStatus.PENDING);

        // The send that failed is still ending: it takes off the place it claimed, which is not there any more.
        queue.remove(claimed).block();
        assertThat(queue.read(Channel.TELEGRAM, 10).block()).singleElement()
                .satisfies(place -> assertThat(place.queuedAt()).isEqualTo(START.plusSeconds(60)));
        assertThat(told).containsExactly("[f/0]");
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

package org.civicbot.bot.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.civicbot.bot.Channel;
import org.junit.jupiter.api.Test;

class MemoryQueueTests {

    static final Instant START = Instant.parse("2026-11-30T10:00:00Z");

    final MemoryQueue queue = new MemoryQueue();

    static QueuedEntry place(String id, Channel channel, long seq) {
        return new QueuedEntry(id, id.split("/")[0], channel, seq, START, null);
    }

    List<String> read(Channel channel, int limit) {
        return queue.read(channel, limit).block().stream().map(QueuedEntry::id).toList();
    }

    @Test
    void readsAChannelsPlacesInConversationOrderUpToTheLimit() {
        queue.add(List.of(place("b/1", Channel.WHATSAPP, 2_001), place("a/0", Channel.WHATSAPP, 1_001),
                place("t/0", Channel.TELEGRAM, 1), place("c/0", Channel.WHATSAPP, 1_001))).block();

        assertThat(read(Channel.WHATSAPP, 10)).containsExactly("a/0", "c/0", "b/1");
        assertThat(read(Channel.WHATSAPP, 2)).containsExactly("a/0", "c/0");
        assertThat(read(Channel.TELEGRAM, 10)).containsExactly("t/0");
        assertThat(queue.size()).isEqualTo(4);
    }

    @Test
    void keepsAPlaceAddedTwiceOnceAsFirstAdded() {
        assertThat(queue.add(List.of(place("a/0", Channel.WHATSAPP, 1))).block()).containsExactly(true);
        QueuedEntry again = new QueuedEntry("a/0", "a", Channel.WHATSAPP, 1, START, START.plusSeconds(60));

        assertThat(queue.add(List.of(again, place("a/1", Channel.WHATSAPP, 2))).block()).containsExactly(false, true);

        assertThat(queue.read(Channel.WHATSAPP, 10).block().get(0).nextAttemptAt()).isNull();
        assertThat(read(Channel.WHATSAPP, 10)).containsExactly("a/0", "a/1");
    }

    @Test
    void movesARetryingPlaceInTimeNotInOrder() {
        queue.add(List.of(place("a/0", Channel.WHATSAPP, 1), place("a/1", Channel.WHATSAPP, 2))).block();

        queue.retryAt("a/0", START.plusSeconds(30), START).then(queue.retryAt("gone/0", START, START)).block();

        List<QueuedEntry> read = queue.read(Channel.WHATSAPP, 10).block();
        assertThat(read).extracting(QueuedEntry::id).containsExactly("a/0", "a/1");
        assertThat(read.get(0).nextAttemptAt()).isEqualTo(START.plusSeconds(30));
    }

    /** A retry recorded late (its claim at START) never moves the time a later claim's retry set. */
    @Test
    void keepsTheTimeALaterClaimsRetrySet() {
        queue.add(List.of(new QueuedEntry("a/0", "a", Channel.WHATSAPP, 1, START, START.plusSeconds(60), START)))
                .block();

        queue.retryAt("a/0", START.plusSeconds(2), START).block();

        assertThat(queue.read(Channel.WHATSAPP, 10).block().get(0).nextAttemptAt()).isEqualTo(START.plusSeconds(60));
    }

    @Test
    void removesAPlaceOnce() {
        QueuedEntry first = place("a/0", Channel.WHATSAPP, 1);
        queue.add(List.of(first, place("a/1", Channel.WHATSAPP, 2))).block();

        queue.remove(first).then(queue.remove(first)).then(queue.drop("gone/0")).block();

        assertThat(read(Channel.WHATSAPP, 10)).containsExactly("a/1");
        assertThat(queue.size()).isEqualTo(1);
    }

    /** A send's end takes off the place it claimed, not one queued anew since (staff sent the entry again). */
    @Test
    void keepsAPlaceQueuedAgainSinceTheOneTakenOff() {
        QueuedEntry claimed = new QueuedEntry("a/0", "a", Channel.WHATSAPP, 1, START, null, START.plusSeconds(9));
        queue.add(List.of(claimed)).block();
        queue.requeue(new QueuedEntry("a/0", "a", Channel.WHATSAPP, 1, START, null, START.plusSeconds(5))).block();

        queue.remove(claimed).block();
        assertThat(read(Channel.WHATSAPP, 10)).containsExactly("a/0");

        queue.drop("a/0").block();
        assertThat(queue.size()).isZero();
        assertThat(read(Channel.WHATSAPP, 10)).isEmpty();
    }
}

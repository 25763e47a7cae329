package org.civicbot.bot.outbox;

import java.time.Instant;
import org.civicbot.bot.Channel;
import org.springframework.data.annotation.Id;

/**
 * An outbox entry's place in the {@link SendQueue}: what the dispatcher reads every round, so that its reads follow
 * what is pending and not the whole history. The entry itself (collection {@code outbox}) stays the truth about its
 * state: a place whose entry is already sent is simply dropped, so queuing one twice never sends it twice.
 *
 * @param id the outbox entry's id
 * @param seq its order within the conversation
 * @param nextAttemptAt when it may be tried (again); null: now
 * @param queuedAt when the place was queued, to the millisecond (null: by a version that did not say): a send's end
 *     takes off the place it claimed, so found by this time, never one staff queued again meanwhile
 */
@org.springframework.data.mongodb.core.mapping.Document("outbox_queue")
public record QueuedEntry(@Id String id, String conversationId, Channel channel, long seq, Instant createdAt,
        Instant nextAttemptAt, Instant queuedAt) {

    /** A place of unknown age (as an earlier version wrote them). */
    public QueuedEntry(String id, String conversationId, Channel channel, long seq, Instant createdAt,
            Instant nextAttemptAt) {
        this(id, conversationId, channel, seq, createdAt, nextAttemptAt, null);
    }

    /** The entry's place, queued at {@code now} (kept to the millisecond, as the store keeps times). */
    static QueuedEntry of(OutboxEntry entry, Instant now) {
        return new QueuedEntry(entry.id(), entry.conversationId(), entry.channel(), entry.seq(), entry.createdAt(),
                entry.nextAttemptAt(), now.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    }
}

package org.civicbot.bot.outbox;

import java.time.Instant;
import org.civicbot.bot.Channel;
import org.springframework.data.annotation.Id;

/**
 * An outbox entry that is still to be sent, in the small collection the dispatcher reads every round, so
 * that its reads follow what is pending and not the whole history. The entry itself (collection
 * {@code outbox}) stays the truth about its state: a queued entry whose send is already recorded is
 * simply dropped, so queuing one twice never sends it twice.
 *
 * @param id the outbox entry's id
 * @param seq its order within the conversation
 * @param nextAttemptAt when it may be tried (again); null: now
 */
@org.springframework.data.mongodb.core.mapping.Document("outbox_queue")
public record QueuedEntry(@Id String id, String conversationId, Channel channel, long seq, Instant createdAt,
        Instant nextAttemptAt) {

    static QueuedEntry of(OutboxEntry entry) {
        return new QueuedEntry(entry.id(), entry.conversationId(), entry.channel(), entry.seq(), entry.createdAt(),
                entry.nextAttemptAt());
    }
}

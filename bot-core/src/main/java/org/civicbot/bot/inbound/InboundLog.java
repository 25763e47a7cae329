package org.civicbot.bot.inbound;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Clock;
import java.time.Instant;
import org.bson.Document;
import org.civicbot.bot.BulkWrites;
import org.civicbot.bot.Channel;
import org.civicbot.bot.PathMetrics;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.conversation.ConversationIds;
import org.civicbot.bot.conversation.ConversationStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.publisher.Mono;

/**
 * The durable log of what providers delivered: one insert per message, refused by the unique id when the
 * provider delivers it again. Once stored, the message is queued on its conversation (whose inbox is the
 * arrival order) and the conversation's lane is told there is work. A redelivery of a message still
 * waiting queues and signals it again, so a lane that stalled is driven by the provider's own retry.
 *
 * <p>Where the provider waits for the queuing depends on who else receives messages. When instances share the
 * store, a conversation's next message may reach another instance as soon as this one answered, so the message
 * is queued before the answer: the inbox is then the order across instances. When this process is the sole
 * receiver (the embedded store), the order is kept in memory instead: the stored message goes to its
 * conversation's lane at once, in arrival order, the provider is answered after the insert alone, and the lane
 * queues it before its turn. A crash in between leaves it stored and unqueued, which the start-up sweep queues.
 */
public class InboundLog implements Intake {

    private static final Logger log = LoggerFactory.getLogger(InboundLog.class);
    static final String SET_ASIDE = "set_aside_updates";

    private final ReactiveMongoTemplate mongo;
    private final ConversationStore conversations;
    private final Clock clock;
    private final WorkSignal signal;
    private final PathMetrics metrics;
    private final ConversationIds ids;
    private final boolean soleReceiver;
    /** Deliveries arriving together are stored in one command. */
    private final BulkWrites inserts;

    /** Told the id of a conversation that has a new message to process. */
    public interface WorkSignal {
        void arrived(String conversationId);

        /**
         * A message this process stored and queued, as stored, and its conversation as queuing left it: its turn
         * need read neither back.
         */
        void arrived(InboundRecord record, Conversation queuedOn);

        /**
         * A stored message not queued yet, for its lane to queue before its turn, after those it was told of
         * before. It is then queued, in this order, before its turn.
         *
         * @param fresh whether {@code record} was just inserted, so still as stored, and its turn need not read it
         */
        void stored(InboundRecord record, boolean fresh);
    }

    /**
     * @param soleReceiver whether this process is the only one receiving messages (the embedded store), so that a
     *     conversation's order can be kept in memory and its queuing done after the provider is answered
     */
    public InboundLog(ReactiveMongoTemplate mongo, ConversationStore conversations, ConversationIds ids, Clock clock,
            WorkSignal signal, PathMetrics metrics, boolean soleReceiver) {
        this.ids = ids;
        this.soleReceiver = soleReceiver;
        this.inserts = new BulkWrites(mongo, InboundRecord.class);
        this.metrics = metrics;
        this.mongo = mongo;
        this.conversations = conversations;
        this.clock = clock;
        this.signal = signal;
    }

    /** Whether this process is the only one receiving messages, and keeps their order in memory. */
    public boolean soleReceiver() {
        return soleReceiver;
    }

    @Override
    public Mono<Receipt> receive(InboundMessage message) {
        String conversationId = ids.of(message.channel(), message.address());
        InboundRecord record = new InboundRecord(InboundRecord.idOf(message.channel(), message.providerId()),
                message.channel(), message.providerId(), conversationId, message.address(), message.displayName(),
                InboundContentCodec.write(message.content()), 0L, InboundRecord.Status.RECEIVED,
                message.receivedAt(), null, 0, null, null, message.language());
        return inserts.insert(record).flatMap(written -> written
                ? queue(record, true).doOnSuccess(done -> metrics.accepted(message.channel()))
                        .thenReturn(Receipt.ACCEPTED)
                : mongo.findById(record.id(), InboundRecord.class)
                        .filter(stored -> stored.status() == InboundRecord.Status.RECEIVED)
                        .flatMap(this::queue)
                        .doOnSuccess(done -> metrics.duplicate(message.channel()))
                        .thenReturn(Receipt.DUPLICATE));
    }

    /**
     * Queues a stored message on its conversation and wakes the conversation's lane. Queuing a message again (a
     * redelivery, the sweeper) may put one back whose turn was taken meanwhile; its lane reads it and drops it. When
     * this process is the sole receiver, the message goes to its lane, which queues it after what it holds already:
     * every queuing of a conversation then goes through its lane, in its order.
     */
    public Mono<Void> queue(InboundRecord record) {
        return queue(record, false);
    }

    /**
     * @param fresh whether {@code record} was just inserted, so still as stored: only then is it handed to the lane
     *     with the conversation as queuing left it, for its turn to read neither back. Any other copy may be older than
     *     the message's turn, and the lane must read it.
     */
    private Mono<Void> queue(InboundRecord record, boolean fresh) {
        if (soleReceiver) {
            return Mono.fromRunnable(() -> signal.stored(record, fresh));
        }
        return conversations.queue(record.conversationId(), record.channel(), record.address(), record.displayName(),
                        record.id(), clock.instant())
                .doOnNext(conversation -> {
                    if (fresh) {
                        signal.arrived(record, conversation);
                    } else {
                        signal.arrived(record.conversationId());
                    }
                })
                .then();
    }

    /**
     * Puts a message that failed repeatedly back in its conversation's queue, for staff who fixed what
     * made it fail; empty when it did not fail. Its turn comes after what is queued already.
     */
    public Mono<InboundRecord> retry(String conversationId, String inboundId) {
        return mongo.findAndModify(query(where("_id").is(inboundId).and("conversationId").is(conversationId)
                                .and("status").is(InboundRecord.Status.FAILED)),
                        new Update().set("status", InboundRecord.Status.RECEIVED).set("attempts", 0).unset("note"),
                        FindAndModifyOptions.options().returnNew(true), InboundRecord.class)
                .flatMap(record -> queue(record).thenReturn(record));
    }

    @Override
    public Mono<Void> setAside(Channel channel, String providerId, String reason, String rawBody) {
        Document doc = new Document("_id", channel.name() + ":" + providerId).append("channel", channel.name())
                .append("reason", reason).append("body", rawBody).append("at", Instant.now(clock));
        log.warn("Set aside a {} update {}: {}", channel, providerId, reason);
        return mongo.insert(doc, SET_ASIDE).then()
                .onErrorResume(DuplicateKeyException.class, e -> Mono.empty());
    }
}

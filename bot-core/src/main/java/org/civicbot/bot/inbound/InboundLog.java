package org.civicbot.bot.inbound;

import java.time.Clock;
import java.time.Instant;
import org.bson.Document;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.ConversationIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import reactor.core.publisher.Mono;

/**
 * The durable log of what providers delivered: one insert per message, refused by the unique id when the
 * provider delivers it again. Once stored, the conversation's lane is told there is work.
 */
public class InboundLog implements Intake {

    private static final Logger log = LoggerFactory.getLogger(InboundLog.class);
    static final String SET_ASIDE = "set_aside_updates";

    private final ReactiveMongoTemplate mongo;
    private final Sequencer sequencer;
    private final Clock clock;
    private final WorkSignal signal;

    /** Told the id of a conversation that has a new message to process. */
    public interface WorkSignal {
        void arrived(String conversationId);
    }

    public InboundLog(ReactiveMongoTemplate mongo, Sequencer sequencer, Clock clock, WorkSignal signal) {
        this.mongo = mongo;
        this.sequencer = sequencer;
        this.clock = clock;
        this.signal = signal;
    }

    @Override
    public Mono<Receipt> receive(InboundMessage message) {
        String conversationId = ConversationIds.of(message.channel(), message.address());
        InboundRecord record = new InboundRecord(InboundRecord.idOf(message.channel(), message.providerId()),
                message.channel(), message.providerId(), conversationId, message.address(), message.displayName(),
                InboundContentCodec.write(message.content()), sequencer.next(), InboundRecord.Status.RECEIVED,
                message.receivedAt(), null, 0, null, null);
        return mongo.insert(record)
                .map(saved -> {
                    signal.arrived(conversationId);
                    return Receipt.ACCEPTED;
                })
                .onErrorResume(DuplicateKeyException.class, e -> {
                    log.debug("Duplicate delivery {} ignored", record.id());
                    return Mono.just(Receipt.DUPLICATE);
                });
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

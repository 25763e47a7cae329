package org.civicbot.bot.inbound;

import java.time.Instant;
import java.util.List;
import org.bson.Document;
import org.civicbot.bot.Channel;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;

/**
 * A stored inbound message. The id is {@code CHANNEL:providerId}, so MongoDB's unique id index refuses a
 * second copy of the same delivery.
 *
 * @param seq arrival order; a conversation's messages are processed by ascending seq
 * @param attempts how many times processing it failed
 * @param photoIds the photos it brought, once fetched and stored
 * @param language the language the citizen's app is set to, when the channel says ({@code es}); a first
 *     conversation starts in it
 */
@org.springframework.data.mongodb.core.mapping.Document("inbound_messages")
public record InboundRecord(@Id String id, Channel channel, String providerId, String conversationId,
        String address, String displayName, Document content, long seq, Status status, Instant receivedAt,
        Instant processedAt, int attempts, String note, List<String> photoIds, String language) {

    @PersistenceCreator
    public InboundRecord {}

    public InboundRecord(String id, Channel channel, String providerId, String conversationId, String address,
            String displayName, Document content, long seq, Status status, Instant receivedAt, Instant processedAt,
            int attempts, String note, List<String> photoIds) {
        this(id, channel, providerId, conversationId, address, displayName, content, seq, status, receivedAt,
                processedAt, attempts, note, photoIds, null);
    }

    /** RECEIVED until its turn is applied; FAILED when processing failed repeatedly (kept for staff). */
    public enum Status { RECEIVED, PROCESSED, FAILED }

    public static String idOf(Channel channel, String providerId) {
        return channel.name() + ":" + providerId;
    }

    public InboundContent decodedContent() {
        return InboundContentCodec.read(content);
    }
}

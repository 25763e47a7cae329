package org.civicbot.bot.conversation;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Instant;
import java.util.List;
import org.civicbot.bot.Channel;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.publisher.Mono;

/**
 * Conversations in MongoDB. Every change is one atomic, version-checked update: it applies only to the
 * version it was computed from, and says so when someone else changed the conversation first.
 */
public class ConversationStore {

    private final ReactiveMongoTemplate mongo;

    public ConversationStore(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    public Mono<Conversation> find(String id) {
        return mongo.findById(id, Conversation.class);
    }

    /**
     * Queues a stored inbound message at the end of its conversation's inbox, creating the conversation
     * (status BOT) on the contact's first message; the conversation as it is then, for the message's turn to start
     * from without reading it again. Queuing the same message again changes nothing, so a redelivery can safely
     * queue it once more. The version does not move: a turn being saved meanwhile is not disturbed.
     */
    public Mono<Conversation> queue(String id, Channel channel, String address, String displayName, String inboundId,
            Instant now) {
        return queue(id, channel, address, displayName, List.of(inboundId), now);
    }

    /** Queues several stored messages of one conversation, in this order, in one command; as {@link #queue}. */
    public Mono<Conversation> queue(String id, Channel channel, String address, String displayName,
            List<String> inboundIds, Instant now) {
        Update update = new Update()
                .setOnInsert("channel", channel)
                .setOnInsert("address", address)
                .setOnInsert("contact", new Contact(displayName))
                .setOnInsert("status", ConversationStatus.BOT)
                .setOnInsert("version", 0L)
                .setOnInsert("createdAt", now)
                .set("inboxAt", now);
        update.addToSet("inbox").each(inboundIds.toArray());
        FindAndModifyOptions upsert = FindAndModifyOptions.options().upsert(true).returnNew(true);
        return mongo.findAndModify(query(where("_id").is(id)), update, upsert, Conversation.class)
                // Two first messages at once: one upsert creates it, the other's retry finds it.
                .onErrorResume(DuplicateKeyException.class,
                        e -> mongo.findAndModify(query(where("_id").is(id)), update, upsert, Conversation.class));
    }

    /** Takes a message off the inbox without a turn: it was set aside, or its turn was taken already. */
    public Mono<Void> unqueue(String id, String inboundId) {
        return mongo.updateFirst(query(where("_id").is(id)), new Update().pull("inbox", inboundId), Conversation.class)
                .then();
    }

    /**
     * A number later than every turn saved before in this conversation (by any instance): the version,
     * moved on. Platform notices take it to be ordered after what came before them.
     */
    public Mono<Long> nextOrder(String id) {
        return mongo.findAndModify(query(where("_id").is(id)), new Update().inc("version", 1L),
                        FindAndModifyOptions.options().returnNew(true), Conversation.class)
                .map(Conversation::version);
    }

    /**
     * Applies {@code changes} if the conversation is still at {@code expected}'s version, and moves the
     * version on; empty if it was changed meanwhile.
     */
    public Mono<Conversation> update(Conversation expected, Update changes) {
        changes.inc("version", 1L);
        return mongo.findAndModify(query(where("_id").is(expected.id()).and("version").is(expected.version())),
                changes, FindAndModifyOptions.options().returnNew(true), Conversation.class);
    }
}

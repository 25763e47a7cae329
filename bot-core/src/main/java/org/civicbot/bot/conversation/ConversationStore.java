package org.civicbot.bot.conversation;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Instant;
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

    /** The conversation, created in status BOT on the contact's first message. */
    public Mono<Conversation> findOrCreate(String id, Channel channel, String address, String displayName,
            Instant now) {
        Update create = new Update()
                .setOnInsert("channel", channel)
                .setOnInsert("address", address)
                .setOnInsert("contact", new Contact(displayName))
                .setOnInsert("status", ConversationStatus.BOT)
                .setOnInsert("version", 0L)
                .setOnInsert("lastInboundSeq", 0L)
                .setOnInsert("createdAt", now);
        return mongo.findAndModify(query(where("_id").is(id)), create,
                        FindAndModifyOptions.options().upsert(true).returnNew(true), Conversation.class)
                // Two first messages at once: one upsert wins, the other finds its document.
                .onErrorResume(DuplicateKeyException.class, e -> find(id));
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

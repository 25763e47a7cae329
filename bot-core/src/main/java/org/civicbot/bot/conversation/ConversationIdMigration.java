package org.civicbot.bot.conversation;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.util.List;
import org.bson.Document;
import org.civicbot.bot.Channel;
import org.civicbot.bot.announcement.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Moves conversations kept under the old, unkeyed ids ({@link ConversationIds#legacy}) to their keyed ids, with
 * everything that names them: messages, replies, events, incidents (reported, joined, followed), subscriptions,
 * appointments and satisfaction answers. It runs at start, before any message is taken in.
 *
 * <p>No transactions: a conversation is copied under its new id first, then every reference is moved, and the old
 * conversation is removed last. A crash anywhere leaves the old one in place, so the next start does it again; each
 * step is idempotent (the copy is refused as a duplicate, a moved reference no longer matches).
 */
public class ConversationIdMigration {

    private static final Logger log = LoggerFactory.getLogger(ConversationIdMigration.class);
    /** Collections whose documents name a conversation in {@code conversationId}. */
    static final List<String> REFERENCES = List.of("inbound_messages", "outbox", "outbox_queue",
            "conversation_events", "incidents", "appointments");

    private final ReactiveMongoTemplate mongo;
    private final ConversationIds ids;

    public ConversationIdMigration(ReactiveMongoTemplate mongo, ConversationIds ids) {
        this.mongo = mongo;
        this.ids = ids;
    }

    /** Migrates every conversation still under an old id; how many. */
    public Mono<Long> run() {
        java.util.concurrent.atomic.AtomicLong moved = new java.util.concurrent.atomic.AtomicLong();
        org.springframework.data.mongodb.core.query.Query all = new org.springframework.data.mongodb.core.query.Query();
        all.fields().include("channel").include("address");
        // The old ids first, read whole before anything moves: the collection changes under a cursor otherwise.
        return mongo.find(all, Document.class, "conversations")
                .filter(this::legacy)
                .map(conversation -> conversation.get("_id"))
                .collectList()
                .flatMapMany(Flux::fromIterable)
                .concatMap(id -> mongo.findById(id, Document.class, "conversations"))
                .concatMap(conversation -> migrate(conversation).thenReturn(1))
                .doOnNext(one -> {
                    if (moved.incrementAndGet() % 1_000 == 0) {
                        log.info("Moving conversations to keyed ids: {} so far", moved.get());
                    }
                })
                .count()
                .doOnNext(n -> {
                    if (n > 0) {
                        log.info("Moved {} conversations to keyed ids", n);
                    }
                });
    }

    private boolean legacy(Document conversation) {
        String channel = conversation.getString("channel");
        String address = conversation.getString("address");
        return channel != null && address != null
                && ConversationIds.legacy(Channel.valueOf(channel), address).equals(conversation.get("_id"));
    }

    private Mono<Void> migrate(Document conversation) {
        String from = (String) conversation.get("_id");
        String to = ids.of(Channel.valueOf(conversation.getString("channel")), conversation.getString("address"));
        Document copy = new Document(conversation);
        copy.put("_id", to);
        Mono<Void> copied = mongo.insert(copy, "conversations").then()
                .onErrorResume(DuplicateKeyException.class, e -> merged(copy));
        // Subscriptions and answers have ids made from the conversation's: they are copied under new ids.
        Mono<Void> references = rekey("subscriptions", from, to,
                        doc -> Subscription.idOf(to, doc.getString("topic"), doc.getString("area")))
                .then(rekey(Satisfaction.COLLECTION, from, to, doc -> doc.getString("about") + "|" + to))
                .thenMany(Flux.fromIterable(REFERENCES))
                .concatMap(collection -> mongo.updateMulti(query(where("conversationId").is(from)),
                        new Update().set("conversationId", to), collection))
                .then(mongo.updateMulti(query(where("reporters").is(from)), new Update().addToSet("reporters", to),
                        "incidents"))
                .then(mongo.updateMulti(query(where("reporters").is(from)), new Update().pull("reporters", from),
                        "incidents"))
                .then(mongo.updateMulti(query(where("followers").is(from)), new Update().addToSet("followers", to),
                        "incidents"))
                .then(mongo.updateMulti(query(where("followers").is(from)), new Update().pull("followers", from),
                        "incidents"))
                // A merge remembers whom it added to the other incident's followers, to take them off if undone.
                .then(mongo.updateMulti(query(where("merge.added").is(from)), new Update().addToSet("merge.added", to),
                        "incidents"))
                .then(mongo.updateMulti(query(where("merge.added").is(from)), new Update().pull("merge.added", from),
                        "incidents"))
                .then();
        return copied.then(references)
                .then(mongo.remove(query(where("_id").is(from)), "conversations"))
                .then();
    }

    /**
     * The copy met a conversation already under the new id: copied before a crash (the same), or made by a message
     * taken in under the new id before the move (another instance already on keyed ids). The old conversation wins
     * when the new one has had no turn yet (its session, status and what was held carry on), with both inboxes.
     */
    private Mono<Void> merged(Document copy) {
        return mongo.findById(copy.get("_id"), Document.class, "conversations").flatMap(existing -> {
            boolean fresh = existing.get("session") == null && existing.get("pendingTurn") == null;
            if (!fresh || existing.equals(copy)) {
                return Mono.empty();
            }
            java.util.LinkedHashSet<Object> inbox = new java.util.LinkedHashSet<>(copy.getList("inbox", Object.class,
                    List.of()));
            inbox.addAll(existing.getList("inbox", Object.class, List.of()));
            Document merged = new Document(copy).append("inbox", List.copyOf(inbox));
            return mongo.save(merged, "conversations").then();
        });
    }

    /** Documents whose own id is made from the conversation's: copied under the new id, then the old removed. */
    private Mono<Void> rekey(String collection, String from, String to,
            java.util.function.Function<Document, String> newId) {
        return mongo.find(query(where("conversationId").is(from)), Document.class, collection)
                .concatMap(doc -> {
                    Object oldId = doc.get("_id");
                    Document copy = new Document(doc);
                    copy.put("_id", newId.apply(doc));
                    copy.put("conversationId", to);
                    return mongo.insert(copy, collection).then()
                            .onErrorResume(DuplicateKeyException.class, e -> Mono.empty())
                            .then(mongo.remove(query(where("_id").is(oldId)), collection)).then();
                })
                .then();
    }
}

package org.civicbot.bot.live;

import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.client.model.changestream.FullDocument;
import com.mongodb.reactivestreams.client.ChangeStreamPublisher;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;
import reactor.util.retry.Retry;

/**
 * Every instance's changes on this instance's live feed: follows the store's change streams on the
 * collections the message path and staff write anyway (it writes nothing of its own), and tells each
 * change screens care about as a {@link LiveFeed.ConversationChanged}. Needs a store that serves change
 * streams: a MongoDB replica set or sharded cluster (or mongo-java-server with its oplog on).
 *
 * <p>What is followed, and what it is on the feed:
 * <ul>
 *   <li>{@code inbound_messages}, a message marked PROCESSED: MESSAGE_RECEIVED; marked FAILED: MESSAGE_FAILED
 *   <li>{@code outbox}, an entry written (a reply, a staff message, a notice): MESSAGE_QUEUED
 *   <li>{@code conversation_events}, an event recorded: its type (TAKEN_OVER, RELEASED, HANDOFF_REQUESTED...)
 *   <li>{@code device_notices}, a notice kept: DEVICE_NOTICE, for {@code device:<asset>}
 * </ul>
 * A stream that fails is followed again from the last change it told (or from now, when the store cannot
 * resume there); meanwhile this instance's own changes are told by the feed directly.
 */
public class StoreChanges {

    private static final Logger log = LoggerFactory.getLogger(StoreChanges.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofSeconds(30);
    /** Below the pages' delay between the last change they are told and their reload (300 ms). */
    static final Duration FOLDED_WITHIN = Duration.ofMillis(100);

    /** The collections followed (the names their documents are mapped to; {@code StoreChangesTests} checks them). */
    static final String INBOUND = "inbound_messages";
    static final String OUTBOX = "outbox";
    static final String EVENTS = "conversation_events";
    static final String NOTICES = "device_notices";

    /** How the feed is fed: {@code civicbot.live.change-streams}. */
    public enum Mode {
        /** Follow the change streams when the store says it is a replica set or a sharded cluster. */
        AUTO,
        /** Follow them whatever the store says (mongo-java-server with its oplog on says nothing). */
        ON,
        /** This instance's own changes only. */
        OFF;

        public static Mode of(String value) {
            for (Mode mode : values()) {
                if (mode.name().equalsIgnoreCase(value == null ? "" : value.strip())) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("civicbot.live.change-streams must be auto, on or off, not '" + value
                    + "'");
        }
    }

    /** A collection followed: which of its changes matter, and what each is on the feed. */
    private record Followed(String collection, Bson filter, boolean lookUp, Set<String> brings,
            Function<Document, Optional<Change>> change) {}

    private record Change(String conversationId, String what) {}

    private static final List<Followed> FOLLOWED = List.of(
            // An update names no conversation: the document as it is now (MongoDB looks it up) does.
            new Followed(INBOUND, Filters.and(Filters.in("operationType", "update", "replace"),
                    Filters.in("fullDocument.status", "PROCESSED", "FAILED")), true,
                    Set.of("MESSAGE_RECEIVED", "MESSAGE_FAILED"),
                    doc -> conversation(doc, "FAILED".equals(doc.getString("status")) ? "MESSAGE_FAILED"
                            : "MESSAGE_RECEIVED")),
            new Followed(OUTBOX, inserts(), false, Set.of("MESSAGE_QUEUED"),
                    doc -> conversation(doc, "MESSAGE_QUEUED")),
            // Recorded events are also told at once where they happen (their kinds are open-ended): a screen
            // there may refresh twice for one, which the pages' short delay folds into one reload.
            new Followed(EVENTS, inserts(), false, Set.of(), doc -> conversation(doc, doc.getString("type"))),
            new Followed(NOTICES, inserts(), false, Set.of("DEVICE_NOTICE"),
                    doc -> Optional.ofNullable(doc.getString("asset")).map(asset -> new Change("device:" + asset,
                            "DEVICE_NOTICE"))));

    private final ReactiveMongoTemplate mongo;
    private final LiveFeed feed;
    private volatile Disposable following;

    public StoreChanges(ReactiveMongoTemplate mongo, LiveFeed feed) {
        this.mongo = mongo;
        this.feed = feed;
    }

    /**
     * Whether the store serves change streams, as far as it says: a replica set member names its set, a
     * mongos says {@code isdbgrid}. A store that does not know {@code hello} (mongo-java-server) does not.
     */
    public Mono<Boolean> storeServesChangeStreams() {
        return mongo.executeCommand(new Document("hello", 1))
                .map(hello -> hello.get("setName") != null || "isdbgrid".equals(hello.get("msg")))
                .onErrorResume(e -> Mono.just(false));
    }

    /** Starts following the store's change streams, until {@link #stop()}. */
    public synchronized void start() {
        if (following == null) {
            following = Flux.merge(FOLLOWED.stream().map(this::follow).toList())
                    .subscribe(change -> feed.observed(change.conversationId(), change.what()));
        }
    }

    public synchronized void stop() {
        if (following != null) {
            following.dispose();
            following = null;
            FOLLOWED.forEach(followed -> feed.following(followed.brings(), false));
        }
    }

    private Flux<Change> follow(Followed followed) {
        AtomicReference<BsonDocument> resumeToken = new AtomicReference<>();
        LastTold told = new LastTold();
        return Flux.defer(() -> {
                    BsonDocument from = resumeToken.get();
                    return mongo.getCollection(followed.collection())
                            .flatMapMany(collection -> {
                                ChangeStreamPublisher<Document> stream = collection.watch(
                                        List.of(Aggregates.match(followed.filter())));
                                if (followed.lookUp()) {
                                    stream = stream.fullDocument(FullDocument.UPDATE_LOOKUP);
                                }
                                return from == null ? stream : stream.resumeAfter(from);
                            })
                            .doOnSubscribe(s -> feed.following(followed.brings(), true))
                            .doOnNext(event -> resumeToken.set(event.getResumeToken()))
                            .doOnError(e -> {
                                feed.following(followed.brings(), false);
                                if (!(e instanceof MongoSocketException || e instanceof MongoTimeoutException)) {
                                    // The store refused (its history no longer reaches that far, say): from now.
                                    resumeToken.set(null);
                                }
                                log.warn("The change stream of {} failed ({}); following it again {}",
                                        followed.collection(), e.toString(), resumeToken.get() == null
                                                ? "from now" : "from the last change told");
                            })
                            .doOnComplete(() -> feed.following(followed.brings(), false));
                })
                // A stream ends when its collection is dropped: follow the new one.
                .repeatWhen(ended -> ended.delayElements(FIRST_RETRY))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, FIRST_RETRY).maxBackoff(LAST_RETRY).transientErrors(true))
                .handle((ChangeStreamDocument<Document> event, SynchronousSink<Change> sink) -> {
                    Document doc = event.getFullDocument();
                    if (doc != null) {
                        followed.change().apply(doc).filter(change -> !told.again(change)).ifPresent(sink::next);
                    }
                });
    }

    /**
     * A change just like the one before it on the same stream, within {@link #FOLDED_WITHIN} (a turn's replies,
     * written together), is folded into it: the pages reload a while after the last change they are told, later
     * than that, so telling it would show nothing more.
     */
    private static final class LastTold {

        private Change last;
        private long at;

        synchronized boolean again(Change change) {
            long now = System.nanoTime();
            boolean again = change.equals(last) && now - at < FOLDED_WITHIN.toNanos();
            if (!again) {
                // The window runs from the change told, so a long burst is still told every so often.
                last = change;
                at = now;
            }
            return again;
        }
    }

    private static Bson inserts() {
        return Filters.eq("operationType", "insert");
    }

    private static Optional<Change> conversation(Document doc, String what) {
        String conversationId = doc.getString("conversationId");
        return conversationId == null || what == null ? Optional.empty()
                : Optional.of(new Change(conversationId, what));
    }
}

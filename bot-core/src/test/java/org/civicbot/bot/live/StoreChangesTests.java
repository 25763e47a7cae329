package org.civicbot.bot.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.civicbot.bot.conversation.ConversationEvent;
import org.civicbot.bot.device.MongoDeviceAlerts;
import org.civicbot.bot.inbound.InboundRecord;
import org.civicbot.bot.outbox.OutboxEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.Disposable;

/**
 * The live feed fed by the store's change streams, against mongo-java-server with its oplog on (which serves
 * them as a replica set does): what each followed write is on the feed, what a publish adds, and a stream
 * that loses its cursor following again from the last change it told.
 */
class StoreChangesTests {

    static final Duration PATIENCE = Duration.ofSeconds(20);

    final MemoryBackend backend = new MemoryBackend();
    final List<MongoServer> servers = new ArrayList<>();
    final List<MongoClient> clients = new ArrayList<>();
    final Queue<String> told = new ConcurrentLinkedQueue<>();
    int port;
    ReactiveMongoTemplate mongo;
    LiveFeed feed;
    StoreChanges changes;
    Disposable listening;

    @BeforeEach
    void start() {
        backend.enableOplog();
        port = serve(0);
        mongo = template(port);
        feed = new LiveFeed(Clock.systemUTC());
        listening = feed.changes().subscribe(change -> told.add(change.conversationId() + " " + change.what()));
        changes = new StoreChanges(mongo, feed);
    }

    @AfterEach
    void stop() {
        changes.stop();
        listening.dispose();
        clients.forEach(MongoClient::close);
        servers.forEach(MongoServer::shutdownNow);
    }

    @Test
    void followsTheCollectionsTheDocumentsAreKeptIn() {
        assertThat(mongo.getCollectionName(InboundRecord.class)).isEqualTo(StoreChanges.INBOUND);
        assertThat(mongo.getCollectionName(OutboxEntry.class)).isEqualTo(StoreChanges.OUTBOX);
        assertThat(mongo.getCollectionName(ConversationEvent.class)).isEqualTo(StoreChanges.EVENTS);
        assertThat(MongoDeviceAlerts.NOTICES).isEqualTo(StoreChanges.NOTICES);
    }

    @Test
    void tellsEachChangeScreensCareAboutAsWhatItIs() {
        following();

        insert(StoreChanges.INBOUND, new Document("_id", "TELEGRAM:1").append("conversationId", "c1")
                .append("status", "RECEIVED"));
        mark("TELEGRAM:1", "PROCESSED");
        insert(StoreChanges.INBOUND, new Document("_id", "TELEGRAM:2").append("conversationId", "c1")
                .append("status", "RECEIVED"));
        mark("TELEGRAM:2", "FAILED");
        insert(StoreChanges.OUTBOX, new Document("_id", "t1/0").append("conversationId", "c2").append("status", "PENDING"));
        mongo.updateFirst(query(where("_id").is("t1/0")), new Update().set("status", "SENT"), StoreChanges.OUTBOX)
                .block();
        // A turn's replies, written together, are one change on the feed.
        mongo.insert(List.of(new Document("_id", "t2/0").append("conversationId", "c4").append("status", "PENDING"),
                new Document("_id", "t2/1").append("conversationId", "c4").append("status", "PENDING")),
                StoreChanges.OUTBOX).blockLast();
        insert(StoreChanges.EVENTS, new Document("_id", "taken_over:c3:4").append("conversationId", "c3")
                .append("type", "TAKEN_OVER"));
        insert(StoreChanges.NOTICES, new Document("_id", "n1").append("asset", "bin-7"));

        List<String> expected = List.of("c1 MESSAGE_RECEIVED", "c1 MESSAGE_FAILED", "c2 MESSAGE_QUEUED",
                "c4 MESSAGE_QUEUED", "c3 TAKEN_OVER", "device:bin-7 DEVICE_NOTICE");
        await().atMost(PATIENCE).until(() -> toldNow().containsAll(expected));
        // Told once each, and nothing for a message stored, nor for a reply's delivery.
        assertThat(toldNow()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void publishesAtOnceOnlyWhatTheStoreDoesNotBring() {
        feed.publish("c1", "MESSAGE_QUEUED");
        assertThat(told).containsExactly("c1 MESSAGE_QUEUED");
        told.clear();

        following();
        feed.publish("c1", "MESSAGE_QUEUED");
        feed.publish("c1", "MESSAGE_RECEIVED");
        feed.publish("c1", "TAKEN_OVER");
        assertThat(toldNow()).containsExactly("c1 TAKEN_OVER");

        changes.stop();
        feed.publish("c1", "MESSAGE_QUEUED");
        assertThat(toldNow()).containsExactly("c1 TAKEN_OVER", "c1 MESSAGE_QUEUED");
    }

    @Test
    void followsAgainFromTheLastChangeToldWhenItsCursorIsLost() {
        // The same store on a second port, to write while the one followed is away.
        ReactiveMongoTemplate writer = template(serve(0));
        following();

        servers.get(0).shutdownNow();
        writer.insert(new Document("_id", "during").append("conversationId", "c9").append("type", "RELEASED"),
                StoreChanges.EVENTS).block();
        // The driver's own resume finds no store either: the streams fail, and the feed tells this instance's
        // own changes meanwhile.
        await().atMost(PATIENCE).until(() -> {
            feed.publish("probe-" + UUID.randomUUID(), "MESSAGE_QUEUED");
            return told.stream().anyMatch(line -> line.endsWith("MESSAGE_QUEUED"));
        });
        serve(port);

        await().atMost(PATIENCE).until(() -> toldNow().contains("c9 RELEASED"));
        writer.insert(new Document("_id", "after").append("conversationId", "c9").append("type", "CLOSED"),
                StoreChanges.EVENTS).block();
        await().atMost(PATIENCE).until(() -> toldNow().contains("c9 CLOSED"));
        assertThat(toldNow()).containsExactly("c9 RELEASED", "c9 CLOSED");
    }

    @Test
    void findsNoChangeStreamsOnAStoreThatIsNotAReplicaSet() {
        assertThat(changes.storeServesChangeStreams().block()).isFalse();
    }

    @Test
    void takesItsModeFromTheProperty() {
        assertThat(StoreChanges.Mode.of("auto")).isEqualTo(StoreChanges.Mode.AUTO);
        assertThat(StoreChanges.Mode.of(" ON ")).isEqualTo(StoreChanges.Mode.ON);
        assertThat(StoreChanges.Mode.of("off")).isEqualTo(StoreChanges.Mode.OFF);
        assertThatThrownBy(() -> StoreChanges.Mode.of("yes")).hasMessage(
                "civicbot.live.change-streams must be auto, on or off, not 'yes'");
    }

    /** Starts following, and returns once every stream tells what is written (a stream opens after it is asked for). */
    private void following() {
        changes.start();
        for (String collection : List.of(StoreChanges.INBOUND, StoreChanges.OUTBOX, StoreChanges.EVENTS,
                StoreChanges.NOTICES)) {
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> {
                String id = "probe-" + UUID.randomUUID();
                insert(collection, new Document("_id", id).append("conversationId", id).append("asset", id)
                        .append("type", "PROBE").append("status", "RECEIVED"));
                if (collection.equals(StoreChanges.INBOUND)) {
                    mark(id, "PROCESSED");
                }
                return told.stream().anyMatch(line -> line.contains(id));
            });
        }
        told.clear();
    }

    /** What the feed told since {@link #following()}, without a probe that came late. */
    private List<String> toldNow() {
        return told.stream().filter(line -> !line.contains("probe-")).toList();
    }

    private void insert(String collection, Document document) {
        mongo.insert(document, collection).block();
    }

    private void mark(String inboundId, String status) {
        mongo.updateFirst(query(where("_id").is(inboundId)), new Update().set("status", status), StoreChanges.INBOUND)
                .block();
    }

    private int serve(int port) {
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", port);
        servers.add(server);
        return server.getLocalAddress().getPort();
    }

    private ReactiveMongoTemplate template(int port) {
        MongoClient client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + port))
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(1, TimeUnit.SECONDS))
                .build());
        clients.add(client);
        return new ReactiveMongoTemplate(client, "test");
    }
}

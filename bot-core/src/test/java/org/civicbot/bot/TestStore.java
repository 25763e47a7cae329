package org.civicbot.bot;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import org.civicbot.bot.conversation.ConversationStore;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.SimpleReactiveMongoDatabaseFactory;
import org.springframework.data.mongodb.gridfs.ReactiveGridFsTemplate;

/**
 * A real MongoDB-wire-protocol server in memory on a free local port, reached through the real reactive
 * driver: store tests run against what the app talks to, not against mocks. One per test, so tests share
 * nothing.
 */
public final class TestStore implements AutoCloseable {

    private final MongoServer server;
    private final MongoClient client;
    private final ReactiveMongoTemplate template;
    /** Commands the store refuses next, as MongoDB's {@code failCommand} fail point does in its own tests. */
    private final Queue<FailPoint> failPoints = new ConcurrentLinkedQueue<>();

    /**
     * Refuses the next {@code times} commands that {@code matches} (name, and the command as the server got it),
     * counting those it refused.
     */
    private record FailPoint(BiPredicate<String, Document> matches, AtomicInteger times, AtomicInteger refused,
            boolean applied) {}

    private TestStore(com.mongodb.event.CommandListener listener) {
        server = new MongoServer(new MemoryBackend() {
            @Override
            public Document handleCommand(io.netty.channel.Channel channel, String database, String command,
                    Document query) {
                for (FailPoint point : failPoints) {
                    if (point.matches().test(command, query) && point.times().getAndDecrement() > 0) {
                        if (point.applied()) {
                            super.handleCommand(channel, database, command, query);
                        }
                        point.refused().incrementAndGet();
                        throw new MongoServerError(1, "InternalError", "refused by a test's fail point");
                    }
                }
                return super.handleCommand(channel, database, command, query);
            }
        });
        server.bind("127.0.0.1", 0);
        InetSocketAddress address = server.getLocalAddress();
        com.mongodb.MongoClientSettings.Builder settings = com.mongodb.MongoClientSettings.builder()
                .applyConnectionString(new com.mongodb.ConnectionString(
                        "mongodb://" + address.getHostString() + ":" + address.getPort()));
        if (listener != null) {
            settings.addCommandListener(listener);
        }
        client = MongoClients.create(settings.build());
        template = new ReactiveMongoTemplate(client, "test");
    }

    public static TestStore start() {
        return new TestStore(null);
    }

    /** A store whose client tells {@code listener} of every command it sends. */
    public static TestStore start(com.mongodb.event.CommandListener listener) {
        return new TestStore(listener);
    }

    /**
     * The store refuses the next {@code times} commands named {@code command} whose document {@code matches}, with an
     * error as a store that cannot write answers (a failover, a full disk): every other command is served.
     *
     * @return how many it has refused so far
     */
    public AtomicInteger failNext(String command, int times, Predicate<Document> matches) {
        return failPoint(command, times, matches, false);
    }

    /**
     * The next {@code times} such commands are carried out, but answered with an error, as when the answer is lost or
     * MongoDB reports a write concern error: the client cannot tell it was written.
     */
    public AtomicInteger failAfterNext(String command, int times, Predicate<Document> matches) {
        return failPoint(command, times, matches, true);
    }

    private AtomicInteger failPoint(String command, int times, Predicate<Document> matches, boolean applied) {
        AtomicInteger refused = new AtomicInteger();
        failPoints.add(new FailPoint((name, query) -> name.equals(command) && matches.test(query),
                new AtomicInteger(times), refused, applied));
        return refused;
    }

    public ReactiveMongoTemplate template() {
        return template;
    }

    public ReactiveGridFsTemplate gridFs() {
        return new ReactiveGridFsTemplate(new SimpleReactiveMongoDatabaseFactory(client, "test"),
                template.getConverter());
    }

    /** Stores a new conversation in status BOT, as a contact's first message creates it. */
    public void conversation(String id, Channel channel, String address, String displayName, Instant at) {
        conversations().queue(id, channel, address, displayName, "first", at)
                .then(conversations().unqueue(id, "first")).block();
    }

    private ConversationStore conversations() {
        return new ConversationStore(template);
    }

    @Override
    public void close() {
        client.close();
        server.shutdownNow();
    }
}

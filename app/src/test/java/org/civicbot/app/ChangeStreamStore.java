package org.civicbot.app;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.Cursor;
import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A store several app instances share in a test, as they would share a MongoDB replica set: mongo-java-server in
 * memory with its oplog on, so it serves change streams, on a loopback port of its own.
 *
 * <p>MongoDB holds a change stream's {@code getMore} until something comes (up to a second); mongo-java-server
 * answers at once, so the driver asks again at once, and each asking reads the whole oplog: two instances
 * following four collections each would keep both cores busy. So this store holds it too: until the collection
 * watched is written, and reads the oplog for one change stream at most every {@link #BETWEEN_READS_MS}.
 */
final class ChangeStreamStore {

    static final long BETWEEN_READS_MS = 250;
    static final long LONGEST_HOLD_MS = 1_000;
    /** A held getMore keeps its connection's event-loop thread: enough of them that no other connection shares one. */
    static final int EVENT_LOOPS = 256;

    private ChangeStreamStore() {}

    static MongoServer start() {
        HoldingBackend backend = new HoldingBackend();
        backend.enableOplog();
        MongoServer server = new MongoServer(backend);
        server.bind(new InetSocketAddress("127.0.0.1", 0), 1, EVENT_LOOPS);
        return server;
    }

    /** Memory backend whose change-stream cursors wait for news, as MongoDB's do. */
    static final class HoldingBackend extends MemoryBackend {

        /** Writes to each collection ({@code db.collection}) that reached the oplog. */
        private final Map<String, Long> writes = new ConcurrentHashMap<>();
        private final Object written = new Object();
        /** Change-stream cursors (those that once had nothing to give), and when each last read the oplog. */
        private final Map<Long, Long> lastRead = new ConcurrentHashMap<>();

        @Override
        protected Oplog createOplog() {
            Oplog oplog = super.createOplog();
            return new Oplog() {
                @Override
                public void handleInsert(String namespace, List<Document> documents) {
                    oplog.handleInsert(namespace, documents);
                    wrote(namespace);
                }

                @Override
                public void handleUpdate(String namespace, Document selector, Document query, List<Object> ids) {
                    oplog.handleUpdate(namespace, selector, query, ids);
                    wrote(namespace);
                }

                @Override
                public void handleDelete(String namespace, Document query, List<Object> ids) {
                    oplog.handleDelete(namespace, query, ids);
                    wrote(namespace);
                }

                @Override
                public void handleDropCollection(String namespace) {
                    oplog.handleDropCollection(namespace);
                    wrote(namespace);
                }

                @Override
                public Cursor createCursor(Document changeStream, String namespace, Aggregation aggregation) {
                    return oplog.createCursor(changeStream, namespace, aggregation);
                }
            };
        }

        private void wrote(String namespace) {
            writes.merge(namespace, 1L, Long::sum);
            synchronized (written) {
                written.notifyAll();
            }
        }

        @Override
        protected Document handleGetMore(String databaseName, String command, Document query) {
            long cursorId = ((Number) query.get(command)).longValue();
            String namespace = databaseName + "." + query.get("collection");
            Object maxTime = query.get("maxTimeMS");
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(
                    maxTime instanceof Number n ? n.longValue() : LONGEST_HOLD_MS);
            while (true) {
                long seen = writes.getOrDefault(namespace, 0L);
                paced(cursorId);
                Document reply = super.handleGetMore(databaseName, command, query);
                Document cursor = (Document) reply.get("cursor");
                boolean open = ((Number) cursor.get("id")).longValue() != 0;
                if (!((List<?>) cursor.get("nextBatch")).isEmpty() || !open) {
                    return reply;
                }
                lastRead.putIfAbsent(cursorId, System.nanoTime());
                if (!awaitWrite(namespace, seen, deadline)) {
                    // Nothing written meanwhile: the empty batch still holds.
                    return reply;
                }
            }
        }

        /** A change stream reads the oplog at most every {@link #BETWEEN_READS_MS}. */
        private void paced(long cursorId) {
            Long last = lastRead.get(cursorId);
            if (last != null) {
                long wait = last + TimeUnit.MILLISECONDS.toNanos(BETWEEN_READS_MS) - System.nanoTime();
                if (wait > 0) {
                    sleep(TimeUnit.NANOSECONDS.toMillis(wait) + 1);
                }
                lastRead.put(cursorId, System.nanoTime());
            }
        }

        /** Waits until the collection is written after {@code seen} writes; false when the deadline came first. */
        private boolean awaitWrite(String namespace, long seen, long deadline) {
            synchronized (written) {
                while (writes.getOrDefault(namespace, 0L) == seen) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        return false;
                    }
                    try {
                        written.wait(left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
                return true;
            }
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

package org.civicbot.app;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;
import org.slf4j.LoggerFactory;

/**
 * mongo-java-server's H2 backend with its indexes searched at the speed of a map lookup and its documents stored as
 * BSON.
 * <ul>
 *   <li>Indexes: the backend keeps each index in an H2 map keyed by {@link KeyValue}, a class H2 does not know, so H2
 *       orders those keys by their Java serialization and serializes both sides of every comparison: a lookup by
 *       {@code _id} in a collection of some thousands serialized forty keys, and that was an eighth of the whole
 *       app's CPU on the message path (JFR, #15). The same serialization was redone for every key of a page each
 *       time the page was written. Here each key's serialized form is computed once and remembered while the key
 *       lives; the keys' order and bytes are H2's own.</li>
 *   <li>Documents: see {@link DocumentValues}. Files written before, by this backend or the library's, open as they
 *       were; a file written by this one is not for older versions (they refuse it).</li>
 * </ul>
 */
final class EmbeddedBackend extends H2Backend {

    EmbeddedBackend(MVStore store) {
        super(store);
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return new Database(databaseName, getMvStore(), getCursorRegistry());
    }

    /** Not static: H2Database's constructor opens the indexes, before a field of this class could be set. */
    private final class Database extends H2Database {

        Database(String name, MVStore store, CursorRegistry cursors) {
            super(name, store, cursors);
        }

        @Override
        protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
            // H2Database's maps, under its names: the documents' with their value type.
            String name = getFullCollectionNamespace(collectionName);
            MVMap<Object, Document> documents = getMvStore().openMap(DOCUMENTS + name,
                    new MVMap.Builder<Object, Document>().valueType(DocumentValues.INSTANCE));
            MVMap<String, Object> meta = getMvStore().openMap(META + name);
            return new Collection(this, collectionName, options, documents, meta, cursorRegistry);
        }

        @Override
        protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
                boolean sparse) {
            // H2Database names the map and builds the index; opened first here with the remembering key type, the
            // map is the one it then finds open under that name.
            getMvStore().openMap(getFullCollectionNamespace(collectionName) + "._index_" + indexName,
                    new MVMap.Builder<KeyValue, Object>().keyType(KeyOrder.INSTANCE));
            return super.openOrCreateUniqueIndex(collectionName, indexName, keys, sparse);
        }
    }

    /**
     * {@link ObjectDataType} that reckons what its own kind of object weighs in memory, for H2's page splits and cache:
     * a multiple of the bytes it takes in the file, averaged over those written and read (an exponential moving
     * average, as H2 does for the objects it serializes).
     */
    abstract static class Weighed extends ObjectDataType {

        private final Class<?> kind;
        private final int timesBytes;
        private volatile int averageSize;

        Weighed(Class<?> kind, int timesBytes, int firstGuess) {
            this.kind = kind;
            this.timesBytes = timesBytes;
            this.averageSize = firstGuess;
        }

        @Override
        public int getMemory(Object object) {
            return kind.isInstance(object) ? averageSize : super.getMemory(object);
        }

        /** One of its kind was written or read, taking {@code length} bytes in the file. */
        void weigh(int length) {
            averageSize = (int) (((long) length * timesBytes + 15L * averageSize) / 16);
        }
    }

    /** The prefixes of the names of a collection's maps in H2Database (its private constants). */
    static final String DOCUMENTS = "databases.";
    static final String META = "meta.";

    /**
     * H2Collection handing out copies of the documents its map holds. mongo-java-server applies an update to the
     * document it found, in place, then puts it back; found in the map, that object is also the one an earlier
     * version of the map holds, which H2 may be writing to the file at that moment, in the background. Changed under
     * the writer, a document was written half updated (Java serialization) or broke the write, and H2 then closed the
     * store (BSON, which notices). A copy of the top level is enough: an update builds every value it changes anew.
     */
    private static final class Collection extends H2Collection {

        Collection(MongoDatabase database, String name, CollectionOptions options, MVMap<Object, Document> documents,
                MVMap<String, Object> meta, CursorRegistry cursors) {
            super(database, name, options, documents, meta, cursors);
        }

        @Override
        protected QueryResult matchDocumentsFromStream(Document query, Stream<Document> documents, int skip, int limit,
                int batchSize, Comparator<Document> order, Document fields) {
            // Every query's documents come through here, found by an index or a scan. Matched, then copied (a
            // projection makes its own), then left to the library with nothing more to match.
            Stream<Document> matched = documents.filter(document -> documentMatchesQuery(document, query));
            if (fields == null || fields.isEmpty()) {
                matched = matched.map(Document::clone);
            }
            return super.matchDocumentsFromStream(EVERYTHING, matched, skip, limit, batchSize, order, fields);
        }

        /** A query every document matches. */
        private static final Document EVERYTHING = new Document();
    }

    /**
     * {@link ObjectDataType} that stores a collection's documents as BSON, as they travel on the wire, rather than by
     * Java serialization: half the bytes and a twentieth of the time to write or read one (a conversation of 1,126
     * serialized bytes is 565 in BSON; 52 against 2 microseconds to write, 19 against 2 to read). Documents written
     * by Java serialization (by earlier versions, or the library's own backend) are read as before and rewritten as
     * BSON when they next change. The tag it writes is one H2 has no type for: an older version refuses such a file
     * as corrupt rather than misreading it.
     */
    static final class DocumentValues extends Weighed {

        static final DocumentValues INSTANCE = new DocumentValues();

        /** The tag before a document's BSON: no {@link ObjectDataType} tag (those stop at 119). */
        static final byte BSON = 120;

        /** Past this size a thread's scratch buffer is not kept for the next document. */
        private static final int KEPT_SCRATCH = 1 << 20;

        /** A document weighs four times its BSON: about what H2 reckoned for its Java serialization, twice that. */
        DocumentValues() {
            super(Document.class, 4, 2_000);
        }

        /** Each writing thread's buffer to encode into. */
        private final ThreadLocal<ByteBuf> scratch = ThreadLocal.withInitial(() -> Unpooled.buffer(4_096));

        @Override
        public void write(WriteBuffer buffer, Object object) {
            if (!(object instanceof Document document)) {
                super.write(buffer, object);
                return;
            }
            ByteBuf bson = scratch.get().clear();
            try {
                BsonEncoder.encodeDocument(document, bson);
            } catch (IllegalArgumentException e) {
                // A value BSON has no type for (none the wire brings): kept by Java serialization, as before.
                super.write(buffer, object);
                return;
            } catch (java.util.ConcurrentModificationException e) {
                // Changed while being written: the Collection's copies are there so that it never is. Should it still
                // happen, H2 would close the store on this exception; Java serialization does not notice.
                LoggerFactory.getLogger(EmbeddedBackend.class).error("A stored document changed while it was being "
                        + "written to the file; written by Java serialization instead", e);
                super.write(buffer, object);
                return;
            } finally {
                if (bson.capacity() > KEPT_SCRATCH) {
                    scratch.remove();
                }
            }
            weigh(bson.readableBytes());
            buffer.put(BSON).put(bson.nioBuffer());
        }

        @Override
        public Object read(ByteBuffer buffer) {
            int start = buffer.position();
            if (buffer.get(start) != BSON) {
                return super.read(buffer);
            }
            // BSON starts with its own length, little-endian, counting itself.
            int length = Integer.reverseBytes(buffer.getInt(start + 1));
            Document document = BsonDecoder.decodeBson(Unpooled.wrappedBuffer(buffer.slice(start + 1, length)));
            buffer.position(start + 1 + length);
            weigh(length);
            return document;
        }
    }

    /**
     * {@link ObjectDataType} whose comparison of two {@link KeyValue}s compares their serialized forms, as H2 does,
     * and whose writing of one writes H2's bytes, serializing each key once: when its page is first written or
     * read, not at every comparison and at every rewrite of its page.
     */
    static final class KeyOrder extends Weighed {

        static final KeyOrder INSTANCE = new KeyOrder();

        /** {@code ObjectDataType.TYPE_SERIALIZED_OBJECT}: the tag H2 writes before a serialized object's bytes. */
        private static final byte SERIALIZED = 19;

        /** A key weighs as H2 reckons a serialized object: twice its bytes. */
        KeyOrder() {
            super(KeyValue.class, 2, 10_000);
        }

        /**
         * Serialized forms by key identity (weak keys compare by identity), of the keys of the pages in H2's cache.
         * Bounded, since a key forgotten costs only its serialization again.
         */
        private final Cache<Object, byte[]> serialized = Caffeine.newBuilder().weakKeys().maximumSize(200_000).build();
        /** Per thread, the key it last looked up and its serialized form. */
        private final ThreadLocal<Object[]> looking = ThreadLocal.withInitial(() -> new Object[2]);

        @Override
        public int compare(Object a, Object b) {
            if (a instanceof KeyValue && b instanceof KeyValue) {
                return a == b ? 0 : compareNotNull(bytes(a), bytes(b));
            }
            return super.compare(a, b);
        }

        @Override
        public int binarySearch(Object key, Object storage, int size, int initialGuess) {
            if (!(key instanceof KeyValue)) {
                return super.binarySearch(key, storage, size, initialGuess);
            }
            // BasicDataType's search, with the looked-up key serialized once for the whole lookup.
            Object[] keys = (Object[]) storage;
            byte[] wanted = wanted(key);
            int low = 0;
            int high = size - 1;
            int x = initialGuess - 1;
            if (x < 0 || x > high) {
                x = high >>> 1;
            }
            while (low <= high) {
                Object other = keys[x];
                int compare = other instanceof KeyValue ? compareNotNull(wanted, bytes(other)) : compare(key, other);
                if (compare > 0) {
                    low = x + 1;
                } else if (compare < 0) {
                    high = x - 1;
                } else {
                    return x;
                }
                x = (low + high) >>> 1;
            }
            return ~low;
        }

        @Override
        public void write(WriteBuffer buffer, Object object) {
            if (!(object instanceof KeyValue)) {
                super.write(buffer, object);
                return;
            }
            byte[] data = bytes(object);
            weigh(data.length);
            buffer.put(SERIALIZED).putVarInt(data.length).put(data);
        }

        @Override
        public Object read(ByteBuffer buffer) {
            int start = buffer.position();
            Object object = super.read(buffer);
            if (object instanceof KeyValue && buffer.get(start) == SERIALIZED) {
                // The bytes just read are the key's serialized form: remembered, they spare serializing it again.
                int length = DataUtils.readVarInt(buffer.duplicate().position(start + 1));
                byte[] data = new byte[length];
                buffer.get(buffer.position() - length, data);
                serialized.put(object, data);
                weigh(length);
            }
            return object;
        }


        /**
         * The serialized form of a key being looked up. A lookup's key is a new object each time, searched for in
         * each page from the root down: this thread's last one is kept, rather than pushing the pages' keys out of
         * {@link #serialized}.
         */
        private byte[] wanted(Object key) {
            Object[] last = looking.get();
            if (last[0] != key) {
                byte[] known = serialized.getIfPresent(key);
                last[1] = known != null ? known : serialize(key);
                last[0] = key;
            }
            return (byte[]) last[1];
        }

        private byte[] bytes(Object key) {
            return serialized.get(key, ObjectDataType::serialize);
        }
    }
}

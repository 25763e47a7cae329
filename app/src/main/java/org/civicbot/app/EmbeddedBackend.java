package org.civicbot.app;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import java.nio.ByteBuffer;
import java.util.List;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;

/**
 * mongo-java-server's H2 backend with its indexes searched at the speed of a map lookup. The backend keeps each
 * index in an H2 map keyed by {@link KeyValue}, a class H2 does not know, so H2 orders those keys by their Java
 * serialization and serializes both sides of every comparison: a lookup by {@code _id} in a collection of some
 * thousands serialized forty keys, and that was an eighth of the whole app's CPU on the message path (JFR, #15).
 * The same serialization was redone for every key of a page each time the page was written. Here each key's
 * serialized form is computed once and remembered while the key lives. The order, the file format and what is
 * found are H2's own: only the repeated work is gone, so files written before open as they were.
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
     * {@link ObjectDataType} whose comparison of two {@link KeyValue}s compares their serialized forms, as H2 does,
     * and whose writing of one writes H2's bytes, serializing each key once: when its page is first written or
     * read, not at every comparison and at every rewrite of its page.
     */
    static final class KeyOrder extends ObjectDataType {

        static final KeyOrder INSTANCE = new KeyOrder();

        /** {@code ObjectDataType.TYPE_SERIALIZED_OBJECT}: the tag H2 writes before a serialized object's bytes. */
        private static final byte SERIALIZED = 19;

        /**
         * What a key is taken to weigh in memory, for H2's page splits and cache: as H2 reckons a serialized
         * object, twice its bytes, averaged over the keys written and read (an exponential moving average).
         */
        private volatile int averageSize = 10_000;

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

        @Override
        public int getMemory(Object object) {
            return object instanceof KeyValue ? averageSize : super.getMemory(object);
        }

        private void weigh(int length) {
            averageSize = (int) ((length * 2L + 15L * averageSize) / 16);
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

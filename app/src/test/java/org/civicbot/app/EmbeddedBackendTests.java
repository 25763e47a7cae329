package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.bson.Document;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.domain.Sort;

/**
 * The embedded store's backend orders index keys exactly as mongo-java-server's own H2 backend does, so a file
 * written by either is read by the other.
 */
class EmbeddedBackendTests {

    @TempDir
    Path dir;

    /** Keys of the kinds the app's indexes hold: ids, numbers, dates, compound keys, mixed types. */
    private static List<KeyValue> keys() {
        Random random = new Random(15);
        List<KeyValue> keys = new ArrayList<>();
        String[] words = {"TELEGRAM:", "WHATSAPP:+34", "INC-2026-", "conv-", "ç", "Àlex", "", "a", "zz"};
        for (int i = 0; i < 300; i++) {
            String id = words[random.nextInt(words.length)] + random.nextInt(1_000_000);
            switch (i % 6) {
                case 0 -> keys.add(new KeyValue(id));
                case 1 -> keys.add(new KeyValue(random.nextInt(2_000) - 1_000));
                case 2 -> keys.add(new KeyValue(random.nextLong()));
                case 3 -> keys.add(new KeyValue(id, random.nextInt(5) == 0 ? "PENDING" : "SENT"));
                case 4 -> keys.add(new KeyValue(Date.from(Instant.ofEpochSecond(random.nextInt(2_000_000_000)))));
                default -> keys.add(new KeyValue(id, (long) random.nextInt(40), random.nextDouble()));
            }
        }
        // Equal keys in distinct objects, as a lookup builds them.
        keys.add(new KeyValue("TELEGRAM:42"));
        keys.add(new KeyValue("TELEGRAM:42"));
        keys.add(new KeyValue("TELEGRAM:42", "SENT"));
        keys.add(new KeyValue("TELEGRAM:42", "SENT"));
        return keys;
    }

    @Test
    void comparesEveryPairOfKeysAsH2Does() {
        ObjectDataType h2 = new ObjectDataType();
        EmbeddedBackend.KeyOrder order = new EmbeddedBackend.KeyOrder();
        List<KeyValue> keys = keys();
        int pairs = 0;
        for (KeyValue a : keys) {
            for (KeyValue b : keys) {
                assertThat(Integer.signum(order.compare(a, b))).as("%s against %s", a, b)
                        .isEqualTo(Integer.signum(h2.compare(a, b)));
                pairs++;
            }
        }
        assertThat(pairs).isEqualTo(keys.size() * keys.size());
    }

    @Test
    void writesAndReadsEveryKeyAsH2Does() {
        ObjectDataType h2 = new ObjectDataType();
        EmbeddedBackend.KeyOrder order = new EmbeddedBackend.KeyOrder();
        List<KeyValue> keys = keys();
        for (KeyValue key : keys) {
            WriteBuffer theirs = new WriteBuffer();
            h2.write(theirs, key);
            WriteBuffer ours = new WriteBuffer();
            order.write(ours, key);
            byte[] written = bytes(ours);
            assertThat(written).as("%s", key).isEqualTo(bytes(theirs));
            // Read back (the first read of a page from the file), it is the same key, and orders as before.
            Object read = order.read(ByteBuffer.wrap(written));
            assertThat(read).isEqualTo(key);
            for (KeyValue other : keys.subList(0, 40)) {
                assertThat(Integer.signum(order.compare(read, other))).isEqualTo(Integer.signum(h2.compare(key, other)));
            }
        }
        // Weighed as H2 weighs a serialized object (twice its bytes), not at H2's first guess of 10,000 a key.
        assertThat(order.getMemory(keys.get(0))).isBetween(100, 2_000);
    }

    private static byte[] bytes(WriteBuffer buffer) {
        ByteBuffer written = buffer.getBuffer().flip();
        byte[] bytes = new byte[written.remaining()];
        written.get(bytes);
        return bytes;
    }

    @Test
    void searchesAPageAsH2Does() {
        ObjectDataType h2 = new ObjectDataType();
        EmbeddedBackend.KeyOrder order = new EmbeddedBackend.KeyOrder();
        List<KeyValue> keys = keys();
        Object[] page = keys.stream().distinct().sorted(h2::compare).toArray();
        int found = 0;
        for (KeyValue key : keys) {
            // The same content in a new object, and a key that is not in the page.
            KeyValue copy = new KeyValue(key.stream().toList());
            KeyValue absent = new KeyValue(key.stream().map(value -> value + "~").toList());
            for (KeyValue wanted : List.of(key, copy, absent)) {
                for (int guess : new int[] {0, 1, page.length / 2, page.length}) {
                    int expected = h2.binarySearch(wanted, page, page.length, guess);
                    assertThat(order.binarySearch(wanted, page, page.length, guess)).as("%s", wanted).isEqualTo(expected);
                    found += expected >= 0 ? 1 : 0;
                }
            }
        }
        // Every key and its copy, at each of the four guesses; the absent ones never.
        assertThat(found).isEqualTo(keys.size() * 2 * 4);
    }

    /** A document with a value of every kind the wire brings, and the nesting the app's documents have. */
    private static de.bwaldvogel.mongo.bson.Document everyKind() {
        de.bwaldvogel.mongo.bson.Document nested = new de.bwaldvogel.mongo.bson.Document("flow", "main")
                .append("vars", new de.bwaldvogel.mongo.bson.Document("description", "Hi ha un fanal trencat 🔦 al carrer")
                        .append("empty", new de.bwaldvogel.mongo.bson.Document()));
        return new de.bwaldvogel.mongo.bson.Document("_id", "TELEGRAM:42").append("int", 7).append("negative", -3)
                .append("long", 1L << 40).append("double", 2.5).append("bool", true).append("null", null)
                .append("at", Instant.ofEpochMilli(1_796_000_000_123L))
                .append("objectId", new de.bwaldvogel.mongo.bson.ObjectId())
                .append("uuid", java.util.UUID.randomUUID())
                .append("binary", new de.bwaldvogel.mongo.bson.BinData(new byte[] {0, 1, 2, -1}))
                .append("decimal", new de.bwaldvogel.mongo.bson.Decimal128(new java.math.BigDecimal("12.50")))
                .append("timestamp", new de.bwaldvogel.mongo.bson.BsonTimestamp(1_796_000_000L))
                .append("max", de.bwaldvogel.mongo.bson.MaxKey.getInstance())
                .append("min", de.bwaldvogel.mongo.bson.MinKey.getInstance())
                .append("list", new ArrayList<>(List.of("a", 1, nested, List.of(), new ArrayList<>(List.of(2L)))))
                .append("session", nested).append("text", "Àlex, ç, 漢字, \u0000 inside");
    }

    @Test
    void storesDocumentsAsBsonAndReadsThemBackEqual() {
        EmbeddedBackend.DocumentValues values = new EmbeddedBackend.DocumentValues();
        de.bwaldvogel.mongo.bson.Document document = everyKind();
        WriteBuffer written = new WriteBuffer();
        values.write(written, document);
        values.write(written, "not a document");
        ByteBuffer stored = written.getBuffer().flip();
        assertThat(stored.get(0)).isEqualTo(EmbeddedBackend.DocumentValues.BSON);

        assertThat(values.read(stored)).isEqualTo(document);
        assertThat(values.read(stored)).isEqualTo("not a document");
        assertThat(stored.remaining()).isZero();

        // Half what Java serialization took, or less.
        WriteBuffer serialized = new WriteBuffer();
        new ObjectDataType().write(serialized, document);
        assertThat(stored.limit()).isLessThan(serialized.position() / 2 + 20);
    }

    @Test
    void keepsByJavaSerializationADocumentBsonCannotHoldAndReadsBothKinds() {
        EmbeddedBackend.DocumentValues values = new EmbeddedBackend.DocumentValues();
        // No BSON type for a BigInteger: the wire never brings one, but a document holding one is still kept.
        de.bwaldvogel.mongo.bson.Document odd = new de.bwaldvogel.mongo.bson.Document("_id", "odd")
                .append("big", new java.math.BigInteger("123456789012345678901234567890"));
        WriteBuffer written = new WriteBuffer();
        values.write(written, odd);
        // A document as the library's backend (and earlier versions) wrote it.
        de.bwaldvogel.mongo.bson.Document legacy = everyKind();
        // Java serialization reads these back as new instances, unequal to the first: not this class's concern.
        legacy.remove("max");
        legacy.remove("min");
        new ObjectDataType().write(written, legacy);
        ByteBuffer stored = written.getBuffer().flip();
        assertThat(stored.get(0)).isNotEqualTo(EmbeddedBackend.DocumentValues.BSON);

        assertThat(values.read(stored)).isEqualTo(odd);
        assertThat(values.read(stored)).isEqualTo(legacy);
        assertThat(stored.remaining()).isZero();
    }

    @Test
    void readsAndWritesFilesOfTheLibrarysOwnBackend() {
        Path file = dir.resolve("store.mv");
        // Written by the library's backend...
        withStore(file, H2Backend::new, (mongo, store) -> {
            mongo.indexOps("things").ensureIndex(new Index("code", Sort.Direction.ASC).unique()).block();
            List<Document> things = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                things.add(new Document("_id", "thing-" + i).append("code", "C" + (i * 7919 % 2_000)).append("n", i));
            }
            mongo.insert(things, "things").blockLast();
            return null;
        });
        // ...found, refused and added to by this one...
        withStore(file, EmbeddedBackend::new, (mongo, store) -> {
            assertThat(store.getMapNames()).filteredOn(name -> name.contains("._index_")).isNotEmpty()
                    .allSatisfy(name -> assertThat(store.openMap(name).getKeyType())
                            .isInstanceOf(EmbeddedBackend.KeyOrder.class));
            for (int i = 0; i < 2_000; i += 37) {
                assertThat(mongo.findById("thing-" + i, Document.class, "things").block().getInteger("n")).isEqualTo(i);
                assertThat(mongo.findOne(Query.query(Criteria.where("code").is("C" + (i * 7919 % 2_000))), Document.class,
                        "things").block().getInteger("n")).isEqualTo(i);
            }
            assertThatThrownBy(() -> mongo.insert(new Document("_id", "thing-5"), "things").block())
                    .isInstanceOf(DuplicateKeyException.class);
            assertThatThrownBy(() -> mongo.insert(new Document("_id", "other").append("code", "C7"), "things").block())
                    .isInstanceOf(DuplicateKeyException.class);
            mongo.insert(new Document("_id", "thing-2000").append("code", "C2000").append("n", 2_000), "things").block();
            mongo.remove(Query.query(Criteria.where("_id").is("thing-0")), "things").block();
            return null;
        });
        // ...and all of it read back, though the library's backend could no longer read the documents written since.
        withStore(file, EmbeddedBackend::new, (mongo, store) -> {
            assertThat(mongo.count(new Query(), "things").block()).isEqualTo(2_000);
            assertThat(mongo.findById("thing-0", Document.class, "things").block()).isNull();
            for (int i = 1; i <= 2_000; i++) {
                assertThat(mongo.findById("thing-" + i, Document.class, "things").block()).as("thing-%d", i).isNotNull();
            }
            assertThat(mongo.findOne(Query.query(Criteria.where("code").is("C2000")), Document.class, "things").block()
                    .getInteger("n")).isEqualTo(2_000);
            return null;
        });
    }

    /**
     * mongo-java-server applies an update to the very document object it found, in place. H2 may be writing that object
     * to the file at that moment, in the background, as part of an earlier version of the map: a document changed
     * under the writer was written half updated (Java serialization) or broke the write, and H2 closed the store
     * (BSON notices; the benchmark met it within seconds). The backend hands out copies, so an object the map holds
     * never changes: each update, by {@code update} or {@code findAndModify}, puts a new one.
     */
    @Test
    void anUpdateNeverChangesTheDocumentObjectTheMapHolds() {
        withStore(dir.resolve("store.mv"), EmbeddedBackend::new, (mongo, store) -> {
            mongo.insert(new Document("_id", "c").append("version", 0L).append("sendingSince", "now"), "conversations")
                    .block();
            org.h2.mvstore.MVMap<Object, de.bwaldvogel.mongo.bson.Document> held =
                    store.openMap(EmbeddedBackend.DOCUMENTS + "civicbot.conversations");
            de.bwaldvogel.mongo.bson.Document first = held.get("c");
            de.bwaldvogel.mongo.bson.Document firstAsItWas = first.cloneDeeply();

            mongo.updateFirst(Query.query(Criteria.where("_id").is("c")), new org.springframework.data.mongodb.core.query
                    .Update().inc("version", 1).unset("sendingSince").set("pendingTurn", new Document("id", "t")),
                    "conversations").block();
            de.bwaldvogel.mongo.bson.Document second = held.get("c");
            de.bwaldvogel.mongo.bson.Document secondAsItWas = second.cloneDeeply();
            mongo.findAndModify(Query.query(Criteria.where("_id").is("c")), new org.springframework.data.mongodb.core
                    .query.Update().inc("version", 1).unset("pendingTurn"), Document.class, "conversations").block();

            assertThat(first).isEqualTo(firstAsItWas);
            assertThat(second).isEqualTo(secondAsItWas).containsKey("pendingTurn").doesNotContainKey("sendingSince");
            assertThat(held.get("c")).doesNotContainKey("pendingTurn").containsEntry("version", 2L);
            return null;
        });
    }

    @Test
    void aFileWithDocumentsAsBsonIsRefusedByTheLibrarysOwnBackendNotMisread() {
        Path file = dir.resolve("store.mv");
        withStore(file, EmbeddedBackend::new, (mongo, store) -> {
            mongo.insert(new Document("_id", "thing").append("n", 1), "things").block();
            return null;
        });
        // At start, when it opens the collection: loudly, before serving anything.
        assertThatThrownBy(() -> withStore(file, H2Backend::new, (mongo, store) -> null))
                .hasStackTraceContaining("Unknown tag 120");
    }

    private static void withStore(Path file, Function<MVStore, H2Backend> backend,
            java.util.function.BiFunction<ReactiveMongoTemplate, MVStore, Void> use) {
        MVStore store = new MVStore.Builder().fileName(file.toString()).open();
        MongoServer server;
        try {
            server = new MongoServer(backend.apply(store));
        } catch (RuntimeException e) {
            store.closeImmediately();
            throw e;
        }
        server.bind("127.0.0.1", 0);
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort())) {
            use.apply(new ReactiveMongoTemplate(client, "civicbot"), store);
        } finally {
            server.shutdownNow();
        }
        assertThat(store.isClosed()).isTrue();
    }
}

package org.civicbot.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

class BulkWritesTests {

    @org.springframework.data.mongodb.core.mapping.Document("notes")
    record Note(String id, String text, int n) {}

    final Map<String, AtomicInteger> commands = new ConcurrentHashMap<>();
    final TestStore store = TestStore.start(new CommandListener() {
        @Override
        public void commandStarted(CommandStartedEvent event) {
            commands.computeIfAbsent(event.getCommandName(), k -> new AtomicInteger()).incrementAndGet();
        }
    });
    final BulkWrites notes = new BulkWrites(store.template(), Note.class);

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void oneWriteAloneGoesAtOnceAndLearnsItsOutcome() {
        assertThat(notes.insert(new Note("a", "first", 1)).block()).isTrue();
        assertThat(notes.insert(new Note("a", "again", 2)).block()).isFalse();
        assertThat(store.template().findById("a", Note.class).block().text()).isEqualTo("first");
        assertThat(commands.get("insert")).hasValue(2);
    }

    @Test
    void writesArrivingTogetherGoInFewCommandsEachWithItsOwnOutcome() {
        store.template().insert(new Note("taken-3", "there before", 0)).block();
        store.template().insert(new Note("taken-7", "there before", 0)).block();
        commands.clear();

        List<Boolean> outcomes = Flux.range(0, 200)
                .flatMap(i -> notes.insert(new Note(i % 10 == 3 || i % 10 == 7 ? "taken-" + (i % 10) : "n" + i,
                        "new", i)).subscribeOn(Schedulers.parallel()), 200)
                .collectList().block();

        assertThat(outcomes).hasSize(200);
        assertThat(outcomes.stream().filter(Boolean::booleanValue)).hasSize(160);
        assertThat(store.template().count(new org.springframework.data.mongodb.core.query.Query(), Note.class).block())
                .isEqualTo(162);
        assertThat(store.template().findById("taken-3", Note.class).block().text()).isEqualTo("there before");
        // The first write goes alone; the others gather behind it.
        assertThat(commands.get("insert").get()).isLessThan(50);
    }

    @Test
    void updatesUpsertsAndRemovesTooAndAFailedWriteFailsOnlyItself() {
        store.template().indexOps("notes").createIndex(new Index("n", org.springframework.data.domain.Sort.Direction.ASC)
                .unique()).block();
        store.template().insert(new Note("x", "x", 1)).block();
        store.template().insert(new Note("y", "y", 2)).block();

        List<Boolean> outcomes = Flux.merge(
                        notes.updateOne(query(where("_id").is("x")), new Update().set("text", "changed")).thenReturn(true),
                        notes.upsert(query(where("_id").is("z")), new Update().set("text", "made").set("n", 3)),
                        notes.remove(query(where("_id").is("y"))).thenReturn(true),
                        // refused by the unique index on n: a duplicate, told to this write alone
                        notes.upsert(query(where("_id").is("w")), new Update().set("n", 1)))
                .collectList().block();

        assertThat(outcomes).containsExactlyInAnyOrder(true, true, true, false);
        assertThat(store.template().findById("x", Note.class).block().text()).isEqualTo("changed");
        assertThat(store.template().findById("z", Note.class).block().text()).isEqualTo("made");
        assertThat(store.template().findById("y", Note.class).block()).isNull();
        assertThat(store.template().findById("w", Document.class, "notes").block()).isNull();
    }
}

package org.civicbot.bot;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.springframework.data.mongodb.core.BulkOperations.BulkMode;
import org.springframework.data.mongodb.core.ReactiveBulkOperations;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.UpdateDefinition;
import org.springframework.data.util.Pair;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Writes to one collection grouped into as few store commands as the load allows, with no added wait when
 * there is no load: a write goes at once when none is in flight; the writes that arrive while one is go
 * together, in one unordered bulk write, as soon as it is done. Each write learns its own outcome: written,
 * refused as a duplicate of a unique key, or failed.
 *
 * <p>Both the embedded store and MongoDB serve bulk writes: the driver sends one {@code insert}, {@code update}
 * or {@code delete} command per kind of write in a group. Unordered: a write refused does not stop the others.
 */
public final class BulkWrites {

    /**
     * How long a group may wait for the store before its writes fail: one group at a time is in flight per
     * collection, so a hung one must not hold every later write.
     */
    static final Duration GROUP_TIMEOUT = Duration.ofSeconds(30);
    /** The most writes one group carries; more wait for the next. */
    static final int MOST_PER_GROUP = 500;
    private static final int DUPLICATE_KEY = 11000;

    private final ReactiveMongoTemplate mongo;
    private final Class<?> entity;
    /** Writes waiting for the group in flight to finish; guarded by {@code this}. */
    private final Queue<Write> waiting = new ArrayDeque<>();
    /** Whether a group is in flight; guarded by {@code this}. */
    private boolean busy;

    /** One caller's writes ({@code count} of them, added to a group together) and where their outcomes go. */
    private record Write(Consumer<ReactiveBulkOperations> add, int count, MonoSink<List<Boolean>> outcome) {}

    public BulkWrites(ReactiveMongoTemplate mongo, Class<?> entity) {
        this.mongo = mongo;
        this.entity = entity;
    }

    /** Inserts the document: true once written, false when its unique key is taken (a duplicate). */
    public Mono<Boolean> insert(Object document) {
        return submit(ops -> ops.insert(document));
    }

    /** Inserts the documents, in the same group: for each, true once written, false when it was there already. */
    public Mono<List<Boolean>> insertAll(List<?> documents) {
        if (documents.isEmpty()) {
            return Mono.just(List.of());
        }
        return submit(ops -> ops.insert(documents), documents.size());
    }

    /** Updates the first document that matches, if any. */
    public Mono<Void> updateOne(Query query, UpdateDefinition update) {
        return submit(ops -> ops.updateOne(query, update)).then();
    }

    /** Updates the first document each query matches, in the same group. */
    public Mono<Void> updateEach(List<Pair<Query, UpdateDefinition>> updates) {
        if (updates.isEmpty()) {
            return Mono.empty();
        }
        return submit(ops -> updates.forEach(u -> ops.updateOne(u.getFirst(), u.getSecond())), updates.size()).then();
    }

    /**
     * Updates the document that matches, inserting it when none does: true once written, false when two
     * upserts raced and the insert of this one was refused (do it again: the document is there now).
     */
    public Mono<Boolean> upsert(Query query, UpdateDefinition update) {
        return submit(ops -> ops.upsert(query, update));
    }

    /** Removes the documents that match. */
    public Mono<Void> remove(Query query) {
        return submit(ops -> ops.remove(query)).then();
    }

    private Mono<Boolean> submit(Consumer<ReactiveBulkOperations> add) {
        return submit(add, 1).map(outcomes -> outcomes.get(0));
    }

    private Mono<List<Boolean>> submit(Consumer<ReactiveBulkOperations> add, int count) {
        return Mono.create(outcome -> {
            boolean start;
            synchronized (this) {
                waiting.add(new Write(add, count, outcome));
                start = !busy;
                busy = true;
            }
            if (start) {
                next();
            }
        });
    }

    /** Sends what waits as one group, then the next group, until nothing waits. */
    private void next() {
        List<Write> group = new ArrayList<>();
        synchronized (this) {
            int writes = 0;
            while (!waiting.isEmpty() && (group.isEmpty() || writes + waiting.peek().count() <= MOST_PER_GROUP)) {
                writes += waiting.peek().count();
                group.add(waiting.poll());
            }
            if (group.isEmpty()) {
                busy = false;
                return;
            }
        }
        AtomicBoolean told = new AtomicBoolean();
        Mono<?> execute;
        try {
            ReactiveBulkOperations ops = mongo.bulkOps(BulkMode.UNORDERED, entity);
            group.forEach(write -> write.add().accept(ops));
            execute = ops.execute().timeout(GROUP_TIMEOUT);
        } catch (RuntimeException e) {
            group.forEach(write -> write.outcome().error(e));
            next();
            return;
        }
        execute.subscribe(
                result -> {
                    told.set(true);
                    group.forEach(write -> write.outcome().success(Collections.nCopies(write.count(), true)));
                },
                error -> {
                    settle(group, error);
                    next();
                },
                () -> {
                    if (!told.get()) {
                        IllegalStateException none = new IllegalStateException("the bulk write answered nothing");
                        group.forEach(write -> write.outcome().error(none));
                    }
                    next();
                });
    }

    /** A group failed: the writes the store refused learn why, the others that they were written. */
    private static void settle(List<Write> group, Throwable error) {
        MongoBulkWriteException bulk = bulkCause(error);
        if (bulk == null) {
            group.forEach(write -> write.outcome().error(error));
            return;
        }
        Map<Integer, BulkWriteError> refused = new HashMap<>();
        bulk.getWriteErrors().forEach(e -> refused.put(e.getIndex(), e));
        int index = 0;
        for (Write write : group) {
            List<Boolean> outcomes = new ArrayList<>();
            Throwable failed = bulk.getWriteConcernError() != null
                    ? error // written, but not as durably as asked: the caller must not say so
                    : null;
            for (int i = 0; i < write.count(); i++, index++) {
                BulkWriteError refusal = refused.get(index);
                if (refusal == null || refusal.getCode() == DUPLICATE_KEY) {
                    outcomes.add(refusal == null);
                } else if (failed == null) {
                    failed = new org.springframework.dao.DataIntegrityViolationException(refusal.getMessage(), error);
                }
            }
            if (failed != null) {
                write.outcome().error(failed);
            } else {
                write.outcome().success(outcomes);
            }
        }
    }

    private static MongoBulkWriteException bulkCause(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof MongoBulkWriteException bulk) {
                return bulk;
            }
        }
        return null;
    }
}

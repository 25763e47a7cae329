package org.civicbot.bot.outbox;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Instant;
import java.util.List;
import org.civicbot.bot.BulkWrites;
import org.civicbot.bot.Channel;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.publisher.Mono;

/**
 * The places in the store ({@code outbox_queue}, a small collection of what is still to be sent), for instances sharing
 * a MongoDB. Places added at the same time by other turns go in the same command, and so do retries and removals.
 */
public final class StoredQueue implements SendQueue {

    private final ReactiveMongoTemplate mongo;
    private final BulkWrites additions;
    private final BulkWrites changes;

    public StoredQueue(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
        this.additions = new BulkWrites(mongo, QueuedEntry.class);
        this.changes = new BulkWrites(mongo, QueuedEntry.class);
    }

    @Override
    public Mono<List<QueuedEntry>> read(Channel channel, int limit) {
        // One command for the whole read: a place is small, and a getMore per 101 of them would cost more.
        return mongo.find(query(where("channel").is(channel)).with(Sort.by("seq")).limit(limit).cursorBatchSize(limit),
                QueuedEntry.class).collectList();
    }

    @Override
    public Mono<List<Boolean>> add(List<QueuedEntry> places) {
        return additions.insertAll(places);
    }

    @Override
    public Mono<Void> retryAt(String id, Instant next, Instant claimedAt) {
        return changes.updateOne(query(where("_id").is(id)
                        .orOperator(where("nextAttemptAt").is(null), where("nextAttemptAt").lte(claimedAt))),
                new Update().set("nextAttemptAt", next));
    }

    @Override
    public Mono<Void> requeue(QueuedEntry place) {
        return mongo.save(place).then();
    }

    @Override
    public Mono<Void> remove(QueuedEntry place) {
        // A place of no known time (written by an earlier version) matches one with none.
        return changes.remove(query(where("_id").is(place.id()).and("queuedAt").is(place.queuedAt())));
    }

    @Override
    public Mono<Void> drop(String id) {
        return changes.remove(query(where("_id").is(id)));
    }

    @Override
    public boolean inMemory() {
        return false;
    }
}

package org.civicbot.bot.outbox;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.civicbot.bot.BulkWrites;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Writes outbox entries, each once however often it is written, queues them for the dispatcher and wakes
 * it; and lets staff send again an entry whose send failed or may not have happened.
 */
public class Outbox {

    private final ReactiveMongoTemplate mongo;
    private final Clock clock;
    private final SendQueue queue;
    private final Placements placed;

    /** Where the outbox tells the dispatcher of the places it queued ({@link Dispatcher#placed}). */
    @FunctionalInterface
    public interface Placements {
        /** Places were queued (or may have been, when a write failed), for the dispatcher to look at now. */
        void placed(List<QueuedEntry> places);
    }
    private final BulkWrites entryWrites;

    /** An outbox whose places are in the store ({@link StoredQueue}). */
    public Outbox(ReactiveMongoTemplate mongo, Clock clock, Placements placed) {
        this(mongo, clock, new StoredQueue(mongo), placed);
    }

    /**
     * @param queue where the places go: the dispatcher's
     * @param placed told the places queued, for the dispatcher to look at them now
     */
    public Outbox(ReactiveMongoTemplate mongo, Clock clock, SendQueue queue, Placements placed) {
        this.mongo = mongo;
        this.entryWrites = new BulkWrites(mongo, OutboxEntry.class);
        this.queue = queue;
        this.clock = clock;
        this.placed = placed;
    }

    /**
     * Writes the entries, each once however often it is asked, and queues them. Entries written at the same time
     * by other turns go in the same command.
     */
    public Mono<Void> enqueue(List<OutboxEntry> entries) {
        if (entries.isEmpty()) {
            return Mono.empty();
        }
        // The entries first, then their places in the queue: a place always names a stored entry.
        return entryWrites.insertAll(entries).flatMap(written -> {
                    List<OutboxEntry> fresh = new java.util.ArrayList<>();
                    List<String> again = new java.util.ArrayList<>();
                    for (int i = 0; i < entries.size(); i++) {
                        if (written.get(i)) {
                            fresh.add(entries.get(i));
                        } else {
                            again.add(entries.get(i).id());
                        }
                    }
                    // Written before (a turn carried out again): queued again only if still unsent, so that a place
                    // never comes back for an entry sent meanwhile.
                    Mono<List<OutboxEntry>> unsent = again.isEmpty() ? Mono.just(List.of())
                            : mongo.find(query(where("_id").in(again)), OutboxEntry.class)
                                    .filter(entry -> entry.status() == DeliveryStatus.PENDING).collectList();
                    return unsent.flatMap(pending -> {
                        Instant now = clock.instant();
                        List<QueuedEntry> places = new java.util.ArrayList<>();
                        fresh.forEach(entry -> places.add(QueuedEntry.of(entry, now)));
                        pending.forEach(entry -> places.add(QueuedEntry.of(entry, now)));
                        if (places.isEmpty()) {
                            return Mono.empty();
                        }
                        return queue.add(places)
                                .doOnNext(added -> placed.placed(places))
                                .doOnError(e -> placed.placed(places));
                    });
                })
                .then();
    }

    /**
     * Sends again an entry that failed or whose send may not have happened ({@code FAILED}, {@code UNKNOWN},
     * {@code UNDELIVERED}): staff decide, since the citizen may get it twice. Empty when the entry is in
     * no such state or not of that conversation.
     */
    public Mono<OutboxEntry> resend(String conversationId, String entryId, String staffUser) {
        Update again = new Update().set("status", DeliveryStatus.PENDING).set("attempts", 0).unset("nextAttemptAt")
                .unset("sendingSince").set("statusAt", clock.instant()).set("lastError", "sent again by " + staffUser);
        return mongo.findAndModify(query(where("_id").is(entryId).and("conversationId").is(conversationId)
                                .and("status").in(DeliveryStatus.FAILED,
                                DeliveryStatus.UNKNOWN, DeliveryStatus.UNDELIVERED)), again,
                        FindAndModifyOptions.options().returnNew(true), OutboxEntry.class)
                .flatMap(entry -> {
                    // In place of any the entry still has: a send's end that is still being recorded leaves this one.
                    QueuedEntry place = QueuedEntry.of(entry, clock.instant());
                    return queue.requeue(place).doOnSuccess(done -> placed.placed(List.of(place))).thenReturn(entry);
                });
    }

    /**
     * Queues every unsent entry that has no place in the queue: all of them into a queue kept in memory, and into one
     * in the store those written by a version that had no queue. Reads the whole outbox once: for start-up only.
     */
    public Mono<Long> queueUnsent() {
        return mongo.find(query(where("status").in(DeliveryStatus.PENDING, DeliveryStatus.SENDING)), OutboxEntry.class)
                .map(entry -> QueuedEntry.of(entry, clock.instant()))
                .concatMap(queued -> queue.add(List.of(queued)).map(added -> added.get(0) ? 1L : 0L))
                .reduce(0L, Long::sum);
    }

    /**
     * Marks UNKNOWN every entry being sent, before this process sends anything: on a store only this
     * process uses (the embedded one), whoever was sending them is gone, so there is no need to wait for
     * them to look interrupted. Never sent again on their own. For start-up only (it reads the whole outbox).
     */
    public Mono<Long> interruptedSends() {
        return mongo.find(query(where("status").is(DeliveryStatus.SENDING)), OutboxEntry.class)
                .concatMap(entry -> mongo.updateFirst(query(where("_id").is(entry.id()).and("status")
                                        .is(DeliveryStatus.SENDING)), interrupted(clock.instant()), OutboxEntry.class)
                        .then(queue.drop(entry.id()))
                        .thenReturn(1L))
                .reduce(0L, Long::sum);
    }

    /** An entry whose send was interrupted: in doubt, never sent again on its own. */
    static Update interrupted(java.time.Instant now) {
        return new Update().set("status", DeliveryStatus.UNKNOWN).set("statusAt", now).unset("sendingSince")
                .set("lastError", "interrupted while sending; not repeated, as the provider may have it already");
    }

    public Flux<OutboxEntry> ofConversation(String conversationId) {
        return mongo.find(query(where("conversationId").is(conversationId)).with(Sort.by("seq")), OutboxEntry.class);
    }
}

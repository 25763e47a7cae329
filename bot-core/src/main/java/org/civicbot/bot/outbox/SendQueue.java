package org.civicbot.bot.outbox;

import java.time.Instant;
import java.util.List;
import org.civicbot.bot.Channel;
import reactor.core.publisher.Mono;

/**
 * Where the outbox's unsent entries wait for the dispatcher: a place per entry, by channel, so that the dispatcher's
 * reads follow what is pending and not the whole history. The entry itself (collection {@code outbox}) stays the truth
 * about its state: a place whose entry is no longer PENDING is dropped when met, so queuing an entry twice never sends
 * it twice.
 *
 * <ul>
 *   <li>{@link StoredQueue}: the places in the store ({@code outbox_queue}), for instances that share a MongoDB: any of
 *       them may queue an entry that another sends.</li>
 *   <li>{@link MemoryQueue}: the places in this process, for its only sender (the embedded store serves one process),
 *       with nothing written for them: the outbox is read for its unsent entries at start
 *       ({@link Outbox#queueUnsent}).</li>
 * </ul>
 */
public interface SendQueue {

    /** The channel's places in conversation order ({@code seq}), at most {@code limit} of them. */
    Mono<List<QueuedEntry>> read(Channel channel, int limit);

    /** Adds the places: for each, true when added, false when it was there already (kept as it was). */
    Mono<List<Boolean>> add(List<QueuedEntry> places);

    /**
     * The place's entry waits until {@code next} before it is tried again: if the place was due by {@code claimedAt}
     * (the claim this retry follows), so that a retry recorded late never moves the time a later claim's retry set.
     */
    Mono<Void> retryAt(String id, Instant next, Instant claimedAt);

    /** Queues the place anew, in place of any it has: staff sent its entry again. */
    Mono<Void> requeue(QueuedEntry place);

    /**
     * Takes this place off the queue: its entry's place, if it is still the one queued at {@code place.queuedAt()}, not
     * one staff queued again since.
     */
    Mono<Void> remove(QueuedEntry place);

    /** Takes the entry's place off the queue, whichever it is (at start, before any send). */
    Mono<Void> drop(String id);

    /**
     * Whether every change is seen by the next read at no cost (the queue is this process's own): then the dispatcher
     * reads it every round rather than keep a copy of it.
     */
    boolean inMemory();
}

package org.civicbot.bot.outbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.civicbot.bot.Channel;
import reactor.core.publisher.Mono;

/**
 * The places of a process that is its store's only sender (the embedded store serves one process), kept in memory:
 * queuing a reply writes nothing but the reply, and the dispatcher's reads cost nothing. What survives a crash is the
 * outbox itself: at start its unsent entries are read and queued again ({@link Outbox#queueUnsent}), as the sends the
 * crash interrupted are marked in doubt ({@link Outbox#interruptedSends}).
 */
public final class MemoryQueue implements SendQueue {

    /** A channel's places in the order a read gives them: by {@code seq}, then by id. */
    private static final Comparator<QueuedEntry> ORDER =
            Comparator.comparingLong(QueuedEntry::seq).thenComparing(QueuedEntry::id);

    /** Guarded by {@code this}. */
    private final Map<String, QueuedEntry> byId = new HashMap<>();
    /** Guarded by {@code this}. */
    private final Map<Channel, TreeMap<QueuedEntry, QueuedEntry>> byChannel = new EnumMap<>(Channel.class);

    @Override
    public Mono<List<QueuedEntry>> read(Channel channel, int limit) {
        return Mono.fromSupplier(() -> {
            synchronized (this) {
                TreeMap<QueuedEntry, QueuedEntry> places = byChannel.get(channel);
                List<QueuedEntry> read = new ArrayList<>(places == null ? 0 : Math.min(limit, places.size()));
                if (places != null) {
                    for (QueuedEntry place : places.values()) {
                        if (read.size() == limit) {
                            break;
                        }
                        read.add(place);
                    }
                }
                return read;
            }
        });
    }

    @Override
    public Mono<List<Boolean>> add(List<QueuedEntry> places) {
        return Mono.fromSupplier(() -> {
            synchronized (this) {
                List<Boolean> added = new ArrayList<>(places.size());
                places.forEach(place -> {
                    boolean fresh = byId.putIfAbsent(place.id(), place) == null;
                    if (fresh) {
                        byChannel.computeIfAbsent(place.channel(), c -> new TreeMap<>(ORDER)).put(place, place);
                    }
                    added.add(fresh);
                });
                return added;
            }
        });
    }

    @Override
    public Mono<Void> retryAt(String id, Instant next, Instant claimedAt) {
        return Mono.fromRunnable(() -> {
            synchronized (this) {
                QueuedEntry place = byId.get(id);
                if (place != null && (place.nextAttemptAt() == null || !place.nextAttemptAt().isAfter(claimedAt))) {
                    QueuedEntry moved = new QueuedEntry(place.id(), place.conversationId(), place.channel(),
                            place.seq(), place.createdAt(), next, place.queuedAt());
                    byId.put(id, moved);
                    byChannel.get(place.channel()).put(moved, moved);
                }
            }
        });
    }

    @Override
    public Mono<Void> requeue(QueuedEntry place) {
        return Mono.fromRunnable(() -> {
            synchronized (this) {
                take(place.id());
                byId.put(place.id(), place);
                byChannel.computeIfAbsent(place.channel(), c -> new TreeMap<>(ORDER)).put(place, place);
            }
        });
    }

    @Override
    public Mono<Void> remove(QueuedEntry place) {
        return Mono.fromRunnable(() -> {
            synchronized (this) {
                QueuedEntry queued = byId.get(place.id());
                if (queued != null && java.util.Objects.equals(queued.queuedAt(), place.queuedAt())) {
                    take(place.id());
                }
            }
        });
    }

    @Override
    public Mono<Void> drop(String id) {
        return Mono.fromRunnable(() -> {
            synchronized (this) {
                take(id);
            }
        });
    }

    /** Takes the entry's place off, whichever it is; guarded by {@code this}. */
    private void take(String id) {
        QueuedEntry place = byId.remove(id);
        if (place != null) {
            byChannel.get(place.channel()).remove(place);
        }
    }

    /** How many places wait, on every channel (for tests and benchmarks, which wait for the queue to empty). */
    public synchronized int size() {
        return byId.size();
    }

    @Override
    public boolean inMemory() {
        return true;
    }
}

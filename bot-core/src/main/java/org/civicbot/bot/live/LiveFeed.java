package org.civicbot.bot.live;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Tells screens that a conversation changed, so they refresh without a reload. MongoDB stays the source of
 * truth, and a missed event costs a stale screen, never data. On its own it tells this process's changes;
 * with several instances on one store, {@link StoreChanges} adds every instance's, from the store's change
 * streams.
 */
public class LiveFeed {

    private final Sinks.Many<ConversationChanged> sink = Sinks.many().multicast().directBestEffort();
    private final Clock clock;
    /** Kinds the store's change streams bring now, this process's own changes included. */
    private final Set<String> followed = ConcurrentHashMap.newKeySet();

    public LiveFeed(Clock clock) {
        this.clock = clock;
    }

    /**
     * A conversation changed.
     *
     * @param what MESSAGE_RECEIVED, MESSAGE_QUEUED, MESSAGE_FAILED, a conversation event's type (TAKEN_OVER...),
     *     DEVICE_NOTICE (a device's notice for staff, with {@code device:<asset>} for the conversation)
     */
    public record ConversationChanged(String conversationId, String what, Instant at) {}

    /** Tells the screens; a kind that the store's change streams bring right now comes from there instead. */
    public void publish(String conversationId, String what) {
        if (!followed.contains(what)) {
            emit(conversationId, what);
        }
    }

    public Flux<ConversationChanged> changes() {
        return sink.asFlux();
    }

    /** A change the store's change stream told, made by this instance or another. */
    void observed(String conversationId, String what) {
        emit(conversationId, what);
    }

    /** Whether the store's change streams bring changes of these kinds from now on (so a publish is not told twice). */
    void following(Collection<String> kinds, boolean on) {
        if (on) {
            followed.addAll(kinds);
        } else {
            followed.removeAll(kinds);
        }
    }

    private void emit(String conversationId, String what) {
        ConversationChanged change = new ConversationChanged(conversationId, what, clock.instant());
        // Changes come from many threads; the sink takes one at a time and would drop a concurrent one.
        synchronized (sink) {
            sink.tryEmitNext(change);
        }
    }
}

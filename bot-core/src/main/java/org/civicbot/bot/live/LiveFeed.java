package org.civicbot.bot.live;

import java.time.Clock;
import java.time.Instant;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Tells screens that a conversation changed, so they refresh without a reload. In-process only: MongoDB
 * stays the source of truth, and a missed event costs a stale screen, never data.
 */
public class LiveFeed {

    private final Sinks.Many<ConversationChanged> sink = Sinks.many().multicast().directBestEffort();
    private final Clock clock;

    public LiveFeed(Clock clock) {
        this.clock = clock;
    }

    /**
     * A conversation changed.
     *
     * @param what MESSAGE_RECEIVED, MESSAGE_QUEUED, STATUS_CHANGED
     */
    public record ConversationChanged(String conversationId, String what, Instant at) {}

    public void publish(String conversationId, String what) {
        sink.tryEmitNext(new ConversationChanged(conversationId, what, clock.instant()));
    }

    public Flux<ConversationChanged> changes() {
        return sink.asFlux();
    }
}

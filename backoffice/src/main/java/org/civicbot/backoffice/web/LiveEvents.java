package org.civicbot.backoffice.web;

import java.time.Duration;
import org.civicbot.bot.live.LiveFeed;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;

/** Server-sent events for the pages: {@code changed} per change, and a comment now and then to keep proxies from closing the stream. */
final class LiveEvents {

    static final String CHANGED = "changed";

    private LiveEvents() {}

    static Flux<ServerSentEvent<String>> stream(Flux<LiveFeed.ConversationChanged> changes, Duration heartbeat) {
        Flux<ServerSentEvent<String>> changed = changes.map(change -> ServerSentEvent.<String>builder()
                .event(CHANGED).data(change.conversationId()).build());
        Flux<ServerSentEvent<String>> beats = Flux.interval(heartbeat)
                .map(tick -> ServerSentEvent.<String>builder().comment("heartbeat").build());
        // The first comment sends the headers at once, so the browser knows the stream is open.
        return Flux.merge(changed, beats).startWith(ServerSentEvent.<String>builder().comment("open").build());
    }
}

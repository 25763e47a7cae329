package org.civicbot.bot.content.sources;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.civicbot.bot.MutableClock;
import org.civicbot.bot.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/** What a live source serves, read from the store once in a while rather than at every turn that shows it. */
class ContentSourcesTests {

    /** Store commands sent, by command and collection. */
    final Map<String, AtomicInteger> commands = new ConcurrentHashMap<>();
    final TestStore store = TestStore.start(new com.mongodb.event.CommandListener() {
        @Override
        public void commandStarted(com.mongodb.event.CommandStartedEvent event) {
            org.bson.BsonValue collection = event.getCommand().get(event.getCommandName());
            if (collection != null && collection.isString()) {
                commands.computeIfAbsent(event.getCommandName() + " " + collection.asString().getValue(),
                        k -> new AtomicInteger()).incrementAndGet();
            }
        }
    });
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T09:00:00Z"));
    /** What the town's news feed answers now. */
    final AtomicReference<String> feed = new AtomicReference<>(rss("Obres al carrer Major"));
    final ContentSources sources = new ContentSources(store.template(), WebClient.builder()
            .exchangeFunction(request -> Mono.just(ClientResponse.create(HttpStatus.OK)
                    .header("Content-Type", "application/rss+xml").body(feed.get()).build())),
            Map.of("news", new ContentSources.Source("news", "http://town.example/news.rss", SourceKind.RSS,
                    Duration.ofMinutes(15), Duration.ofSeconds(5))),
            clock, ZoneId.of("Europe/Madrid"));

    @AfterEach
    void close() {
        store.close();
    }

    static String rss(String title) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Notícies</title>"
                + "<item><title>" + title + "</title><link>http://town.example/1</link>"
                + "<pubDate>Tue, 01 Dec 2026 08:00:00 +0100</pubDate></item></channel></rss>";
    }

    private String firstTitle() {
        return sources.content("news").block().items().get(0).title();
    }

    @Test
    void turnsShowingASourceReadItFromTheStoreOnceInAWhile() {
        sources.refresh("news").block();
        int reads = reads();

        for (int turn = 0; turn < 20; turn++) {
            assertThat(firstTitle()).isEqualTo("Obres al carrer Major");
        }
        assertThat(reads() - reads).isLessThanOrEqualTo(1);

        // A while later (another instance may have read the source meanwhile), from the store again.
        clock.advance(ContentSources.KEPT.plusSeconds(1));
        assertThat(firstTitle()).isEqualTo("Obres al carrer Major");
        assertThat(reads() - reads).isBetween(1, 2);
    }

    @Test
    void whatThisInstanceReadsIsServedAtOnce() {
        assertThat(sources.content("news").blockOptional()).as("never read yet").isEmpty();
        sources.refresh("news").block();
        assertThat(firstTitle()).isEqualTo("Obres al carrer Major");

        feed.set(rss("Mercat de Nadal a la plaça"));
        sources.refresh("news").block();
        assertThat(firstTitle()).isEqualTo("Mercat de Nadal a la plaça");
    }

    private int reads() {
        return commands.getOrDefault("find content_sources", new AtomicInteger()).get();
    }
}

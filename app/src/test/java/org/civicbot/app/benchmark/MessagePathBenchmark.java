package org.civicbot.app.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.civicbot.app.FullStackTest;
import org.civicbot.app.Providers;
import org.civicbot.bot.inbound.InboundRecord;
import org.civicbot.bot.outbox.DeliveryStatus;
import org.civicbot.bot.outbox.OutboxEntry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A load generator for the message path on the embedded store (H2 file backend), against the whole
 * app: Telegram updates posted over loopback by many citizens at once, until every message is processed
 * and every reply sent to the provider (WireMock). It reports figures; it asserts only that nothing was
 * lost or sent twice. Run with {@code ./mvnw -B -ntp -Pbenchmark -pl app -am verify}.
 */
@Tag("benchmark")
class MessagePathBenchmark extends FullStackTest {

    static final int CITIZENS = Integer.getInteger("bench.citizens", 50);
    static final int MESSAGES_EACH = Integer.getInteger("bench.messages", 10);
    static final int IN_FLIGHT = Integer.getInteger("bench.inFlight", 32);

    @Test
    void measuresWebhookLatencyAndEndToEndThroughput() throws Exception {
        warmUp();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Long> latenciesMicros = Collections.synchronizedList(new ArrayList<>());
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<?>> all = new ArrayList<>();
        long firstChat = Providers.newChat();
        for (int i = 1; i < CITIZENS; i++) {
            Providers.newChat();
        }
        long start = System.nanoTime();
        // Each citizen walks the menus: hola, 3 (information), 1 (news)... round after round.
        String[] script = {"hola", "3", "1", "hola", "8", "3", "hola", "3", "4", "menu"};
        for (int m = 0; m < MESSAGES_EACH; m++) {
            for (int c = 0; c < CITIZENS; c++) {
                long update = Providers.nextUpdateId();
                String body = Providers.telegramText(update, firstChat + c, "Bench", "Mark", script[m % script.length]);
                inFlight.acquire();
                long sent = System.nanoTime();
                all.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/webhooks/telegram"))
                                .header("Content-Type", "application/json")
                                .header("X-Telegram-Bot-Api-Secret-Token", Providers.TELEGRAM_SECRET)
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                        .whenComplete((response, error) -> {
                            inFlight.release();
                            latenciesMicros.add((System.nanoTime() - sent) / 1000);
                            assertThat(error).isNull();
                            assertThat(response.statusCode()).isEqualTo(200);
                        }));
            }
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        long acknowledged = System.nanoTime();
        int total = CITIZENS * MESSAGES_EACH;
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> mongo.count(query(where("status").is(InboundRecord.Status.RECEIVED)), InboundRecord.class)
                        .block() == 0);
        long processed = System.nanoTime();
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> mongo.count(query(where("status").in(DeliveryStatus.PENDING, DeliveryStatus.SENDING)),
                        OutboxEntry.class).block() == 0);
        long sentAll = System.nanoTime();

        long replies = mongo.count(query(where("channel").is("TELEGRAM").and("status").is(DeliveryStatus.SENT)),
                OutboxEntry.class).block();
        long sentToTelegram = Providers.TELEGRAM.findAll(com.github.tomakehurst.wiremock.client.WireMock
                .postRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching(".*/(?i)sendmessage")))
                .size();
        assertThat(mongo.count(query(where("status").is(InboundRecord.Status.PROCESSED)
                .and("displayName").is("Bench Mark")), InboundRecord.class).block()).isEqualTo(total);
        assertThat(sentToTelegram).as("each reply sent once").isEqualTo(replies);

        List<Long> sorted = new ArrayList<>(latenciesMicros);
        Collections.sort(sorted);
        String report = String.format("message path benchmark (embedded store, H2 file backend, %d cores)%n"
                        + "  %d citizens x %d messages = %d webhook posts, %d in flight%n"
                        + "  webhook latency: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n"
                        + "  acknowledged all in %.2f s (%.0f posts/s)%n"
                        + "  processed all (turns saved) after %.2f s (%.0f messages/s)%n"
                        + "  sent all %d replies after %.2f s (%.0f replies/s)%n",
                Runtime.getRuntime().availableProcessors(), CITIZENS, MESSAGES_EACH, total, IN_FLIGHT,
                percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99), sorted.get(sorted.size() - 1) / 1000.0,
                seconds(start, acknowledged), total / seconds(start, acknowledged),
                seconds(start, processed), total / seconds(start, processed),
                replies, seconds(start, sentAll), replies / seconds(start, sentAll));
        System.out.print(report);
        write(report);
    }

    /** A few rounds first, so the JIT and the store's caches do not count in the figures. */
    private void warmUp() {
        long chat = Providers.newChat();
        for (String text : List.of("hola", "3", "1", "menu")) {
            postTelegram(Providers.telegramText(Providers.nextUpdateId(), chat, "Warm", "Up", text))
                    .expectStatus().isOk().expectBody().returnResult();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> mongo.count(query(where("status")
                .is(InboundRecord.Status.RECEIVED)), InboundRecord.class).block() == 0);
    }

    private static double percentile(List<Long> sortedMicros, int p) {
        int index = (int) Math.ceil(p / 100.0 * sortedMicros.size()) - 1;
        return sortedMicros.get(Math.max(0, index)) / 1000.0;
    }

    private static double seconds(long from, long to) {
        return (to - from) / 1e9;
    }

    private static void write(String report) throws IOException {
        Path dir = Path.of("target", "benchmark");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("message-path.txt"), report);
    }
}

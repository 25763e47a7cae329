package org.civicbot.app.browser;

import static org.awaitility.Awaitility.await;
import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.civicbot.app.CivicbotApplication;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.ConversationIds;
import org.civicbot.bot.inbound.InboundRecord;
import org.civicbot.bot.outbox.DeliveryStatus;
import org.civicbot.bot.outbox.OutboxEntry;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The whole application, as {@code org.civicbot.app.FullStackTest} starts it (embedded store in a
 * temporary folder, Telegram's API in WireMock, admin {@code admin}/{@code admin-password}), for the
 * browser tests. FullStackTest and its Providers are package-private in {@code org.civicbot.app}, so the
 * browser tests cannot extend them from this package; all browser test classes share this one context.
 */
@SpringBootTest(classes = CivicbotApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class BrowserStack {

    static final Duration PATIENCE = Duration.ofSeconds(20);
    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "admin-password";
    static final Path DATA_DIR = tempDir();

    @LocalServerPort
    int port;

    @Autowired
    ReactiveMongoTemplate mongo;

    WebTestClient web;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("civicbot.data-dir", DATA_DIR::toString);
        registry.add("civicbot.public-base-url", () -> "https://civicbot.example.org");
        registry.add("civicbot.telegram.bot-token", () -> FakeTelegram.TOKEN);
        registry.add("civicbot.telegram.webhook-secret", () -> FakeTelegram.SECRET);
        registry.add("civicbot.telegram.api-base-url", FakeTelegram::baseUrl);
        registry.add("civicbot.outbox.poll-interval", () -> "100ms");
        registry.add("civicbot.outbox.retry-initial", () -> "200ms");
        registry.add("civicbot.outbox.retry-max", () -> "1s");
        registry.add("civicbot.admin.password", () -> ADMIN_PASSWORD);
        // Map tiles from the app itself (absent: the maps show no tiles), never from the public tile servers.
        registry.add("civicbot.map.tile-url", () -> "/test-tiles/{z}/{x}/{y}.png");
        // Always open, so that a handoff in a test run at night gets no out-of-hours notice.
        registry.add("civicbot.handoff.office-hours", () -> "");
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("civicbot-browser-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeEach
    void connect() {
        web = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(PATIENCE).build();
    }

    static String conversationId(long chat) {
        return ConversationIds.of(Channel.TELEGRAM, String.valueOf(chat));
    }

    /** The citizen {@code firstName lastName} writes {@code text} on Telegram; returns once the bot has processed it. */
    void telegram(long chat, String firstName, String lastName, String text) {
        long updateId = FakeTelegram.nextUpdateId();
        web.post().uri("/webhooks/telegram").contentType(MediaType.APPLICATION_JSON)
                .header("X-Telegram-Bot-Api-Secret-Token", FakeTelegram.SECRET)
                .bodyValue(FakeTelegram.text(updateId, chat, firstName, lastName, text))
                .exchange().expectStatus().isOk().expectBody().returnResult();
        String inboundId = InboundRecord.idOf(Channel.TELEGRAM, String.valueOf(updateId));
        await().atMost(PATIENCE).until(() -> {
            InboundRecord record = mongo.findById(inboundId, InboundRecord.class).block();
            return record != null && record.status() == InboundRecord.Status.PROCESSED;
        });
    }

    /** Waits until every reply of the conversation has left the outbox (sent or failed), and returns them all. */
    List<OutboxEntry> awaitOutboxSettled(String conversationId) {
        await().atMost(PATIENCE).until(() -> outbox(conversationId).stream()
                .noneMatch(e -> e.status().rank() < DeliveryStatus.SENT.rank()));
        return outbox(conversationId);
    }

    List<OutboxEntry> outbox(String conversationId) {
        return mongo.find(query(where("conversationId").is(conversationId)).with(Sort.by("seq")), OutboxEntry.class)
                .collectList().block();
    }
}

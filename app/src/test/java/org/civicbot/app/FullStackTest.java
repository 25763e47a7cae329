package org.civicbot.app;

import static org.awaitility.Awaitility.await;
import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.conversation.ConversationIds;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.inbound.InboundRecord;
import org.civicbot.bot.outbox.OutboxEntry;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * The whole application on the embedded store (H2 file backend in a temporary folder), with both
 * channels on and the providers' APIs in WireMock. Tests share one context, so each uses its own
 * phone number or chat id.
 */
@SpringBootTest(classes = CivicbotApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public abstract class FullStackTest {

    public static final Duration PATIENCE = Duration.ofSeconds(20);

    @LocalServerPort
    protected int port;

    @Autowired
    protected ReactiveMongoTemplate mongo;

    /** The app's keyed conversation ids. */
    @Autowired
    protected ConversationIds conversationIds;

    protected WebTestClient web;

    /** Where replies wait to be sent: on the embedded store, in the app's memory. */
    @Autowired
    protected org.civicbot.bot.outbox.SendQueue sendQueue;

    /** The replies of {@code conversations} still waiting to be sent (all of them: null), read as the dispatcher does. */
    protected long queuedReplies(java.util.Collection<String> conversations) {
        return java.util.Arrays.stream(org.civicbot.bot.Channel.values())
                .flatMap(channel -> sendQueue.read(channel, Integer.MAX_VALUE).block().stream())
                .filter(place -> conversations == null || conversations.contains(place.conversationId()))
                .count();
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        // Called for every context built, so that two contexts never share an embedded store's files.
        commonProperties(tempDir()).forEach((name, value) -> registry.add(name, () -> value));
    }

    static Map<String, String> commonProperties(Path dataDir) {
        return Map.ofEntries(
                Map.entry("civicbot.data-dir", dataDir.toString()),
                // Metrics and health in detail on a port of their own, as on 8081 in production: a free one
                // per app, since several run in one JVM here.
                Map.entry("management.server.port", String.valueOf(freePort())),
                Map.entry("civicbot.public-base-url", Providers.PUBLIC_BASE),
                Map.entry("civicbot.twilio.account-sid", Providers.TWILIO_SID),
                Map.entry("civicbot.twilio.auth-token", Providers.TWILIO_TOKEN),
                Map.entry("civicbot.twilio.whatsapp-from", Providers.WHATSAPP_FROM),
                Map.entry("civicbot.twilio.api-base-url", Providers.TWILIO.baseUrl()),
                Map.entry("civicbot.telegram.bot-token", Providers.TELEGRAM_TOKEN),
                Map.entry("civicbot.telegram.webhook-secret", Providers.TELEGRAM_SECRET),
                Map.entry("civicbot.telegram.api-base-url", Providers.TELEGRAM.baseUrl()),
                // As a paid tier allows (#15): what is measured on the message path is the app, not the free tier's
                // 30 a second. The dispatcher's rate limiting is tested on its own (DispatcherTests).
                Map.entry("civicbot.telegram.max-per-second", "1000"),
                Map.entry("civicbot.geocoder.base-url", Providers.NOMINATIM.baseUrl()),
                // The map picker starts away from the places the chat tests report at, so that a pin a page test
                // places is never offered to a chat test as the same problem nearby.
                Map.entry("civicbot.map.center-latitude", "41.6100"),
                Map.entry("civicbot.town.name", "Ajuntament de Prova"),
                Map.entry("civicbot.town.website", "https://www.ajuntamentdeprova.cat"),
                Map.entry("civicbot.town.phone", "938 000 100"),
                Map.entry("civicbot.town.address", "Plaça de la Vila, 1"),
                Map.entry("civicbot.town.privacy-url", "https://www.ajuntamentdeprova.cat/privacitat"),
                Map.entry("civicbot.map.center-longitude", "1.6100"),
                Map.entry("civicbot.outbox.poll-interval", "100ms"),
                Map.entry("civicbot.outbox.retry-initial", "200ms"),
                Map.entry("civicbot.outbox.retry-max", "1s"),
                Map.entry("civicbot.outbox.max-attempts", "4"),
                Map.entry("civicbot.admin.password", "admin-password"),
                // E-mail through GreenMail, looked at often so a test sees an alert within its patience.
                Map.entry("spring.mail.host", "127.0.0.1"),
                Map.entry("spring.mail.port", String.valueOf(Mailbox.port())),
                Map.entry("civicbot.mail.from", Mailbox.FROM),
                Map.entry("civicbot.open311.posts-per-minute", "10"),
                Map.entry("civicbot.content.sources.news.url", Providers.SOURCES.baseUrl() + "/noticies.rss"),
                Map.entry("civicbot.content.sources.news.kind", "rss"),
                Map.entry("civicbot.content.sources.news.refresh", "1h"),
                Map.entry("civicbot.content.sources.agenda.url", Providers.SOURCES.baseUrl() + "/agenda.ics"),
                Map.entry("civicbot.content.sources.agenda.kind", "ical"),
                Map.entry("civicbot.content.sources.agenda.refresh", "PT1H"),
                Map.entry("civicbot.content.sources.pharmacies.url", Providers.SOURCES.baseUrl() + "/farmacies.csv"),
                Map.entry("civicbot.content.sources.pharmacies.kind", "csv"),
                Map.entry("civicbot.content.sources.pharmacies.refresh", "1h"),
                // Flow revisions are looked for when a test says so (FlowSync.refresh), not behind its back.
                Map.entry("civicbot.flows.check-every", "1h"),
                Map.entry("civicbot.mail.check-every", "100ms"),
                Map.entry("civicbot.device-alerts.per-minute", "30"),
                Map.entry("civicbot.devices[0].id", "truck-7"),
                Map.entry("civicbot.devices[0].token", "device-token-7"));
    }

    /**
     * Another app in this JVM, started by a test on its own: its HTTP resources are its own, so stopping
     * it cannot take down the shared test context's servers (Reactor Netty's global resources would be
     * disposed with it, and the management server of the shared context uses them).
     */
    static org.springframework.boot.builder.SpringApplicationBuilder separateApp() {
        return new org.springframework.boot.builder.SpringApplicationBuilder(CivicbotApplication.class)
                .initializers(context -> {
                    org.springframework.http.client.ReactorResourceFactory own =
                            new org.springframework.http.client.ReactorResourceFactory();
                    own.setUseGlobalResources(false);
                    context.getBeanFactory().registerSingleton("reactorResourceFactory", own);
                });
    }

    static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("civicbot-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeEach
    protected void connect() {
        web = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(PATIENCE).build();
        Providers.goodDay();
    }

    // --- delivering as the providers do ---------------------------------------------------------------

    WebTestClient.ResponseSpec postTwilio(Map<String, String> form) {
        return postTwilio(form, Providers.twilioSignature(Providers.PUBLIC_BASE + "/webhooks/twilio/whatsapp", form));
    }

    WebTestClient.ResponseSpec postTwilio(Map<String, String> form, String signature) {
        LinkedMultiValueMap<String, String> body = new LinkedMultiValueMap<>();
        form.forEach(body::add);
        WebTestClient.RequestBodySpec request = web.post().uri("/webhooks/twilio/whatsapp")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED);
        if (signature != null) {
            request = request.header("X-Twilio-Signature", signature);
        }
        return request.body(BodyInserters.fromFormData(body)).exchange();
    }

    /** Sends a WhatsApp text and waits until the bot has processed it. */
    protected void whatsapp(String from, String text) {
        String sid = Providers.nextMessageSid();
        postTwilio(Providers.whatsappText(from, sid, text)).expectStatus().isOk().expectBody().returnResult();
        awaitProcessed(InboundRecord.idOf(Channel.WHATSAPP, sid));
    }

    protected WebTestClient.ResponseSpec postTelegram(String update) {
        return postTelegram(update, Providers.TELEGRAM_SECRET);
    }

    WebTestClient.ResponseSpec postTelegram(String update, String secret) {
        WebTestClient.RequestBodySpec request = web.post().uri("/webhooks/telegram").contentType(MediaType.APPLICATION_JSON);
        if (secret != null) {
            request = request.header("X-Telegram-Bot-Api-Secret-Token", secret);
        }
        return request.bodyValue(update).exchange();
    }

    /** Sends a Telegram update and waits until the bot has processed it. */
    void telegram(long updateId, String update) {
        postTelegram(update).expectStatus().isOk().expectBody().returnResult();
        awaitProcessed(InboundRecord.idOf(Channel.TELEGRAM, String.valueOf(updateId)));
    }

    // --- staff through the API -------------------------------------------------------------------------

    /** The password of the staff members the API tests make. */
    protected static final String STAFF_PASSWORD = "a-long-staff-password";
    protected static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    @Autowired
    protected org.civicbot.backoffice.staff.StaffUsers users;

    /** A staff member with {@code roles} (ADMIN when none is given), made the first time. */
    protected void staff(String username, org.civicbot.backoffice.staff.StaffUser.Role... roles) {
        java.util.Set<org.civicbot.backoffice.staff.StaffUser.Role> granted = roles.length == 0
                ? java.util.Set.of(org.civicbot.backoffice.staff.StaffUser.Role.ADMIN) : java.util.Set.of(roles);
        users.find(username).switchIfEmpty(users.create(username, username, STAFF_PASSWORD, granted,
                java.util.Set.of())).block();
    }

    /** A JSON POST as {@code username}; the answer, to check its status. */
    protected WebTestClient.ResponseSpec postAs(String username, String uri, Object body) {
        return web.post().uri(uri).headers(h -> h.setBasicAuth(username, STAFF_PASSWORD))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    /** A JSON POST as {@code username} that must answer 200; its body. */
    protected com.fasterxml.jackson.databind.JsonNode okPost(String username, String uri, Object body) {
        return json(postAs(username, uri, body).expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody());
    }

    /** A GET as {@code username} that must answer 200; its body. */
    protected com.fasterxml.jackson.databind.JsonNode okGet(String username, String uri) {
        return json(web.get().uri(uri).headers(h -> h.setBasicAuth(username, STAFF_PASSWORD)).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
    }

    protected static com.fasterxml.jackson.databind.JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- reading what happened ------------------------------------------------------------------------

    protected void awaitProcessed(String inboundId) {
        await().atMost(PATIENCE).until(() -> {
            InboundRecord record = mongo.findById(inboundId, InboundRecord.class).block();
            return record != null && record.status() == InboundRecord.Status.PROCESSED;
        });
    }

    /** Waits until every outbox entry of the conversation has left the outbox (sent or failed). */
    protected List<OutboxEntry> awaitOutboxSettled(String conversationId) {
        await().atMost(PATIENCE).until(() -> outbox(conversationId).stream()
                .noneMatch(e -> e.status().rank() < org.civicbot.bot.outbox.DeliveryStatus.SENT.rank()));
        return outbox(conversationId);
    }

    protected List<OutboxEntry> outbox(String conversationId) {
        return mongo.find(query(where("conversationId").is(conversationId))
                .with(org.springframework.data.domain.Sort.by("seq")), OutboxEntry.class).collectList().block();
    }

    /** The keyed conversation ids of an app that used {@code mongo}'s store: its key is kept there. */
    static ConversationIds conversationIds(ReactiveMongoTemplate mongo) {
        org.bson.Document secret = mongo.findById(ConversationIds.KEY, org.bson.Document.class, "secrets").block();
        return new ConversationIds(java.util.Base64.getDecoder().decode(secret.getString("value")));
    }

    protected Conversation conversation(Channel channel, String address) {
        return mongo.findById(conversationIds.of(channel, address), Conversation.class).block();
    }

    List<Incident> incidentsOf(String conversationId) {
        return mongo.find(query(where("conversationId").is(conversationId)), Incident.class).collectList().block();
    }

    long count(Class<?> type, String field, Object value) {
        return mongo.count(query(where(field).is(value)), type).block();
    }
}

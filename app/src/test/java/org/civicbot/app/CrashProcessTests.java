package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.ConversationIds;
import org.civicbot.bot.inbound.InboundRecord;
import org.civicbot.bot.outbox.DeliveryStatus;
import org.civicbot.bot.outbox.OutboxEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

/**
 * The built jar, run as a town hall runs it, killed with SIGKILL in the middle of a load of Telegram
 * and WhatsApp deliveries, then started again on the same data directory: every delivery that was
 * answered 2xx is stored and answered exactly once, and no reply is sent twice.
 */
class CrashProcessTests {

    static final Duration PATIENCE = Duration.ofSeconds(90);
    /** Acknowledged deliveries before the kill; the clients keep posting while it happens. */
    static final int ACKED_BEFORE_KILL = 150;
    static final int CLIENTS = 8;

    final Path dataDir = tempDir();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final List<Process> started = new ArrayList<>();
    final int port = freePort();
    final int managementPort = freePort();
    /** The last conversation found with a reply left to send, for the failure report. */
    volatile String stillSending;
    /** What got a 2xx: Telegram chat ids, and WhatsApp numbers; one message each. */
    final Set<Long> ackedChats = ConcurrentHashMap.newKeySet();
    final Set<String> ackedPhones = ConcurrentHashMap.newKeySet();
    final Map<String, String> ackedInboundIds = new ConcurrentHashMap<>();

    @AfterEach
    void stopAll() {
        started.forEach(Process::destroyForcibly);
    }

    /** The key the app finds in its store at first start (put there before it), so the test derives its ids. */
    static final byte[] ID_KEY = "crash-test-conversation-ids-key!".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    static final ConversationIds IDS = new ConversationIds(ID_KEY);

    @Test
    void aKilledAppLosesAndRepeatsNothingItAcknowledged() throws Exception {
        Providers.goodDay();
        java.nio.file.Files.createDirectories(dataDir.resolve("store"));
        try (StoreReader store = new StoreReader(dataDir.resolve("store").resolve("civicbot.mv"))) {
            store.mongo.insert(new org.bson.Document("_id", ConversationIds.KEY)
                    .append("value", java.util.Base64.getEncoder().encodeToString(ID_KEY)), "secrets").block();
        }
        Process first = start("first");
        awaitHealthy(first);

        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        CountDownLatch enoughAcked = new CountDownLatch(ACKED_BEFORE_KILL);
        AtomicInteger refused = new AtomicInteger();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            clients.execute(() -> {
                for (int i = 0; i < 2_000 && first.isAlive(); i++) {
                    try {
                        if (deliver(client, i)) {
                            enoughAcked.countDown();
                        } else {
                            refused.incrementAndGet();
                        }
                    } catch (IOException | InterruptedException e) {
                        return; // the app is gone
                    }
                }
            });
        }
        assertThat(enoughAcked.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        // The management port's metrics moved with the load.
        String metrics = scrape();
        assertThat(series(metrics, "civicbot_inbound_accepted_total{channel=\"TELEGRAM\"}")).isPositive();
        assertThat(series(metrics, "civicbot_inbound_accepted_total{channel=\"WHATSAPP\"}")).isPositive();
        assertThat(series(metrics, "civicbot_webhook_ack_seconds_count{endpoint=\"/webhooks/telegram\"}")).isPositive();
        assertThat(series(metrics, "civicbot_turn_seconds_count")).isPositive();
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no final commit
        first.waitFor();
        clients.shutdown();
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(refused).as("deliveries refused by the app before the kill").hasValue(0);
        assertThat(ackedInboundIds).hasSizeGreaterThanOrEqualTo(ACKED_BEFORE_KILL);

        Process second = start("second");
        awaitHealthy(second);
        try {
            await().atMost(PATIENCE).until(() -> answeredChats().containsAll(ackedChats)
                    && answeredPhones().containsAll(ackedPhones));
            // Every reply of those conversations has left the outbox (sent, or marked as in doubt).
            await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).until(this::nothingLeftToSend);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            System.out.println("STILL SENDING " + stillSending);
            // What the app was doing, for the report.
            new ProcessBuilder("jstack", String.valueOf(second.pid())).redirectErrorStream(true)
                    .redirectOutput(Path.of("target", "crash-test-second.jstack").toFile()).start().waitFor();
            throw e;
        } finally {
            second.destroy(); // a graceful stop, so the store can be read afterwards
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            reportUnanswered();
        }

        try (StoreReader store = new StoreReader(dataDir.resolve("store").resolve("civicbot.mv"))) {
            for (String id : ackedInboundIds.keySet()) {
                InboundRecord record = store.mongo.findById(id, InboundRecord.class).block();
                assertThat(record).as("acknowledged delivery %s", id).isNotNull();
                assertThat(record.status()).as("acknowledged delivery %s", id).isEqualTo(InboundRecord.Status.PROCESSED);
            }
            for (Long chat : ackedChats) {
                assertSentOnce(store, IDS.of(Channel.TELEGRAM, String.valueOf(chat)),
                        Providers.telegramMessagesTo(chat).size());
            }
            for (String phone : ackedPhones) {
                assertSentOnce(store, IDS.of(Channel.WHATSAPP, phone), Providers.twilioBodiesTo(phone).size());
            }
        }
    }

    /** The management port's {@code /actuator/prometheus}, as a scraper on this machine reads it. */
    private String scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static double series(String scraped, String series) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + java.util.regex.Pattern.quote(series)
                + " ([0-9.eE+-]+)$").matcher(scraped);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** Whether the app, asked through its staff API, has no reply of the acknowledged conversations left to send. */
    private boolean nothingLeftToSend() throws IOException, InterruptedException {
        List<String> conversations = new ArrayList<>();
        ackedChats.forEach(chat -> conversations.add(IDS.of(Channel.TELEGRAM, String.valueOf(chat))));
        ackedPhones.forEach(phone -> conversations.add(IDS.of(Channel.WHATSAPP, phone)));
        String basic = "Basic " + java.util.Base64.getEncoder()
                .encodeToString("admin:admin-password".getBytes(StandardCharsets.UTF_8));
        for (String id : conversations) {
            HttpResponse<String> detail = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/conversations/" + id))
                    .header("Authorization", basic).build(), HttpResponse.BodyHandlers.ofString());
            if (detail.statusCode() != 200 || detail.body().contains("\"status\":\"PENDING\"")
                    || detail.body().contains("\"status\":\"SENDING\"")) {
                stillSending = id + " answered " + detail.statusCode() + ": " + detail.body();
                return false;
            }
        }
        return true;
    }

    /** The Telegram chats that got at least one message, read from all sends at once. */
    private static Set<Long> answeredChats() {
        return Providers.TELEGRAM.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                        com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching(".*/(?i)sendmessage")))
                .stream().map(request -> {
                    java.util.regex.Matcher chat = java.util.regex.Pattern.compile("\"chat_id\"\\s*:\\s*\"?(-?\\d+)")
                            .matcher(request.getBodyAsString());
                    return chat.find() ? Long.parseLong(chat.group(1)) : 0L;
                }).collect(Collectors.toSet());
    }

    /** The WhatsApp numbers that got at least one message. */
    private static Set<String> answeredPhones() {
        return Providers.TWILIO.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                        com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(Providers.MESSAGES)))
                .stream().map(request -> Providers.form(request.getBodyAsString()).get("To"))
                .collect(Collectors.toSet());
    }

    /** What became of acknowledged deliveries nobody answered: the store's view, for the failure report. */
    private void reportUnanswered() {
        Set<Long> chats = answeredChats();
        Set<String> phones = answeredPhones();
        List<String> missing = new ArrayList<>();
        ackedChats.stream().filter(c -> !chats.contains(c)).forEach(c -> missing.add(IDS.of(Channel.TELEGRAM, String.valueOf(c))));
        ackedPhones.stream().filter(p -> !phones.contains(p)).forEach(p -> missing.add(IDS.of(Channel.WHATSAPP, p)));
        if (missing.isEmpty()) {
            return;
        }
        try (StoreReader store = new StoreReader(dataDir.resolve("store").resolve("civicbot.mv"))) {
            for (String conversationId : missing) {
                System.out.println("UNANSWERED " + conversationId + ": inbound "
                        + store.mongo.find(query(where("conversationId").is(conversationId)), InboundRecord.class)
                                .map(r -> r.id() + "=" + r.status()).collectList().block()
                        + ", conversation " + store.mongo.findById(conversationId, org.bson.Document.class, "conversations")
                                .map(d -> "inbox=" + d.get("inbox") + " pendingTurn=" + (d.get("pendingTurn") != null))
                                .block()
                        + ", outbox " + store.mongo.find(query(where("conversationId").is(conversationId)), OutboxEntry.class)
                                .map(e -> e.id() + "=" + e.status()).collectList().block());
            }
        }
    }

    /**
     * The provider got each reply the store says was sent, once; a reply whose send the kill interrupted
     * is marked as unknown (never sent again), so it may have reached the provider once or not at all.
     */
    private static void assertSentOnce(StoreReader store, String conversationId, int providerGot) {
        List<OutboxEntry> entries = store.mongo.find(query(where("conversationId").is(conversationId)), OutboxEntry.class)
                .collectList().block();
        assertThat(entries).as("replies of %s", conversationId).isNotEmpty();
        Map<DeliveryStatus, Long> byStatus = entries.stream()
                .collect(Collectors.groupingBy(OutboxEntry::status, Collectors.counting()));
        long sent = byStatus.getOrDefault(DeliveryStatus.SENT, 0L);
        long unknown = byStatus.getOrDefault(DeliveryStatus.UNKNOWN, 0L);
        assertThat(sent + unknown).as("replies of %s by status %s", conversationId, byStatus).isEqualTo(entries.size());
        assertThat((long) providerGot).as("sends of %s by status %s", conversationId, byStatus)
                .isBetween(sent, sent + unknown);
    }

    /** Posts one first message from a new citizen; true when the app answered 2xx. */
    private boolean deliver(int client, int i) throws IOException, InterruptedException {
        if ((client + i) % 2 == 0) {
            long chat = Providers.newChat();
            long update = Providers.nextUpdateId();
            HttpRequest request = HttpRequest.newBuilder(URI.create(base() + "/webhooks/telegram"))
                    .header("Content-Type", "application/json")
                    .header("X-Telegram-Bot-Api-Secret-Token", Providers.TELEGRAM_SECRET)
                    .POST(HttpRequest.BodyPublishers.ofString(Providers.telegramText(update, chat, "Jordi", "Serra", "hola")))
                    .build();
            boolean ok = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() / 100 == 2;
            if (ok) {
                ackedChats.add(chat);
                ackedInboundIds.put(InboundRecord.idOf(Channel.TELEGRAM, String.valueOf(update)), "telegram");
            }
            return ok;
        }
        String phone = String.format("whatsapp:+3461%07d", Providers.newChat() % 10_000_000);
        String sid = Providers.nextMessageSid();
        Map<String, String> form = Providers.whatsappText(phone, sid, "hola");
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base() + "/webhooks/twilio/whatsapp"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature",
                        Providers.twilioSignature(Providers.PUBLIC_BASE + "/webhooks/twilio/whatsapp", form))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        boolean ok = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() / 100 == 2;
        if (ok) {
            ackedPhones.add(phone);
            ackedInboundIds.put(InboundRecord.idOf(Channel.WHATSAPP, sid), "whatsapp");
        }
        return ok;
    }

    private Process start(String name) throws IOException {
        String jar = System.getProperty("civicbot.jar");
        assertThat(jar).as("system property civicbot.jar (set by the build)").isNotNull();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx512m", "-jar", jar, "--server.port=" + port));
        FullStackTest.commonProperties(dataDir.resolve("store")).forEach((property, value) -> {
            if (!property.equals("management.server.port")) {
                command.add("--" + property + "=" + value);
            }
        });
        command.add("--management.server.port=" + managementPort);
        Path log = Path.of("target", "crash-test-" + name + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(process);
        return process;
    }

    private void awaitHealthy(Process process) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(process.isAlive()).as("the app exited; see target/crash-test-*.log").isTrue();
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base() + "/actuator/health"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                return health.body().contains("\"UP\"");
            } catch (IOException e) {
                return false;
            }
        });
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("civicbot-crash-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The embedded store's file opened by a store server of the test's own, once the app has stopped. */
    static final class StoreReader implements AutoCloseable {
        final MongoServer server;
        final MongoClient client;
        final ReactiveMongoTemplate mongo;

        StoreReader(Path file) {
            // The app's own backend: the file holds documents only it reads (BSON, EmbeddedBackend.DocumentValues).
            server = new MongoServer(new EmbeddedBackend(new org.h2.mvstore.MVStore.Builder().fileName(file.toString())
                    .open()));
            server.bind("127.0.0.1", 0);
            client = MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort());
            mongo = new ReactiveMongoTemplate(client, "civicbot");
        }

        @Override
        public void close() {
            client.close();
            server.shutdownNow();
        }
    }
}

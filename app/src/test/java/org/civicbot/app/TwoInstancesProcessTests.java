package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bson.Document;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.ConversationIds;
import org.civicbot.bot.inbound.InboundRecord;
import org.civicbot.bot.outbox.DeliveryStatus;
import org.civicbot.bot.outbox.OutboxEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

/**
 * Two instances of the real jar on one store (a MongoDB-wire-protocol server of the test's own, with its oplog on,
 * as a MongoDB replica set would be shared), behind a round-robin: 200 citizens write 10 messages each, every
 * message to the other instance than the one before, 24 citizens at a time. Every message gets its turn once, in
 * the order it was acknowledged, every reply is sent once, and nothing is left waiting. A flow published on one
 * instance is what the other says; a takeover done on one shows live on the other's back-office.
 */
class TwoInstancesProcessTests {

    static final Duration PATIENCE = Duration.ofSeconds(90);
    static final int CITIZENS = 200;
    static final int AT_ONCE = 24;
    static final String[] SCRIPT = {"hola", "3", "1", "menu", "8", "hola", "3", "1", "menu", "8"};
    static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final List<Process> started = new ArrayList<>();
    final ObjectMapper json = new ObjectMapper();
    MongoServer store;
    MongoClient client;

    @AfterEach
    void stopAll() {
        started.forEach(Process::destroyForcibly);
        if (client != null) {
            client.close();
        }
        if (store != null) {
            store.shutdownNow();
        }
    }

    @Test
    void twoInstancesShareTheLoadAndTheLiveBackOffice() throws Exception {
        Providers.goodDay();
        store = ChangeStreamStore.start();
        String uri = "mongodb://127.0.0.1:" + store.getLocalAddress().getPort() + "/civicbot";
        client = MongoClients.create(uri);
        ReactiveMongoTemplate mongo = new ReactiveMongoTemplate(client, "civicbot");
        int[] ports = {FullStackTest.freePort(), FullStackTest.freePort()};
        for (int i = 0; i < 2; i++) {
            start("instance-" + i, ports[i], uri);
        }
        for (int port : ports) {
            awaitHealthy(port);
        }

        long firstChat = Providers.newChat();
        for (int c = 1; c < CITIZENS; c++) {
            Providers.newChat();
        }
        long began = System.nanoTime();
        ExecutorService citizens = Executors.newFixedThreadPool(AT_ONCE);
        List<Future<List<String>>> sent = new ArrayList<>();
        for (int c = 0; c < CITIZENS; c++) {
            long chat = firstChat + c;
            sent.add(citizens.submit(() -> {
                List<String> ids = new ArrayList<>();
                for (int m = 0; m < SCRIPT.length; m++) {
                    long update = Providers.nextUpdateId();
                    // Alternately to each instance, each message once the previous one was acknowledged.
                    int port = ports[(int) ((chat + m) % 2)];
                    assertThat(postTelegram(port, update, chat, SCRIPT[m]).statusCode()).isEqualTo(200);
                    ids.add(InboundRecord.idOf(Channel.TELEGRAM, String.valueOf(update)));
                }
                return ids;
            }));
        }
        citizens.shutdown();
        Map<String, List<String>> acknowledged = new LinkedHashMap<>();
        Map<String, Long> chats = new HashMap<>();
        ConversationIds conversationIds = FullStackTest.conversationIds(mongo);
        for (int c = 0; c < CITIZENS; c++) {
            String conversationId = conversationIds.of(Channel.TELEGRAM, String.valueOf(firstChat + c));
            acknowledged.put(conversationId, sent.get(c).get());
            chats.put(conversationId, firstChat + c);
        }
        double acknowledgedIn = seconds(began);
        List<String> all = acknowledged.values().stream().flatMap(List::stream).toList();
        assertThat(all).hasSize(CITIZENS * SCRIPT.length).doesNotHaveDuplicates();

        // Every message processed, every reply sent, nothing left queued, half done or stuck.
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> mongo.count(
                query(where("_id").in(all).and("status").is(InboundRecord.Status.PROCESSED)), InboundRecord.class)
                .block() == all.size());
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> mongo.count(
                query(where("conversationId").in(acknowledged.keySet()).and("status").ne(DeliveryStatus.SENT)),
                OutboxEntry.class).block() == 0);
        double doneIn = seconds(began);
        // A turn carried out may be cleared from its conversation a moment later, with others.
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> mongo.count(
                query(where("_id").in(acknowledged.keySet()).orOperator(where("inbox.0").exists(true),
                        where("pendingTurn").exists(true))), "conversations").block() == 0);
        assertThat(mongo.count(new org.springframework.data.mongodb.core.query.Query(), "outbox_queue").block())
                .as("replies still queued for sending").isZero();

        // Turns in the order the messages were acknowledged, each once; each reply of each turn sent once, in order.
        Map<String, List<InboundRecord>> inbound = mongo.find(query(where("conversationId").in(acknowledged.keySet()))
                        .with(Sort.by("seq")), InboundRecord.class).collectList().block().stream()
                .collect(Collectors.groupingBy(InboundRecord::conversationId));
        Map<String, List<OutboxEntry>> outbox = mongo.find(query(where("conversationId").in(acknowledged.keySet()))
                        .with(Sort.by("seq")), OutboxEntry.class).collectList().block().stream()
                .collect(Collectors.groupingBy(OutboxEntry::conversationId));
        Map<String, List<String>> telegram = telegramTextsByChat();
        int replies = 0;
        for (Map.Entry<String, List<String>> conversation : acknowledged.entrySet()) {
            String id = conversation.getKey();
            assertThat(inbound.get(id)).as("turn order of %s", id).extracting(InboundRecord::id)
                    .containsExactlyElementsOf(conversation.getValue());
            List<OutboxEntry> repliesOf = outbox.get(id);
            assertThat(repliesOf.stream().map(e -> e.id().substring(0, e.id().lastIndexOf('/'))).distinct())
                    .as("replies of %s by turn", id).containsExactlyElementsOf(conversation.getValue());
            // Telegram shows the flows' *bold* as bold, without the asterisks.
            assertThat(telegram.getOrDefault(String.valueOf(chats.get(id)), List.of())).as("sent to %s", id)
                    .containsExactlyElementsOf(repliesOf.stream()
                            .map(r -> r.text().replaceAll("\\*([^*\\n]+)\\*", "$1")).toList());
            replies += repliesOf.size();
        }
        System.out.printf("Two instances: %d messages acknowledged in %.1f s (%.0f/s), all processed and %d replies"
                        + " sent in %.1f s (%.0f messages/s)%n", all.size(), acknowledgedIn, all.size() / acknowledgedIn,
                replies, doneIn, all.size() / doneIn);

        publishedOnOneIsServedByTheOther(ports);
        takeoverOnOneShowsLiveOnTheOther(ports, acknowledged.keySet().iterator().next());
    }

    /** A flow published on one instance is what the other says within seconds, without a restart. */
    private void publishedOnOneIsServedByTheOther(int[] ports) throws Exception {
        String original = "Hola! Sóc l'assistent de l'Ajuntament.";
        String published = "Hola! Aquest text s'ha publicat a l'altra instància.";
        String yaml = http.send(asAdmin(ports[0], "/api/v1/flows/main").GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(yaml).contains(original);
        assertThat(http.send(asAdmin(ports[0], "/api/v1/flows/main").header("Content-Type", "text/yaml")
                .PUT(HttpRequest.BodyPublishers.ofString(yaml.replace(original, published))).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(http.send(asAdmin(ports[0], "/api/v1/flows/main/publish").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"comment\": \"des de la instància 0\"}")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        long newcomer = Providers.newChat();
        // A "hola" a second to the other instance, until its answer is the published text.
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).until(() -> {
            postTelegram(ports[1], Providers.nextUpdateId(), newcomer, "hola");
            return Providers.telegramMessagesTo(newcomer).stream().anyMatch(m -> m.path("text").asText()
                    .contains(published));
        });
    }

    /**
     * A staff member has the conversation page and the inbox open on the first instance; a colleague takes the
     * conversation over through the second's API. Both pages' event streams say so at once (the first instance
     * changed nothing: only the store's change stream can have told it), and the page's header, which the event
     * makes the browser reload, shows who has it.
     */
    private void takeoverOnOneShowsLiveOnTheOther(int[] ports, String conversationId) throws Exception {
        String session = signIn(ports[0], "admin", "admin-password");
        Queue<String> conversationPage = listen(ports[0], "/conversations/" + conversationId + "/events", session);
        Queue<String> inbox = listen(ports[0], "/inbox/events", session);

        HttpResponse<String> takeover = http.send(asAdmin(ports[1], "/api/v1/conversations/" + conversationId
                + "/takeover").POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(takeover.statusCode()).as(takeover.body()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> conversationPage.contains("data:" + conversationId)
                && inbox.contains("data:" + conversationId));
        assertThat(conversationPage).contains("event:changed");
        String header = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + ports[0] + "/conversations/"
                + conversationId + "/meta")).header("Cookie", "SESSION=" + session).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(header).contains("data-state=\"AGENT:admin\"");
    }

    /** Signs in with the login form, as a browser does, and returns the session's id. */
    private String signIn(int port, String username, String password) throws Exception {
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/login"))
                .build(), HttpResponse.BodyHandlers.ofString());
        Matcher field = CSRF_FIELD.matcher(login.body());
        assertThat(field.find()).as("the login form's token").isTrue();
        String form = Stream.of("username=" + username, "password=" + password, "_csrf=" + field.group(1))
                .map(pair -> pair.substring(0, pair.indexOf('=') + 1)
                        + URLEncoder.encode(pair.substring(pair.indexOf('=') + 1), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/login")).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", "XSRF-TOKEN=" + cookie(login, "XSRF-TOKEN"))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(signedIn.statusCode()).as("signed in").isEqualTo(302);
        return cookie(signedIn, "SESSION");
    }

    private static String cookie(HttpResponse<?> response, String name) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .map(c -> c.substring(name.length() + 1, c.indexOf(';') < 0 ? c.length() : c.indexOf(';')))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " cookie"));
    }

    /** Opens a page's event stream and collects its lines as they come; returns once the stream is open. */
    private Queue<String> listen(int port, String path, String session) throws Exception {
        Queue<String> lines = new ConcurrentLinkedQueue<>();
        HttpResponse<Stream<String>> stream = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + path)).header("Accept", "text/event-stream").header("Cookie", "SESSION=" + session).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).as(path).isEqualTo(200);
        Thread reader = new Thread(() -> stream.body().forEach(lines::add), "sse " + path);
        reader.setDaemon(true);
        reader.start();
        // The stream's first line (a comment) comes once the page listens to the feed.
        await().atMost(Duration.ofSeconds(10)).until(() -> !lines.isEmpty());
        return lines;
    }

    /** What Telegram was asked to send, by chat, in the order asked (read once: the journal holds thousands). */
    private Map<String, List<String>> telegramTextsByChat() throws IOException {
        Map<String, List<String>> texts = new HashMap<>();
        for (LoggedRequest request : Providers.TELEGRAM.findAll(postRequestedFor(
                urlPathMatching("/bot" + Providers.TELEGRAM_TOKEN + "/(?i)sendmessage")))) {
            JsonNode body = json.readTree(request.getBodyAsString());
            texts.computeIfAbsent(body.path("chat_id").asText(), chat -> new ArrayList<>())
                    .add(body.path("text").asText());
        }
        return texts;
    }

    private HttpResponse<Void> postTelegram(int port, long update, long chat, String text) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/webhooks/telegram"))
                .header("Content-Type", "application/json")
                .header("X-Telegram-Bot-Api-Secret-Token", Providers.TELEGRAM_SECRET)
                .POST(HttpRequest.BodyPublishers.ofString(Providers.telegramText(update, chat, "Dues", "Instàncies",
                        text))).build(), HttpResponse.BodyHandlers.discarding());
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static HttpRequest.Builder asAdmin(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString("admin:admin-password".getBytes(StandardCharsets.UTF_8)));
    }

    private void start(String name, int port, String uri) throws IOException {
        String jar = System.getProperty("civicbot.jar");
        assertThat(jar).as("system property civicbot.jar (set by the build)").isNotNull();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx384m", "-jar", jar, "--server.port=" + port, "--spring.mongodb.uri=" + uri,
                "--management.server.port=-1"));
        FullStackTest.commonProperties(FullStackTest.tempDir()).forEach((property, value) -> {
            // Set below (a property given twice on the command line would be read as a list).
            if (!List.of("management.server.port", "civicbot.flows.check-every", "civicbot.live.change-streams",
                    "civicbot.telegram.max-per-second").contains(property)) {
                command.add("--" + property + "=" + value);
            }
        });
        // Each instance looks for a newer flow revision every second, as it would in service (2 s by default).
        command.add("--civicbot.flows.check-every=1s");
        // The test's store serves change streams without saying it is a replica set.
        command.add("--civicbot.live.change-streams=on");
        // 2,000 messages' replies go out at the speed of the test, not of Telegram's free tier.
        command.add("--civicbot.telegram.max-per-second=1000");
        Path log = Path.of("target", "two-instances-" + name + ".log");
        started.add(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start());
    }

    private void awaitHealthy(int port) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> {
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body().contains("\"UP\"");
            } catch (IOException e) {
                return false;
            }
        });
    }
}

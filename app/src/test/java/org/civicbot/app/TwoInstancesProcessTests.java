package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.ConversationIds;
import org.civicbot.bot.inbound.InboundRecord;
import org.civicbot.bot.outbox.DeliveryStatus;
import org.civicbot.bot.outbox.OutboxEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

/**
 * Two instances of the real jar on one store (a MongoDB-wire-protocol server of the test's own, as a
 * MongoDB server would be shared): each citizen's messages go to one instance or the other, one after
 * the other, and every message gets its turn once, in the order it was acknowledged, and every reply
 * is sent once.
 */
class TwoInstancesProcessTests {

    static final Duration PATIENCE = Duration.ofSeconds(90);
    static final int CITIZENS = 12;
    static final String[] SCRIPT = {"hola", "3", "1", "menu", "8", "hola"};

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final List<Process> started = new ArrayList<>();
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
    void twoInstancesApplyEachMessageOnceInOrderAndSendEachReplyOnce() throws Exception {
        Providers.goodDay();
        store = new MongoServer(new MemoryBackend());
        String uri = "mongodb://127.0.0.1:" + store.bind().getPort() + "/civicbot";
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
        ExecutorService citizens = Executors.newFixedThreadPool(CITIZENS);
        List<Future<List<String>>> sent = new ArrayList<>();
        for (int c = 0; c < CITIZENS; c++) {
            long chat = firstChat + c;
            sent.add(citizens.submit(() -> {
                List<String> ids = new ArrayList<>();
                for (int m = 0; m < SCRIPT.length; m++) {
                    long update = Providers.nextUpdateId();
                    // Alternately to each instance, each message once the previous one was acknowledged.
                    int port = ports[(int) ((chat + m) % 2)];
                    HttpResponse<Void> response = http.send(HttpRequest.newBuilder(
                                    URI.create("http://localhost:" + port + "/webhooks/telegram"))
                            .header("Content-Type", "application/json")
                            .header("X-Telegram-Bot-Api-Secret-Token", Providers.TELEGRAM_SECRET)
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    Providers.telegramText(update, chat, "Dues", "Instàncies", SCRIPT[m])))
                            .build(), HttpResponse.BodyHandlers.discarding());
                    assertThat(response.statusCode()).isEqualTo(200);
                    ids.add(InboundRecord.idOf(Channel.TELEGRAM, String.valueOf(update)));
                }
                return ids;
            }));
        }
        citizens.shutdown();

        for (int c = 0; c < CITIZENS; c++) {
            List<String> acknowledged = sent.get(c).get();
            String conversationId = FullStackTest.conversationIds(mongo).of(Channel.TELEGRAM, String.valueOf(firstChat + c));
            await().atMost(PATIENCE).until(() -> acknowledged.stream().allMatch(id -> mongo.findById(id,
                    InboundRecord.class).block().status() == InboundRecord.Status.PROCESSED));
            await().atMost(PATIENCE).until(() -> mongo.find(query(where("conversationId").is(conversationId)),
                    OutboxEntry.class).all(e -> e.status() == DeliveryStatus.SENT).block());

            // Turns in the order the messages were acknowledged, each once.
            List<String> applied = mongo.find(query(where("conversationId").is(conversationId))
                    .with(Sort.by("seq")), InboundRecord.class).map(InboundRecord::id).collectList().block();
            assertThat(applied).as("turn order of %s", conversationId).containsExactlyElementsOf(acknowledged);
            List<OutboxEntry> replies = mongo.find(query(where("conversationId").is(conversationId))
                    .with(Sort.by("seq")), OutboxEntry.class).collectList().block();
            List<String> turnsOfReplies = replies.stream().map(e -> e.id().substring(0, e.id().lastIndexOf('/')))
                    .distinct().toList();
            assertThat(turnsOfReplies).as("replies of %s by turn", conversationId).containsExactlyElementsOf(acknowledged);
            // Each reply reached Telegram once, in the order of the conversation.
            List<String> texts = Providers.telegramMessagesTo(firstChat + c).stream()
                    .map(m -> m.path("text").asText()).toList();
            // Telegram shows the flows' *bold* as bold, without the asterisks.
            assertThat(texts).as("sent to %s", conversationId).containsExactlyElementsOf(replies.stream()
                    .map(r -> r.text().replaceAll("\\*([^*\\n]+)\\*", "$1")).toList());
        }

        // A flow published on one instance is what the other says within seconds, without a restart.
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
            http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + ports[1] + "/webhooks/telegram"))
                    .header("Content-Type", "application/json")
                    .header("X-Telegram-Bot-Api-Secret-Token", Providers.TELEGRAM_SECRET)
                    .POST(HttpRequest.BodyPublishers.ofString(Providers.telegramText(Providers.nextUpdateId(),
                            newcomer, "Nova", "Veïna", "hola"))).build(), HttpResponse.BodyHandlers.discarding());
            return Providers.telegramMessagesTo(newcomer).stream().anyMatch(m -> m.path("text").asText()
                    .contains(published));
        });
    }

    private static HttpRequest.Builder asAdmin(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Authorization", "Basic "
                + java.util.Base64.getEncoder().encodeToString("admin:admin-password".getBytes(
                        java.nio.charset.StandardCharsets.UTF_8)));
    }

    private void start(String name, int port, String uri) throws IOException {
        String jar = System.getProperty("civicbot.jar");
        assertThat(jar).as("system property civicbot.jar (set by the build)").isNotNull();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx384m", "-jar", jar, "--server.port=" + port, "--spring.mongodb.uri=" + uri,
                "--management.server.port=-1"));
        FullStackTest.commonProperties(FullStackTest.tempDir()).forEach((property, value) -> {
            if (!property.equals("management.server.port") && !property.equals("civicbot.flows.check-every")) {
                command.add("--" + property + "=" + value);
            }
        });
        // Each instance looks for a newer flow revision every second, as it would in service (2 s by default).
        command.add("--civicbot.flows.check-every=1s");
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

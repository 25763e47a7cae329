package org.civicbot.channels.telegram;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.civicbot.bot.Channel;
import org.civicbot.bot.inbound.InboundContent;
import org.civicbot.bot.inbound.InboundMessage;
import org.civicbot.channels.RecordingIntake;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.scheduler.Schedulers;

class TelegramWebhookTests {

    static final String TOKEN = "123456:test-token";
    static final String SECRET = "webhook-secret";
    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    static final String CHAT = "{\"id\": 4242, \"type\": \"private\"}";
    static final String FROM = "{\"id\": 4242, \"is_bot\": false, \"first_name\": \"Ana\", \"last_name\": \"Puig\"}";

    /** Started once per class, reset before each test. */
    @RegisterExtension
    static WireMockExtension wireMock = WireMockExtension.newInstance().options(options().dynamicPort()).build();
    RecordingIntake intake;
    WebTestClient client;

    @BeforeEach
    void setUp() {
        intake = new RecordingIntake();
        CallbackAnswers answers = new CallbackAnswers(TelegramClients.create(TOKEN, URI.create(wireMock.baseUrl())),
                Schedulers.immediate());
        TelegramWebhook webhook = new TelegramWebhook(SECRET, intake, answers, Clock.fixed(NOW, ZoneOffset.UTC));
        client = WebTestClient.bindToRouterFunction(webhook.routes()).build();
    }

    @Test
    void rejectsAMissingOrWrongSecretAndStoresNothing() {
        for (String secret : new String[] {null, "", "wrong-secret", SECRET + "x"}) {
            client.post().uri(TelegramWebhook.PATH)
                    .headers(h -> {
                        if (secret != null) {
                            h.set(TelegramWebhook.SECRET_HEADER, secret);
                        }
                    })
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(message(1, "\"text\": \"hola\""))
                    .exchange()
                    .expectStatus().isUnauthorized()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }

        assertThat(intake.received).isEmpty();
        assertThat(intake.setAside).isEmpty();
    }

    record UpdateCase(String label, String body, InboundContent expected) {}

    @Test
    void parsesEachKindOfMessage() {
        List<UpdateCase> cases = List.of(
                new UpdateCase("text", message(10, "\"text\": \"hola\""), new InboundContent.Text("hola")),
                new UpdateCase("command", message(11,
                        "\"text\": \"/start\", \"entities\": [{\"type\": \"bot_command\", \"offset\": 0, \"length\": 6}]"),
                        new InboundContent.Text("/start")),
                new UpdateCase("location", message(12, "\"location\": {\"latitude\": 41.72, \"longitude\": 1.82}"),
                        new InboundContent.Location(41.72, 1.82, null, null)),
                new UpdateCase("venue", message(13, "\"location\": {\"latitude\": 41.72, \"longitude\": 1.82},"
                        + " \"venue\": {\"location\": {\"latitude\": 41.72, \"longitude\": 1.82},"
                        + " \"title\": \"Ajuntament\", \"address\": \"Plaça Major, 1\"}"),
                        new InboundContent.Location(41.72, 1.82, "Plaça Major, 1", "Ajuntament")),
                new UpdateCase("photo, largest size", message(14, "\"caption\": \"farola\", \"photo\": ["
                        + "{\"file_id\": \"small\", \"file_unique_id\": \"s\", \"width\": 90, \"height\": 67, \"file_size\": 1200},"
                        + "{\"file_id\": \"large\", \"file_unique_id\": \"l\", \"width\": 1280, \"height\": 960, \"file_size\": 98000},"
                        + "{\"file_id\": \"medium\", \"file_unique_id\": \"m\", \"width\": 320, \"height\": 240, \"file_size\": 15000}]"),
                        new InboundContent.Media(List.of(new InboundContent.MediaRef("large", "image/jpeg")), "farola")));

        for (UpdateCase c : cases) {
            post(c.body()).expectStatus().isOk();
        }

        assertThat(intake.received).extracting(InboundMessage::content)
                .containsExactlyElementsOf(cases.stream().map(UpdateCase::expected).toList());
        assertThat(intake.received.get(0)).isEqualTo(new InboundMessage(Channel.TELEGRAM, "10", "4242", "Ana Puig",
                new InboundContent.Text("hola"), NOW));
        assertThat(intake.setAside).isEmpty();
    }

    @Test
    void storesAButtonPressAsAChoiceAndAnswersTheCallbackQuery() {
        wireMock.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/bot" + TOKEN + "/answercallbackquery")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"ok\": true, \"result\": true}")));

        post("{\"update_id\": 20, \"callback_query\": {\"id\": \"cbq-1\", \"from\": " + FROM
                + ", \"chat_instance\": \"ci\", \"data\": \"2\", \"message\": {\"message_id\": 9, \"date\": 1700000000,"
                + " \"chat\": " + CHAT + ", \"text\": \"Què vols fer?\"}}}")
                .expectStatus().isOk();

        assertThat(intake.received).singleElement().satisfies(m -> {
            assertThat(m.address()).isEqualTo("4242");
            assertThat(m.content()).isEqualTo(new InboundContent.Choice("2", "cbq-1"));
        });
        wireMock.verify(postRequestedFor(urlPathEqualTo("/bot" + TOKEN + "/answercallbackquery"))
                .withRequestBody(matchingJsonPath("$.callback_query_id", equalTo("cbq-1"))));
    }

    @Test
    void setsAsideAPoisonUpdateAndAnswers200() {
        record PoisonCase(String label, String body, String providerId) {}
        List<PoisonCase> cases = List.of(
                new PoisonCase("not JSON", "{not json", null),
                new PoisonCase("no message", "{\"update_id\": 30}", "30"),
                new PoisonCase("an edited message", "{\"update_id\": 31, \"edited_message\": {\"message_id\": 1,"
                        + " \"date\": 1, \"chat\": " + CHAT + ", \"text\": \"x\"}}", "31"),
                new PoisonCase("a message in a group", "{\"update_id\": 33, \"message\": {\"message_id\": 1, \"date\": 1,"
                        + " \"chat\": {\"id\": -100123, \"type\": \"group\", \"title\": \"Veïns\"}, \"text\": \"hola\"}}", "33"));

        for (PoisonCase c : cases) {
            post(c.body()).expectStatus().isOk();
        }

        assertThat(intake.received).isEmpty();
        assertThat(intake.setAside).hasSize(cases.size());
        assertThat(intake.setAside.get(0).providerId()).startsWith("unparseable-");
        assertThat(intake.setAside.subList(1, 4)).extracting(RecordingIntake.SetAside::providerId)
                .containsExactly("30", "31", "33");
        assertThat(intake.setAside).allSatisfy(s -> assertThat(s.channel()).isEqualTo(Channel.TELEGRAM));
    }

    /** What the bot cannot take is stored and answered (the flows say what it can take), never dropped. */
    @Test
    void takesAStickerAVoiceNoteAndADocumentAsUnsupportedContent() {
        post(message(40, "\"sticker\": {\"file_id\": \"st\", \"file_unique_id\": \"u\", \"type\": \"regular\","
                + " \"width\": 1, \"height\": 1, \"is_animated\": false, \"is_video\": false}")).expectStatus().isOk();
        post(message(41, "\"voice\": {\"file_id\": \"v\", \"file_unique_id\": \"u\", \"duration\": 3}"))
                .expectStatus().isOk();
        post(message(42, "\"document\": {\"file_id\": \"d\", \"file_unique_id\": \"u\", \"file_name\": \"a.pdf\"}"))
                .expectStatus().isOk();

        assertThat(intake.setAside).isEmpty();
        assertThat(intake.received).extracting(InboundMessage::content).containsExactly(
                new InboundContent.Unsupported("sticker"), new InboundContent.Unsupported("voice"),
                new InboundContent.Unsupported("document"));
    }

    @Test
    void answersADuplicateUpdateWith200() {
        post(message(40, "\"text\": \"hola\"")).expectStatus().isOk();
        post(message(40, "\"text\": \"hola\"")).expectStatus().isOk();

        assertThat(intake.received).hasSize(1);
    }

    @Test
    void answers503WhenAGoodUpdateCannotBeStored() {
        intake.failStorage();

        post(message(50, "\"text\": \"hola\"")).expectStatus().isEqualTo(503);
    }

    private WebTestClient.ResponseSpec post(String body) {
        return client.post().uri(TelegramWebhook.PATH)
                .header(TelegramWebhook.SECRET_HEADER, SECRET)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    static String message(int updateId, String fields) {
        return "{\"update_id\": " + updateId + ", \"message\": {\"message_id\": " + (updateId + 1000)
                + ", \"date\": 1700000000, \"chat\": " + CHAT + ", \"from\": " + FROM + ", " + fields + "}}";
    }
}

package org.civicbot.channels.telegram;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.civicbot.bot.Channel;
import org.civicbot.bot.outbox.OutboundMessage;
import org.civicbot.bot.outbox.SendOutcome;
import org.civicbot.channels.FreePort;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

class TelegramSenderTests {

    static final String TOKEN = "123456:test-token";
    static final String SEND = "/bot" + TOKEN + "/sendmessage";

    /** Started once per class, reset before each test. */
    @RegisterExtension
    static WireMockExtension wireMock = WireMockExtension.newInstance().options(options().dynamicPort()).build();
    TelegramSender sender;

    @BeforeEach
    void setUp() {
        sender = new TelegramSender(TelegramClients.create(TOKEN, URI.create(wireMock.baseUrl())), 30);
    }

    static OutboundMessage message(List<String> options) {
        return new OutboundMessage("entry-1", Channel.TELEGRAM, "4242", "Què vols fer?", options);
    }

    private static void answer(int status, String body) {
        wireMock.stubFor(post(urlPathEqualTo(SEND)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    @Test
    void sendsAndNamesTheMessageByChatAndMessageId() {
        answer(200, "{\"ok\": true, \"result\": {\"message_id\": 77, \"date\": 1700000000,"
                + " \"chat\": {\"id\": 4242, \"type\": \"private\"}, \"text\": \"Què vols fer?\"}}");

        StepVerifier.create(sender.send(message(List.of())))
                .expectNext(new SendOutcome.Sent("4242:77"))
                .verifyComplete();

        wireMock.verify(postRequestedFor(urlPathEqualTo(SEND))
                .withRequestBody(matchingJsonPath("$.chat_id", equalTo("4242")))
                .withRequestBody(matchingJsonPath("$.text", equalTo("Què vols fer?"))));
    }

    /** WhatsApp's *bold*, as the flows write it, becomes a bold entity on Telegram: no asterisks on screen. */
    @Test
    void showsWhatsAppBoldAsBoldWithoutTheAsterisks() {
        answer(200, "{\"ok\": true, \"result\": {\"message_id\": 78, \"date\": 1700000000,"
                + " \"chat\": {\"id\": 4242, \"type\": \"private\"}, \"text\": \"x\"}}");

        StepVerifier.create(sender.send(new OutboundMessage("e-bold", Channel.TELEGRAM, "4242",
                        "*Farmàcies de guàrdia* 👋\nLa d'avui és al web (2*3 no és negreta).", List.of())))
                .expectNext(new SendOutcome.Sent("4242:78"))
                .verifyComplete();

        wireMock.verify(postRequestedFor(urlPathEqualTo(SEND))
                .withRequestBody(matchingJsonPath("$.text",
                        equalTo("Farmàcies de guàrdia 👋\nLa d'avui és al web (2*3 no és negreta).")))
                .withRequestBody(matchingJsonPath("$.entities[0].type", equalTo("bold")))
                .withRequestBody(matchingJsonPath("$.entities[0].offset", equalTo("0")))
                .withRequestBody(matchingJsonPath("$.entities[0].length", equalTo("20"))));
        org.assertj.core.api.Assertions.assertThat(TelegramSender.Formatted.of("sense res").bold()).isEmpty();
    }

    @Test
    void namesTheMenuInTheButtonsSoAnOlderMenusPressIsRecognised() {
        answer(200, "{\"ok\": true, \"result\": {\"message_id\": 79, \"date\": 1700000000,"
                + " \"chat\": {\"id\": 4242, \"type\": \"private\"}, \"text\": \"Quin tipus?\"}}");

        sender.send(new OutboundMessage("entry-2", Channel.TELEGRAM, "4242", "Quin tipus?",
                List.of("Neteja", "Parcs"), "incident/category")).block();
        sender.send(new OutboundMessage("entry-3", Channel.TELEGRAM, "4242", "Quin tipus?",
                List.of("Neteja"), "a-flow-with-a-name-far-too-long/and-a-node-with-a-name-far-too-long")).block();

        wireMock.verify(postRequestedFor(urlPathEqualTo(SEND))
                .withRequestBody(matchingJsonPath("$.reply_markup.inline_keyboard[1][0].callback_data",
                        equalTo("incident/category|2"))));
        // Over Telegram's 64 bytes, the position alone still works for the current menu.
        wireMock.verify(postRequestedFor(urlPathEqualTo(SEND))
                .withRequestBody(matchingJsonPath("$.reply_markup.inline_keyboard[0][0].callback_data", equalTo("1"))));
    }

    @Test
    void rendersAMenuAsAnInlineKeyboardOfPositions() {
        answer(200, "{\"ok\": true, \"result\": {\"message_id\": 78, \"date\": 1700000000,"
                + " \"chat\": {\"id\": 4242, \"type\": \"private\"}, \"text\": \"Què vols fer?\"}}");

        StepVerifier.create(sender.send(message(List.of("Avisar d'una incidència", "Demanar cita"))))
                .expectNext(new SendOutcome.Sent("4242:78"))
                .verifyComplete();

        wireMock.verify(postRequestedFor(urlPathEqualTo(SEND))
                .withRequestBody(matchingJsonPath("$.reply_markup.inline_keyboard[0][0].callback_data", equalTo("1")))
                .withRequestBody(matchingJsonPath("$.reply_markup.inline_keyboard[0][0].text",
                        equalTo("Avisar d'una incidència")))
                .withRequestBody(matchingJsonPath("$.reply_markup.inline_keyboard[1][0].callback_data", equalTo("2")))
                .withRequestBody(matchingJsonPath("$.reply_markup.inline_keyboard[1][0].text", equalTo("Demanar cita"))));
    }

    @Test
    void classifiesAServerErrorAsRetryable() {
        answer(500, "{\"ok\": false, \"error_code\": 500, \"description\": \"Internal Server Error\"}");

        StepVerifier.create(sender.send(message(List.of())))
                .assertNext(outcome -> assertThat(outcome).isInstanceOf(SendOutcome.Retryable.class))
                .verifyComplete();
    }

    @Test
    void classifiesTooManyRequestsAsRetryableAfterRetryAfter() {
        answer(429, "{\"ok\": false, \"error_code\": 429, \"description\": \"Too Many Requests: retry after 7\","
                + " \"parameters\": {\"retry_after\": 7}}");

        StepVerifier.create(sender.send(message(List.of())))
                .assertNext(outcome -> assertThat(outcome).isInstanceOfSatisfying(SendOutcome.Retryable.class,
                        retryable -> assertThat(retryable.retryAfter()).contains(Duration.ofSeconds(7))))
                .verifyComplete();
    }

    @Test
    void classifiesABadRequestAsPermanent() {
        answer(400, "{\"ok\": false, \"error_code\": 400, \"description\": \"Bad Request: chat not found\"}");

        StepVerifier.create(sender.send(message(List.of())))
                .assertNext(outcome -> assertThat(outcome).isInstanceOfSatisfying(SendOutcome.Permanent.class,
                        permanent -> assertThat(permanent.reason()).contains("400")))
                .verifyComplete();
    }

    @Test
    void classifiesARefusedConnectionAsRetryable() {
        TelegramSender unreachable = new TelegramSender(
                TelegramClients.create(TOKEN, URI.create("http://localhost:" + FreePort.closed())), 30);

        StepVerifier.create(unreachable.send(message(List.of())))
                .assertNext(outcome -> assertThat(outcome).isInstanceOf(SendOutcome.Retryable.class))
                .verifyComplete();
    }
}

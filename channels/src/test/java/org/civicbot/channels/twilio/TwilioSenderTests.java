package org.civicbot.channels.twilio;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.twilio.http.TwilioRestClient;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.civicbot.bot.Channel;
import org.civicbot.bot.outbox.OutboundMessage;
import org.civicbot.bot.outbox.SendOutcome;
import org.civicbot.channels.FreePort;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

class TwilioSenderTests {

    static final String SID = "ACtest";
    static final String TOKEN = "twilio-auth-token";
    static final String MESSAGES = "/2010-04-01/Accounts/" + SID + "/Messages.json";

    /** Started once per class, reset before each test. */
    @RegisterExtension
    static WireMockExtension wireMock = WireMockExtension.newInstance().options(options().dynamicPort()).build();

    @BeforeEach
    void reset() {
    }

    static TwilioSender senderAt(String baseUrl) {
        RewritingHttpClient http = new RewritingHttpClient(URI.create(baseUrl));
        TwilioRestClient client = new TwilioRestClient.Builder(SID, TOKEN).httpClient(http).build();
        return new TwilioSender(client, http, "whatsapp:+34930000000",
                "https://civicbot.example.org/webhooks/twilio/status", 80);
    }

    static OutboundMessage message(String text, List<String> options) {
        return new OutboundMessage("entry-1", Channel.WHATSAPP, "whatsapp:+34600111222", text, options);
    }

    @Test
    void sendsThroughTheMessagesApiWithBasicAuthAndReturnsTheSid() {
        wireMock.stubFor(post(urlPathEqualTo(MESSAGES)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"sid\": \"SM0123\", \"status\": \"queued\"}")));

        StepVerifier.create(senderAt(wireMock.baseUrl()).send(message("Hola!", List.of())))
                .expectNext(new SendOutcome.Sent("SM0123"))
                .verifyComplete();

        wireMock.verify(postRequestedFor(urlPathEqualTo(MESSAGES)).withBasicAuth(
                new com.github.tomakehurst.wiremock.client.BasicCredentials(SID, TOKEN)));
        Map<String, String> form = receivedForm();
        assertThat(form).containsEntry("To", "whatsapp:+34600111222")
                .containsEntry("From", "whatsapp:+34930000000")
                .containsEntry("Body", "Hola!")
                // Twilio reports this message's status naming our entry, so the report finds it at once.
                .containsEntry("StatusCallback", "https://civicbot.example.org/webhooks/twilio/status?entry=entry-1");
    }

    @Test
    void rendersAMenuAsNumberedLines() {
        wireMock.stubFor(post(urlPathEqualTo(MESSAGES)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"sid\": \"SM0124\"}")));

        StepVerifier.create(senderAt(wireMock.baseUrl())
                        .send(message("Què vols fer?", List.of("Avisar d'una incidència", "Demanar cita"))))
                .expectNext(new SendOutcome.Sent("SM0124"))
                .verifyComplete();

        assertThat(receivedForm()).containsEntry("Body", "Què vols fer?\n\n1. Avisar d'una incidència\n2. Demanar cita");
    }

    @Test
    void classifiesAServerErrorAsRetryableAndSendsOnlyOnce() {
        wireMock.stubFor(post(urlPathEqualTo(MESSAGES)).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"code\": 20503, \"message\": \"Service Unavailable\", \"status\": 503}")));

        StepVerifier.create(senderAt(wireMock.baseUrl()).send(message("Hola!", List.of())))
                .assertNext(outcome -> assertThat(outcome).isInstanceOf(SendOutcome.Retryable.class))
                .verifyComplete();

        wireMock.verify(1, postRequestedFor(urlPathEqualTo(MESSAGES)));
    }

    @Test
    void classifiesTooManyRequestsAsRetryableAfterWhatTwilioAsked() {
        wireMock.stubFor(post(urlPathEqualTo(MESSAGES)).willReturn(aResponse().withStatus(429)
                .withHeader("Content-Type", "application/json").withHeader("Retry-After", "30")
                .withBody("{\"code\": 20429, \"message\": \"Too Many Requests\", \"status\": 429}")));

        StepVerifier.create(senderAt(wireMock.baseUrl()).send(message("Hola!", List.of())))
                .assertNext(outcome -> assertThat(outcome).isInstanceOfSatisfying(SendOutcome.Retryable.class,
                        retryable -> assertThat(retryable.retryAfter()).contains(Duration.ofSeconds(30))))
                .verifyComplete();

        // neither the SDK nor Apache HttpClient may wait and repeat the POST on its own
        wireMock.verify(1, postRequestedFor(urlPathEqualTo(MESSAGES)));
    }

    @Test
    void classifiesAClientErrorAsPermanentWithTwiliosCode() {
        wireMock.stubFor(post(urlPathEqualTo(MESSAGES)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"code\": 21211, \"message\": \"The 'To' number whatsapp:+34600111222 is not a valid phone number.\","
                        + " \"more_info\": \"https://www.twilio.com/docs/errors/21211\", \"status\": 400}")));

        StepVerifier.create(senderAt(wireMock.baseUrl()).send(message("Hola!", List.of())))
                .assertNext(outcome -> assertThat(outcome).isInstanceOfSatisfying(SendOutcome.Permanent.class,
                        permanent -> assertThat(permanent.reason()).contains("21211").doesNotContain("+34600111222")))
                .verifyComplete();
    }

    @Test
    void classifiesARefusedConnectionAsRetryable() {
        StepVerifier.create(senderAt("http://localhost:" + FreePort.closed()).send(message("Hola!", List.of())))
                .assertNext(outcome -> assertThat(outcome).isEqualTo(
                        new SendOutcome.Retryable("could not connect to Twilio", Optional.empty())))
                .verifyComplete();
    }

    @Test
    void classifiesAConnectionLostAfterSendingAsUnknownAndDoesNotSendAgain() {
        wireMock.stubFor(post(urlPathEqualTo(MESSAGES)).willReturn(aResponse()
                .withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));

        StepVerifier.create(senderAt(wireMock.baseUrl()).send(message("Hola!", List.of())))
                .assertNext(outcome -> assertThat(outcome).isInstanceOf(SendOutcome.Unknown.class))
                .verifyComplete();
        wireMock.verify(1, postRequestedFor(urlPathEqualTo(MESSAGES)));
    }

    private static Map<String, String> receivedForm() {
        String body = wireMock.getAllServeEvents().get(0).getRequest().getBodyAsString();
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            String[] nameValue = pair.split("=", 2);
            form.put(URLDecoder.decode(nameValue[0], StandardCharsets.UTF_8),
                    URLDecoder.decode(nameValue.length > 1 ? nameValue[1] : "", StandardCharsets.UTF_8));
        }
        return form;
    }

    @Test
    void readsRetryAfterOnlyInSeconds() {
        assertThat(TwilioSender.retryAfter(new com.twilio.http.Response("", 429,
                new org.apache.hc.core5.http.Header[] {new org.apache.hc.core5.http.message.BasicHeader("retry-after", "5")})))
                .contains(Duration.ofSeconds(5));
        assertThat(TwilioSender.retryAfter(new com.twilio.http.Response("", 429,
                new org.apache.hc.core5.http.Header[] {new org.apache.hc.core5.http.message.BasicHeader("Retry-After",
                        "Wed, 21 Oct 2026 07:28:00 GMT")})))
                .isEmpty();
    }
}

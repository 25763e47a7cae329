package org.civicbot.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.ConversationIds;
import org.civicbot.bot.outbox.DeliveryStatus;
import org.civicbot.bot.outbox.OutboxEntry;
import org.junit.jupiter.api.Test;

/** Failures the provider reports are retried when retrying can help, and only then. */
class SendFailureTests extends FullStackTest {

    /** The first send to {@code to} gets {@code first}; every later one succeeds. */
    private void firstSendTo(String to, ResponseDefinitionBuilder first) {
        String scenario = "first send to " + to;
        String encoded = "To=" + URLEncoder.encode(to, StandardCharsets.UTF_8);
        Providers.TWILIO.stubFor(post(urlPathEqualTo(Providers.MESSAGES)).atPriority(1)
                .withRequestBody(containing(encoded))
                .inScenario(scenario).whenScenarioStateIs(STARTED).willSetStateTo("recovered")
                .willReturn(first));
        Providers.TWILIO.stubFor(post(urlPathEqualTo(Providers.MESSAGES)).atPriority(1)
                .withRequestBody(containing(encoded))
                .inScenario(scenario).whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"sid\": \"SMrecovered" + Math.abs(to.hashCode()) + "{{randomValue length=6}}\"}")
                        .withTransformers("response-template")));
    }

    private List<LoggedRequest> requestsTo(String to) {
        String encoded = "To=" + URLEncoder.encode(to, StandardCharsets.UTF_8);
        return Providers.TWILIO.findAll(postRequestedFor(urlPathEqualTo(Providers.MESSAGES))
                .withRequestBody(containing(encoded)));
    }

    @Test
    void retriesAServerErrorAndKeepsTheOrder() {
        String citizen = "whatsapp:+34600000401";
        firstSendTo(citizen, aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                .withBody("{\"code\": 20500, \"message\": \"Service unavailable\", \"status\": 503}"));

        whatsapp(citizen, "hola");
        List<OutboxEntry> entries = awaitOutboxSettled(conversationIds.of(Channel.WHATSAPP, citizen));

        assertThat(entries).extracting(OutboxEntry::status).containsExactly(DeliveryStatus.SENT, DeliveryStatus.SENT);
        assertThat(entries.get(0).attempts()).isEqualTo(2);
        assertThat(entries.get(1).attempts()).isEqualTo(1);
        List<String> bodies = Providers.twilioBodiesTo(citizen);
        assertThat(bodies).hasSize(3);
        assertThat(bodies.get(0)).isEqualTo(bodies.get(1)).startsWith(entries.get(0).text());
        assertThat(bodies.get(2)).startsWith(entries.get(1).text());
    }

    @Test
    void retriesATooManyRequestsAnswerNoSoonerThanItsRetryAfter() {
        String citizen = "whatsapp:+34600000402";
        firstSendTo(citizen, aResponse().withStatus(429).withHeader("Retry-After", "2")
                .withHeader("Content-Type", "application/json")
                .withBody("{\"code\": 20429, \"message\": \"Too Many Requests\", \"status\": 429}"));

        whatsapp(citizen, "hola");
        List<OutboxEntry> entries = awaitOutboxSettled(conversationIds.of(Channel.WHATSAPP, citizen));

        assertThat(entries).extracting(OutboxEntry::status).containsOnly(DeliveryStatus.SENT);
        List<LoggedRequest> requests = requestsTo(citizen);
        assertThat(requests).hasSize(3);
        Duration waited = Duration.between(requests.get(0).getLoggedDate().toInstant(),
                requests.get(1).getLoggedDate().toInstant());
        assertThat(waited).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void marksAClientErrorFailedWithoutRetrying() {
        String citizen = "whatsapp:+34600000403";
        Providers.TWILIO.stubFor(post(urlPathEqualTo(Providers.MESSAGES)).atPriority(1)
                .withRequestBody(containing("To=" + URLEncoder.encode(citizen, StandardCharsets.UTF_8)))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"code\": 63016, \"message\": \"Outside the allowed window\", \"status\": 400}")));

        whatsapp(citizen, "hola");
        List<OutboxEntry> entries = awaitOutboxSettled(conversationIds.of(Channel.WHATSAPP, citizen));

        assertThat(entries).extracting(OutboxEntry::status).containsOnly(DeliveryStatus.FAILED);
        assertThat(entries).extracting(OutboxEntry::attempts).containsOnly(1);
        assertThat(entries.get(0).lastError()).contains("63016");
        assertThat(requestsTo(citizen)).hasSize(2);
    }
}

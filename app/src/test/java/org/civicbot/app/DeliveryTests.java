package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.ConversationIds;
import org.civicbot.bot.inbound.InboundRecord;
import org.civicbot.bot.outbox.OutboxEntry;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.Sort;

/** What providers retry, and what arrives at once, is handled once and in order. */
class DeliveryTests extends FullStackTest {

    @Test
    void storesAndAnswersATwilioMessageDeliveredTwiceOnce() {
        String citizen = "whatsapp:+34600000301";
        String sid = Providers.nextMessageSid();
        Map<String, String> form = Providers.whatsappText(citizen, sid, "hola");

        postTwilio(form).expectStatus().isOk().expectBody().returnResult();
        postTwilio(form).expectStatus().isOk().expectBody().returnResult();
        awaitProcessed(InboundRecord.idOf(Channel.WHATSAPP, sid));

        String conversationId = conversationIds.of(Channel.WHATSAPP, citizen);
        assertThat(count(InboundRecord.class, "conversationId", conversationId)).isEqualTo(1);
        List<OutboxEntry> replies = awaitOutboxSettled(conversationId);
        assertThat(replies).hasSize(2);
        assertThat(Providers.twilioBodiesTo(citizen)).hasSize(2);
    }

    @Test
    void storesAndAnswersATelegramUpdateDeliveredTwiceOnce() {
        long chat = 700_301;
        String update = Providers.telegramText(9301, chat, "hola");

        postTelegram(update).expectStatus().isOk().expectBody().returnResult();
        postTelegram(update).expectStatus().isOk().expectBody().returnResult();
        awaitProcessed(InboundRecord.idOf(Channel.TELEGRAM, "9301"));

        String conversationId = conversationIds.of(Channel.TELEGRAM, String.valueOf(chat));
        assertThat(count(InboundRecord.class, "conversationId", conversationId)).isEqualTo(1);
        awaitOutboxSettled(conversationId);
        assertThat(Providers.telegramTextsTo(chat)).hasSize(2);
    }

    @Test
    void appliesTwentyMessagesPostedAtOnceInTheOrderTheyArrived() {
        String citizen = "whatsapp:+34600000302";
        List<String> sids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sids.add(Providers.nextMessageSid());
        }
        // Twenty deliveries in flight together, as Twilio sends them when a citizen types fast.
        HttpClient client = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < sids.size(); i++) {
            Map<String, String> form = Providers.whatsappText(citizen, sids.get(i), i % 2 == 0 ? "hola" : "3");
            String body = form.entrySet().stream()
                    .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            inFlight.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                            + "/webhooks/twilio/whatsapp"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Twilio-Signature", Providers.twilioSignature(
                            Providers.PUBLIC_BASE + "/webhooks/twilio/whatsapp", form))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        assertThat(inFlight).allSatisfy(response -> assertThat(response.join().statusCode()).isEqualTo(200));
        sids.forEach(sid -> awaitProcessed(InboundRecord.idOf(Channel.WHATSAPP, sid)));

        String conversationId = conversationIds.of(Channel.WHATSAPP, citizen);
        List<String> arrivalOrder = mongo.find(query(where("conversationId").is(conversationId)).with(Sort.by("seq")),
                InboundRecord.class).map(InboundRecord::id).collectList().block();
        Set<String> turnOrder = new LinkedHashSet<>();
        for (OutboxEntry entry : outbox(conversationId)) {
            turnOrder.add(entry.id().substring(0, entry.id().lastIndexOf('/')));
        }
        assertThat(arrivalOrder).hasSize(20);
        assertThat(new ArrayList<>(turnOrder)).containsExactlyElementsOf(arrivalOrder);
        List<OutboxEntry> sent = awaitOutboxSettled(conversationId);
        List<String> bodies = Providers.twilioBodiesTo(citizen);
        assertThat(bodies).hasSameSizeAs(sent);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(bodies.get(i)).startsWith(sent.get(i).text());
        }
    }
}

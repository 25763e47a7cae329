package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.ConversationIds;
import org.civicbot.bot.inbound.InboundContent;
import org.civicbot.bot.inbound.InboundContentCodec;
import org.civicbot.bot.inbound.InboundRecord;
import org.civicbot.bot.outbox.DeliveryStatus;
import org.civicbot.bot.outbox.OutboxEntry;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * What kept failing is shown to staff, who act on it: a reply whose send is in doubt is sent again only
 * when a person says so, and a message that could not be processed is processed again on request.
 */
class DeliveryProblemsTests extends FullStackTest {

    @Test
    void listsAReplyInDoubtAndSendsItAgainOnlyWhenAskedOnce() {
        String citizen = "whatsapp:+34600000921";
        whatsapp(citizen, "hola");
        String conversationId = conversationIds.of(Channel.WHATSAPP, citizen);
        awaitOutboxSettled(conversationId);
        Instant now = Instant.now();
        mongo.insert(new OutboxEntry("doubt:" + conversationId + "/0", conversationId, Channel.WHATSAPP, citizen,
                "Demà passarà la brigada.", List.of(), 999_000_001L, "STAFF", "anna", DeliveryStatus.UNKNOWN, 1, null,
                null, null, "no answer within PT30S; not repeated", now, null, now, null)).block();

        String problems = web.get().uri("/api/v1/delivery-problems").headers(h -> h.setBasicAuth("admin", "admin-password"))
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(problems).contains("doubt:" + conversationId + "/0").contains("\"status\":\"UNKNOWN\"")
                .contains("/api/v1/conversations/" + conversationId + "/resend").doesNotContain("Demà passarà");
        assertThat(Providers.twilioBodiesTo(citizen)).doesNotContain("Demà passarà la brigada.");

        web.post().uri("/api/v1/conversations/{id}/resend", conversationId)
                .headers(h -> h.setBasicAuth("admin", "admin-password")).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("message", "doubt:" + conversationId + "/0")).exchange().expectStatus().isOk()
                .expectBody().returnResult();
        await().atMost(PATIENCE).until(() -> Providers.twilioBodiesTo(citizen).contains("Demà passarà la brigada."));
        // Sent now: a second request has nothing to send again.
        await().atMost(PATIENCE).until(() -> mongo.findById("doubt:" + conversationId + "/0", OutboxEntry.class)
                .block().status() == DeliveryStatus.SENT);
        web.post().uri("/api/v1/conversations/{id}/resend", conversationId)
                .headers(h -> h.setBasicAuth("admin", "admin-password")).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("message", "doubt:" + conversationId + "/0")).exchange().expectStatus().isEqualTo(409)
                .expectBody().returnResult();
        assertThat(Providers.twilioBodiesTo(citizen).stream().filter("Demà passarà la brigada."::equals)).hasSize(1);
    }

    @Test
    void processesAgainAMessageThatFailedWhenStaffAsk() {
        String citizen = "whatsapp:+34600000922";
        String sid = Providers.nextMessageSid();
        String conversationId = conversationIds.of(Channel.WHATSAPP, citizen);
        mongo.insert(new InboundRecord(InboundRecord.idOf(Channel.WHATSAPP, sid), Channel.WHATSAPP, sid, conversationId,
                citizen, "Rosa", InboundContentCodec.write(new InboundContent.Text("hola")), 0L,
                InboundRecord.Status.FAILED, Instant.now(), null, 3, "IllegalStateException", null)).block();
        // The conversation exists (its first message created it).
        whatsapp(citizen, "hola");

        String problems = web.get().uri("/api/v1/delivery-problems").headers(h -> h.setBasicAuth("admin", "admin-password"))
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(problems).contains(InboundRecord.idOf(Channel.WHATSAPP, sid)).contains("\"direction\":\"INBOUND\"");

        web.post().uri("/api/v1/conversations/{id}/retry", conversationId)
                .headers(h -> h.setBasicAuth("admin", "admin-password")).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("message", InboundRecord.idOf(Channel.WHATSAPP, sid))).exchange().expectStatus().isOk()
                .expectBody().returnResult();
        awaitProcessed(InboundRecord.idOf(Channel.WHATSAPP, sid));
    }
}

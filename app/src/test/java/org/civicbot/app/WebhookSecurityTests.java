package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.ConversationIds;
import org.civicbot.bot.inbound.InboundRecord;
import org.junit.jupiter.api.Test;

/** Deliveries that do not prove they come from the provider are refused, and nothing of them is kept. */
class WebhookSecurityTests extends FullStackTest {

    @Test
    void refusesATwilioDeliveryWithABadSignatureAndStoresNothing() {
        String citizen = "whatsapp:+34600000201";
        String sid = Providers.nextMessageSid();
        Map<String, String> form = Providers.whatsappText(citizen, sid, "hola");
        String signedForOtherBody = Providers.twilioSignature(Providers.PUBLIC_BASE + "/webhooks/twilio/whatsapp",
                Providers.whatsappText(citizen, sid, "adeu"));

        postTwilio(form, signedForOtherBody).expectStatus().isForbidden().expectBody().returnResult();
        postTwilio(form, null).expectStatus().isForbidden().expectBody().returnResult();

        assertThat(mongo.findById(InboundRecord.idOf(Channel.WHATSAPP, sid), InboundRecord.class).block()).isNull();
        assertThat(conversation(Channel.WHATSAPP, citizen)).isNull();
    }

    /**
     * A town hall may give Twilio a webhook address with a user and password in it (https://user:pass@host/...): Twilio
     * then sends them as HTTP Basic. They are not a staff member's, and the signature is what proves the delivery, so
     * they are ignored rather than refused (a refusal would have Twilio retry, and the message never arrive). Nor does a
     * provider's delivery start or touch a staff session.
     */
    @Test
    void takesASignedDeliveryWhateverCredentialsOrCookiesComeWithItAndStartsNoSession() {
        String citizen = "whatsapp:+34600000202";
        String sid = Providers.nextMessageSid();
        Map<String, String> form = Providers.whatsappText(citizen, sid, "hola");
        org.springframework.util.LinkedMultiValueMap<String, String> body = new org.springframework.util.LinkedMultiValueMap<>();
        form.forEach(body::add);

        var answer = web.post().uri("/webhooks/twilio/whatsapp")
                .contentType(org.springframework.http.MediaType.APPLICATION_FORM_URLENCODED)
                .header("X-Twilio-Signature", Providers.twilioSignature(Providers.PUBLIC_BASE + "/webhooks/twilio/whatsapp",
                        form))
                .headers(headers -> headers.setBasicAuth("townhall", "not-a-staff-password"))
                .cookie("SESSION", "a-session-nobody-has")
                .body(org.springframework.web.reactive.function.BodyInserters.fromFormData(body))
                .exchange();

        answer.expectStatus().isOk().expectHeader().doesNotExist("Set-Cookie").expectBody().returnResult();
        awaitProcessed(InboundRecord.idOf(Channel.WHATSAPP, sid));

        long chat = Providers.newChat();
        long update = Providers.nextUpdateId();
        web.post().uri("/webhooks/telegram").contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .header("X-Telegram-Bot-Api-Secret-Token", Providers.TELEGRAM_SECRET)
                .headers(headers -> headers.setBasicAuth("admin", "wrong"))
                .bodyValue(Providers.telegramText(update, chat, "Basic", "Header", "hola"))
                .exchange()
                .expectStatus().isOk().expectHeader().doesNotExist("Set-Cookie").expectBody().returnResult();
        awaitProcessed(InboundRecord.idOf(Channel.TELEGRAM, String.valueOf(update)));
    }

    @Test
    void refusesATelegramDeliveryWithAWrongOrMissingSecretAndStoresNothing() {
        long chat = 700_201;
        String update = Providers.telegramText(9201, chat, "hola");
        postTelegram(update, "not-the-secret").expectStatus().isUnauthorized().expectBody().returnResult();
        postTelegram(update, null).expectStatus().isUnauthorized().expectBody().returnResult();

        assertThat(mongo.findById(InboundRecord.idOf(Channel.TELEGRAM, "9201"), InboundRecord.class).block()).isNull();
        assertThat(count(InboundRecord.class, "conversationId", conversationIds.of(Channel.TELEGRAM, "700201")))
                .isZero();
    }
}

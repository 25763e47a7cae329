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

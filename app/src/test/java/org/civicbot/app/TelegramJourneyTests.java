package org.civicbot.app;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.Source;
import org.civicbot.bot.media.PhotoStore;
import org.civicbot.bot.outbox.DeliveryStatus;
import org.civicbot.bot.outbox.OutboxEntry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A citizen on Telegram, pressing buttons, sending a pin and a photo, to an incident code. */
class TelegramJourneyTests extends FullStackTest {

    @Autowired
    PhotoStore photos;

    @Test
    void reportsAnIncidentWithAPinAndAPhotoFromHolaToItsCode() {
        long chat = 700_001;
        telegram(9001, Providers.telegramText(9001, chat, "hola"));
        telegram(9002, Providers.telegramButton(9002, chat, "main/main_menu|1"));
        // A button of the main menu, still on the screen, pressed again: it means nothing at the category menu.
        telegram(9010, Providers.telegramButton(9010, chat, "main/main_menu|3"));
        telegram(9003, Providers.telegramButton(9003, chat, "incident/category|4"));
        telegram(9004, Providers.telegramText(9004, chat, "El banc de la plaça està trencat i té estelles"));
        telegram(9005, Providers.telegramLocation(9005, chat, 41.7289, 1.8240));
        telegram(9006, Providers.telegramPhoto(9006, chat));

        Conversation conversation = conversation(Channel.TELEGRAM, String.valueOf(chat));
        List<Incident> incidents = incidentsOf(conversation.id());
        assertThat(incidents).hasSize(1);
        Incident incident = incidents.get(0);
        assertThat(incident.code()).matches("INC-20\\d\\d-\\d{6}");
        assertThat(incident.category()).isEqualTo("street_furniture");
        assertThat(incident.description()).isEqualTo("El banc de la plaça està trencat i té estelles");
        assertThat(incident.location()).isEqualTo(new Incident.Location(null, 41.7289, 1.8240, "PIN"));
        assertThat(incident.source()).isEqualTo(Source.TELEGRAM);
        assertThat(incident.contactName()).isEqualTo("Jordi Serra");
        assertThat(incident.photos()).hasSize(1);
        assertThat(photos.load(incident.photos().get(0).id()).block().bytes()).isEqualTo(Providers.JPEG);

        List<OutboxEntry> sent = awaitOutboxSettled(conversation.id());
        assertThat(sent).extracting(OutboxEntry::status).containsOnly(DeliveryStatus.SENT);
        List<JsonNode> messages = Providers.telegramMessagesTo(chat);
        assertThat(messages).extracting(m -> m.path("text").asText())
                .containsExactlyElementsOf(sent.stream().map(OutboxEntry::text).toList());
        JsonNode menu = messages.get(1);
        assertThat(menu.path("reply_markup").path("inline_keyboard")).hasSize(8);
        assertThat(menu.path("reply_markup").path("inline_keyboard").get(0).get(0).path("callback_data").asText())
                .isEqualTo("main/main_menu|1");
        assertThat(messages).extracting(m -> m.path("text").asText()).contains("No t'he entès. Tria una de les"
                + " opcions, o escriu MENÚ per tornar a començar.");
        assertThat(messages.get(messages.size() - 2).path("text").asText()).contains(incident.code());
        await().atMost(PATIENCE).untilAsserted(() -> Providers.TELEGRAM.verify(3,
                postRequestedFor(urlPathMatching("/bot" + Providers.TELEGRAM_TOKEN + "/(?i)answercallbackquery"))));
    }
}

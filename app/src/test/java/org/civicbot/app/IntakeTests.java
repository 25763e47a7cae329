package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.conversation.ConversationStatus;
import org.civicbot.bot.incident.Incident;
import org.junit.jupiter.api.Test;

/** Intake that loses nothing: photos sent together, what the bot cannot take, a greeting in the queue. */
class IntakeTests extends FullStackTest {

    /** Posts a WhatsApp media message without waiting for it to be processed; answers its inbound id. */
    String media(String citizen, String contentType, String body) {
        String sid = Providers.nextMessageSid();
        Map<String, String> form = Providers.whatsappText(citizen, sid, body);
        form.put("NumMedia", "1");
        form.put("MediaUrl0", Providers.TWILIO.baseUrl() + "/2010-04-01/Accounts/" + Providers.TWILIO_SID
                + "/Messages/" + sid + "/Media/ME0001");
        form.put("MediaContentType0", contentType);
        postTwilio(form).expectStatus().isOk().expectBody().returnResult();
        return "WHATSAPP:" + sid;
    }

    @Test
    void twoPhotosSentTogetherBothReachTheIncident() {
        String citizen = "whatsapp:+34600001801";
        for (String text : List.of("hola", "1", "3", "La farola del carrer Major 12 no s'encén", "Carrer Major 12")) {
            whatsapp(citizen, text);
        }
        // WhatsApp sends two photos chosen together as two messages, a moment apart.
        String first = media(citizen, "image/jpeg", "");
        String second = media(citizen, "image/jpeg", "");
        awaitProcessed(first);
        awaitProcessed(second);

        Conversation conversation = conversation(Channel.WHATSAPP, citizen);
        List<Incident> incidents = incidentsOf(conversation.id());
        assertThat(incidents).hasSize(1);
        Incident incident = incidents.get(0);
        assertThat(incident.photos()).hasSize(2);
        assertThat(incident.timeline()).extracting(Incident.TimelineEntry::type).containsExactly("CREATED", "PHOTO");
        awaitOutboxSettled(conversation.id());
        assertThat(Providers.twilioBodiesTo(citizen)).last().isEqualTo("Hem afegit la foto a la incidència "
                + incident.code() + ". Gràcies!");
    }

    @Test
    void aVoiceNoteAndAStickerAreAnsweredAndTheQuestionAskedAgain() {
        String citizen = "whatsapp:+34600001802";
        whatsapp(citizen, "hola");
        whatsapp(citizen, "1");
        awaitProcessed(media(citizen, "audio/ogg", ""));
        awaitProcessed(media(citizen, "image/webp", ""));

        Conversation conversation = conversation(Channel.WHATSAPP, citizen);
        awaitOutboxSettled(conversation.id());
        List<String> bodies = Providers.twilioBodiesTo(citizen);
        assertThat(bodies.subList(bodies.size() - 4, bodies.size())).satisfiesExactly(
                b -> assertThat(b).startsWith("Encara no puc escoltar notes de veu"),
                b -> assertThat(b).startsWith("Gràcies per ajudar-nos a tenir cura de la ciutat!"),
                b -> assertThat(b).startsWith("Encara no puc escoltar notes de veu"),
                b -> assertThat(b).startsWith("Gràcies per ajudar-nos a tenir cura de la ciutat!"));
        assertThat(conversation.session().getInteger("retries", 0)).isZero();
        assertThat(incidentsOf(conversation.id())).isEmpty();
    }

    @Test
    void aGreetingWhileWaitingForAPersonKeepsTheCitizenInTheQueue() {
        String citizen = "whatsapp:+34600001803";
        whatsapp(citizen, "hola");
        whatsapp(citizen, "vull parlar amb una persona");
        whatsapp(citizen, "hola");
        whatsapp(citizen, "bon dia?");
        assertThat(conversation(Channel.WHATSAPP, citizen).status()).isEqualTo(ConversationStatus.AWAITING_AGENT);

        whatsapp(citizen, "menú");
        assertThat(conversation(Channel.WHATSAPP, citizen).status()).isEqualTo(ConversationStatus.BOT);
    }
    @Test
    void aTypedAddressTheMapKnowsIsConfirmedBeforeItIsTaken() {
        Providers.onTheMap("Carrer del Born 5", 41.7251, 1.8266, "Carrer del Born", "5", "Manresa");
        String citizen = "whatsapp:+34600001811";
        for (String text : List.of("hola", "1", "3", "La farola del carrer del Born no s'encén", "Carrer del Born 5")) {
            whatsapp(citizen, text);
        }
        Conversation conversation = conversation(Channel.WHATSAPP, citizen);
        awaitOutboxSettled(conversation.id());
        assertThat(Providers.twilioBodiesTo(citizen)).last().isEqualTo("""
                L'he trobat al mapa com a *Carrer del Born, 5, Manresa*: \
                https://www.openstreetmap.org/?mlat=41.72510&mlon=1.82660#map=18/41.72510/1.82660
                És aquí?

                1. Sí
                2. No""");

        whatsapp(citizen, "1");
        whatsapp(citizen, "ometre");

        Incident incident = incidentsOf(conversation.id()).get(0);
        assertThat(incident.location()).isEqualTo(
                new Incident.Location("Carrer del Born, 5, Manresa", 41.7251, 1.8266, "ADDRESS"));
    }

    @Test
    void anAddressTheCitizenSaysTheMapPutsWrongIsKeptAsWrittenAndOffTheMap() {
        Providers.onTheMap("Carrer de la Canal 31", 41.7301, 1.8201, "Carrer de la Canal", "31", "Manresa");
        long chat = Providers.newChat();
        for (String text : List.of("hola", "1", "2", "Hi ha un forat molt gran a la vorera", "Carrer de la Canal 31")) {
            long update = Providers.nextUpdateId();
            telegram(update, Providers.telegramText(update, chat, text));
        }
        Conversation conversation = conversation(Channel.TELEGRAM, String.valueOf(chat));
        awaitOutboxSettled(conversation.id());
        List<JsonNode> sent = Providers.telegramMessagesTo(chat);
        JsonNode question = sent.get(sent.size() - 1);
        assertThat(question.path("text").asText()).startsWith("L'he trobat al mapa com a Carrer de la Canal, 31, Manresa: https://www.openstreetmap.org/");
        assertThat(question.path("reply_markup").path("inline_keyboard").findValuesAsText("text"))
                .containsExactly("Sí", "No");

        long no = Providers.nextUpdateId();
        telegram(no, Providers.telegramButton(no, chat, "incident/address|2"));
        long again = Providers.nextUpdateId();
        telegram(again, Providers.telegramText(again, chat, "Carrer de la Canal 31"));
        long stillNo = Providers.nextUpdateId();
        telegram(stillNo, Providers.telegramText(stillNo, chat, "no, no és aquí"));
        long skip = Providers.nextUpdateId();
        telegram(skip, Providers.telegramText(skip, chat, "ometre"));

        Incident incident = incidentsOf(conversation.id()).get(0);
        assertThat(incident.location()).isEqualTo(new Incident.Location("Carrer de la Canal 31", null, null, "WRITTEN"));
        // Asked once per typed address; the incident is not placed where the citizen said it is not.
        assertThat(Providers.NOMINATIM.findAll(com.github.tomakehurst.wiremock.client.WireMock
                .getRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/search"))
                .withQueryParam("q", com.github.tomakehurst.wiremock.client.WireMock.equalTo("Carrer de la Canal 31"))))
                .hasSize(1);
    }
}

package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.conversation.ConversationStatus;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.IncidentStatus;
import org.civicbot.bot.outbox.DeliveryStatus;
import org.civicbot.bot.outbox.OutboxEntry;
import org.junit.jupiter.api.Test;

/**
 * Citizens' own words on the real app (#16): the language of a Telegram app, a sentence that opens a report at
 * its category, a status question and a request for a person in a sentence.
 */
class UnderstandingJourneyTests extends FullStackTest {

    private static final String SPANISH_MENU = "¡Hola! Soy el asistente del Ayuntamiento";
    private static final String CATALAN_MENU = "Hola! Sóc l'assistent de l'Ajuntament";
    private static final String POTHOLE = "hi ha un forat a la vorera del carrer de Sant Miquel";

    @Test
    void answersATelegramUserInTheLanguageTheirAppIsSetTo() {
        long chat = Providers.newChat();
        long update = Providers.nextUpdateId();
        telegram(update, withLanguageCode(Providers.telegramText(update, chat, "hola"), "es"));

        Conversation conversation = conversation(Channel.TELEGRAM, String.valueOf(chat));
        List<OutboxEntry> sent = awaitOutboxSettled(conversation.id());
        assertThat(sent).extracting(OutboxEntry::status).containsOnly(DeliveryStatus.SENT);
        List<String> texts = Providers.telegramTextsTo(chat);
        assertThat(texts).containsExactlyElementsOf(sent.stream().map(OutboxEntry::text).toList());
        assertThat(texts).as("the privacy notice, then the main menu").hasSize(2);
        assertThat(texts.get(0)).startsWith("¡Bienvenido/a al canal de mensajería del Ayuntamiento!");
        assertThat(texts.get(1)).startsWith(SPANISH_MENU);
        assertThat(texts).noneSatisfy(text -> assertThat(text).startsWith(CATALAN_MENU));
        assertThat(Providers.telegramMessagesTo(chat).get(1).path("reply_markup").path("inline_keyboard")
                .get(0).get(0).path("text").asText()).contains("Comunicar una incidencia");
    }

    @Test
    void takesTheCategoryAndTheDescriptionOfAReportFromOneSentence() {
        long chat = Providers.newChat();
        send(chat, "hola");
        send(chat, POTHOLE);

        Conversation conversation = conversation(Channel.TELEGRAM, String.valueOf(chat));
        awaitOutboxSettled(conversation.id());
        List<String> texts = Providers.telegramTextsTo(chat);
        assertThat(texts.get(texts.size() - 1))
                .as("straight to where: neither the category nor the description asked")
                .startsWith("On és? Escriu l'adreça");
        assertThat(texts).noneSatisfy(text -> assertThat(text).startsWith("Explica'ns breument"));
        assertThat(texts).noneSatisfy(text -> assertThat(text).contains("De quin tipus és la incidència?"));

        send(chat, "Carrer de Sant Miquel, 14");
        send(chat, "ometre");

        List<Incident> incidents = incidentsOf(conversation.id());
        assertThat(incidents).hasSize(1);
        Incident incident = incidents.get(0);
        assertThat(incident.code()).matches("INC-20\\d\\d-\\d{6}");
        assertThat(incident.category()).isEqualTo("roads_pavements");
        assertThat(incident.description()).isEqualTo(POTHOLE);
        assertThat(incident.location())
                .isEqualTo(new Incident.Location("Carrer de Sant Miquel, 14", null, null, "ADDRESS"));
        assertThat(incident.photos()).isEmpty();

        List<OutboxEntry> sent = awaitOutboxSettled(conversation.id());
        assertThat(sent).extracting(OutboxEntry::status).containsOnly(DeliveryStatus.SENT);
        assertThat(Providers.telegramTextsTo(chat)).anySatisfy(text -> assertThat(text).contains(incident.code()));
    }

    @Test
    void answersAStatusQuestionWithTheCitizensRequestsAndSaysSoWhenThereAreNone() {
        String citizen = "whatsapp:+34600001601";
        for (String text : List.of("hola", "1", "3", "La farola del carrer Major 12 no s'encén", "Carrer Major 12",
                "ometre")) {
            whatsapp(citizen, text);
        }
        Conversation conversation = conversation(Channel.WHATSAPP, citizen);
        List<Incident> incidents = incidentsOf(conversation.id());
        assertThat(incidents).hasSize(1);
        Incident incident = incidents.get(0);
        assertThat(incident.status()).isEqualTo(IncidentStatus.NEW);
        int before = awaitOutboxSettled(conversation.id()).size();

        whatsapp(citizen, "com va la meva incidència?");

        List<OutboxEntry> sent = awaitOutboxSettled(conversation.id());
        assertThat(sent).extracting(OutboxEntry::status).containsOnly(DeliveryStatus.SENT);
        assertThat(sent).hasSize(before + 1);
        List<String> bodies = Providers.twilioBodiesTo(citizen);
        assertThat(bodies).hasSameSizeAs(sent);
        String answer = bodies.get(bodies.size() - 1);
        assertThat(answer).startsWith(sent.get(sent.size() - 1).text());
        assertThat(answer).contains(incident.code()).contains("rebuda, pendent de revisar");

        String stranger = "whatsapp:+34600001602";
        whatsapp(stranger, "estat");

        Conversation strangers = conversation(Channel.WHATSAPP, stranger);
        List<OutboxEntry> toStranger = awaitOutboxSettled(strangers.id());
        assertThat(toStranger).extracting(OutboxEntry::status).containsOnly(DeliveryStatus.SENT);
        assertThat(incidentsOf(strangers.id())).isEmpty();
        List<String> strangerBodies = Providers.twilioBodiesTo(stranger);
        assertThat(strangerBodies).isNotEmpty();
        assertThat(strangerBodies.get(strangerBodies.size() - 1))
                .startsWith("No tenim cap sol·licitud teva registrada");
        assertThat(strangerBodies).noneSatisfy(body -> assertThat(body).contains("INC-"));

        // Someone else's code, typed on its own: its status, and nothing of what the reporter wrote.
        whatsapp(stranger, incident.code().toLowerCase(java.util.Locale.ROOT).replace('-', ' '));
        awaitOutboxSettled(strangers.id());
        List<String> afterCode = Providers.twilioBodiesTo(stranger);
        String byCode = afterCode.get(afterCode.size() - 1);
        assertThat(byCode).contains(incident.code()).contains("rebuda, pendent de revisar")
                .doesNotContain("farola").doesNotContain("Carrer Major");
    }

    @Test
    void queuesTheConversationForAPersonAskedForInASentence() {
        String citizen = "whatsapp:+34600001603";
        whatsapp(citizen, "hola");
        whatsapp(citizen, "vull parlar amb una persona");

        Conversation waiting = conversation(Channel.WHATSAPP, citizen);
        assertThat(waiting.status()).isEqualTo(ConversationStatus.AWAITING_AGENT);
        assertThat(waiting.department()).isEqualTo("citizen_service");
        List<OutboxEntry> sent = awaitOutboxSettled(waiting.id());
        assertThat(sent.get(sent.size() - 1).text())
                .startsWith("D'acord, et posem en contacte amb una persona de l'Ajuntament.");
    }

    /** Sends a Telegram text from Jordi Serra, whose app says no language, and waits until it is processed. */
    private void send(long chat, String text) {
        long update = Providers.nextUpdateId();
        telegram(update, Providers.telegramText(update, chat, text));
    }

    /** The update with Telegram's {@code from.language_code}: the language the citizen's app is set to. */
    private static String withLanguageCode(String update, String languageCode) {
        String from = "\"is_bot\": false";
        assertThat(update).contains(from);
        return update.replace(from, from + ", \"language_code\": \"" + languageCode + "\"");
    }
}

package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.conversation.Satisfaction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.query.Update;

/**
 * Once an incident is closed, and once staff close a chat, the citizen is asked how satisfied they are: a score
 * with buttons, then a comment if they like. Asked once; never to an opted-out contact nor outside WhatsApp's
 * window. The answer is kept and shown on the incident.
 */
class SatisfactionTests extends FullStackTest {



    @BeforeEach
    void staffMember() {
        staff("roser");
    }

    JsonNode post(String uri, Object body) {
        return okPost("roser", uri, body);
    }

    JsonNode get(String uri) {
        return okGet("roser", uri);
    }

    String report(String citizen, String street) {
        for (String text : List.of("hola", "1", "3", "La farola del " + street + " no s'encén", street + " 2",
                "ometre")) {
            whatsapp(citizen, text);
        }
        return incidentsOf(conversation(Channel.WHATSAPP, citizen).id()).get(0).code();
    }

    @Test
    void aClosedIncidentsReporterIsAskedOnceAndTheirAnswerIsKept() throws Exception {
        String citizen = "whatsapp:+34600004001";
        String code = report(citizen, "carrer de Sant Bartomeu");
        Conversation chat = conversation(Channel.WHATSAPP, citizen);
        int before = awaitOutboxSettled(chat.id()).size();

        post("/api/v1/incidents/" + code + "/status", Map.of("status", "CLOSED", "outcome", "POSITIVE"));

        await(() -> awaitOutboxSettled(chat.id()).size() == before + 2);
        List<String> bodies = Providers.twilioBodiesTo(citizen);
        assertThat(bodies.get(bodies.size() - 2)).startsWith("La teva incidència " + code + " s'ha tancat");
        assertThat(bodies.get(bodies.size() - 1)).isEqualTo("Una última pregunta sobre la teva incidència " + code
                + ": estàs satisfet amb com l'hem atès?\n\n1. 😞 Gens satisfet\n2. 🙁 Poc satisfet\n"
                + "3. 😐 Ni bé ni malament\n4. 🙂 Satisfet\n5. 😀 Molt satisfet");

        whatsapp(citizen, "4");
        whatsapp(citizen, "Van venir de pressa, però el fanal encara parpelleja");

        awaitOutboxSettled(chat.id());
        assertThat(Providers.twilioBodiesTo(citizen)).last().asString()
                .isEqualTo("Gràcies pel comentari; el farem arribar a l'equip.");
        JsonNode satisfaction = get("/api/v1/incidents/" + code).get("satisfaction");
        assertThat(satisfaction.get("score").asInt()).isEqualTo(4);
        assertThat(satisfaction.get("comment").asText()).isEqualTo("Van venir de pressa, però el fanal encara parpelleja");

        // Reopened and closed again: told, not asked again.
        post("/api/v1/incidents/" + code + "/status", Map.of("status", "IN_PROGRESS"));
        int asked = awaitOutboxSettled(chat.id()).size();
        post("/api/v1/incidents/" + code + "/status", Map.of("status", "CLOSED", "outcome", "POSITIVE"));
        await(() -> awaitOutboxSettled(chat.id()).size() == asked + 1);
        assertThat(mongo.count(query(where("about").is(Satisfaction.aboutIncident(code))), Satisfaction.Answer.class)
                .block()).isEqualTo(1);
    }

    @Test
    void nobodyIsAskedWhoOptedOutOrWroteMoreThanADayAgo() throws Exception {
        String quiet = "whatsapp:+34600004002";
        String quietCode = report(quiet, "carrer del Mur");
        whatsapp(quiet, "baixa");
        String away = "whatsapp:+34600004003";
        String awayCode = report(away, "carrer de la Font");
        Conversation awayChat = conversation(Channel.WHATSAPP, away);
        mongo.updateFirst(query(where("_id").is(awayChat.id())), new Update().set("lastInboundAt",
                Instant.now().minus(Duration.ofHours(30))), Conversation.class).block();

        post("/api/v1/incidents/" + quietCode + "/status", Map.of("status", "CLOSED", "outcome", "POSITIVE"));
        post("/api/v1/incidents/" + awayCode + "/status", Map.of("status", "CLOSED", "outcome", "POSITIVE"));

        awaitOutboxSettled(conversation(Channel.WHATSAPP, quiet).id());
        awaitOutboxSettled(awayChat.id());
        assertThat(mongo.count(query(where("about").in(Satisfaction.aboutIncident(quietCode),
                Satisfaction.aboutIncident(awayCode))), Satisfaction.Answer.class).block()).isZero();
        assertThat(Providers.twilioBodiesTo(quiet)).noneMatch(b -> b != null && b.contains("satisfet"));
        assertThat(Providers.twilioBodiesTo(away)).noneMatch(b -> b != null && b.contains("satisfet"));
    }

    @Test
    void aChatStaffCloseAsksOnTelegramWithButtons() throws Exception {
        long chat = Providers.newChat();
        for (String text : List.of("hola", "persona")) {
            long update = Providers.nextUpdateId();
            telegram(update, Providers.telegramText(update, chat, text));
        }
        Conversation conversation = conversation(Channel.TELEGRAM, String.valueOf(chat));
        post("/api/v1/conversations/" + conversation.id() + "/takeover", Map.of());
        post("/api/v1/conversations/" + conversation.id() + "/close", Map.of());

        await(() -> Providers.telegramTextsTo(chat).stream().anyMatch(t -> t.startsWith("Abans d'acabar")));
        List<JsonNode> sent = Providers.telegramMessagesTo(chat);
        JsonNode question = sent.get(sent.size() - 1);
        assertThat(question.path("reply_markup").path("inline_keyboard").findValuesAsText("text")).containsExactly(
                "😞 Gens satisfet", "🙁 Poc satisfet", "😐 Ni bé ni malament", "🙂 Satisfet", "😀 Molt satisfet");
        long press = Providers.nextUpdateId();
        telegram(press, Providers.telegramButton(press, chat, "survey|5"));

        List<Satisfaction.Answer> answers = mongo.find(query(where("conversationId").is(conversation.id())),
                Satisfaction.Answer.class).collectList().block();
        assertThat(answers).singleElement().satisfies(a -> {
            assertThat(a.about()).startsWith("chat:" + conversation.id());
            assertThat(a.score()).isEqualTo(5);
        });
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await().atMost(PATIENCE).until(condition);
    }
}

package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.incident.Incident;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Suggestions, complaints and questions to the town hall go through the incidents' workflow with a type and a
 * code of their own, and the answer reaches the citizen as an incident's steps do.
 */
class RequestTypesTests extends FullStackTest {



    @BeforeEach
    void staffMember() {
        staff("jana");
    }

    JsonNode post(String uri, Object body) {
        return okPost("jana", uri, body);
    }

    JsonNode get(String uri) {
        return okGet("jana", uri);
    }

    @Test
    void aSuggestionGetsItsOwnCodeAndTheAnswerReachesTheCitizen() throws Exception {
        String citizen = "whatsapp:+34600005001";
        for (String text : List.of("hola", "3", "5", "1", "3",
                "Proposo posar més papereres al passeig, sobretot a prop dels bancs")) {
            whatsapp(citizen, text);
        }
        Conversation chat = conversation(Channel.WHATSAPP, citizen);
        List<Incident> filed = incidentsOf(chat.id());
        assertThat(filed).singleElement().satisfies(request -> {
            assertThat(request.code()).matches("SUG-20\\d\\d-\\d{6}");
            assertThat(request.type()).isEqualTo("SUGGESTION");
            assertThat(request.category()).isEqualTo("area_environment");
        });
        String code = filed.get(0).code();
        awaitOutboxSettled(chat.id());
        assertThat(Providers.twilioBodiesTo(citizen)).anySatisfy(body -> assertThat(body)
                .startsWith("Gràcies! Ho hem registrat amb el codi " + code + "."));

        JsonNode suggestions = get("/api/v1/incidents?type=SUGGESTION&status=NEW");
        assertThat(suggestions.get("items").findValuesAsText("code")).contains(code);
        suggestions.get("items").forEach(item -> assertThat(item.get("type").asText()).isEqualTo("SUGGESTION"));
        assertThat(get("/api/v1/incidents?type=INCIDENT&status=NEW").get("items").findValuesAsText("code"))
                .doesNotContain(code);
        assertThat(get("/api/v1/incidents/" + code).get("type").asText()).isEqualTo("SUGGESTION");

        int before = awaitOutboxSettled(chat.id()).size();
        post("/api/v1/incidents/" + code + "/notes", Map.of("text", "Ho estudiarem amb el servei de neteja.",
                "public", true));
        org.awaitility.Awaitility.await().atMost(PATIENCE)
                .until(() -> awaitOutboxSettled(chat.id()).size() == before + 1);
        assertThat(Providers.twilioBodiesTo(citizen)).last().asString()
                .startsWith("Novetats de la teva sol·licitud " + code + ": Ho estudiarem amb el servei de neteja.");
    }

    @Test
    void aQuestionForTheMayorAskedInASentenceOnTelegram() {
        long chat = Providers.newChat();
        for (String text : List.of("hola", "vull fer una pregunta a l'alcalde", "1",
                "Quan es començaran les obres de la biblioteca nova?")) {
            long update = Providers.nextUpdateId();
            telegram(update, Providers.telegramText(update, chat, text));
        }
        Conversation conversation = conversation(Channel.TELEGRAM, String.valueOf(chat));
        assertThat(incidentsOf(conversation.id())).singleElement().satisfies(request -> {
            assertThat(request.code()).matches("PRE-20\\d\\d-\\d{6}");
            assertThat(request.category()).isEqualTo("area_mayor");
            assertThat(request.description()).isEqualTo("Quan es començaran les obres de la biblioteca nova?");
        });
    }
}

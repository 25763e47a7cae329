package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.conversation.ConversationStatus;
import org.civicbot.bot.incident.Incident;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * An errand that ends with a person loses nothing: what the citizen had told the bot waits for staff, who
 * register it as the incident (corrected if need be) and the citizen gets the code, once.
 */
class DraftTests extends FullStackTest {



    @BeforeEach
    void staffMember() {
        staff("pere");
    }

    WebTestClient.ResponseSpec post(String uri, String body) {
        return postAs("pere", uri, body);
    }

    JsonNode get(String uri) {
        return okGet("pere", uri);
    }

    @Test
    void threeAnswersTheBotCannotTakeAtThePhotoLeaveADraftStaffRegisterOnce() throws Exception {
        String citizen = "whatsapp:+34600002901";
        for (String text : List.of("hola", "1", "3", "La farola del carrer Jaume I no s'encén", "Carrer Jaume I 7",
                "zzz", "qqq", "xxx")) {
            whatsapp(citizen, text);
        }
        Conversation conversation = conversation(Channel.WHATSAPP, citizen);
        assertThat(conversation.status()).isEqualTo(ConversationStatus.AWAITING_AGENT);
        assertThat(incidentsOf(conversation.id())).isEmpty();
        String uri = "/api/v1/conversations/" + conversation.id();

        JsonNode draft = get(uri).get("draft");
        assertThat(draft.get("category").asText()).isEqualTo("street_lighting");
        assertThat(draft.get("description").asText()).isEqualTo("La farola del carrer Jaume I no s'encén");
        assertThat(draft.get("location").get("address").asText()).isEqualTo("Carrer Jaume I 7");

        // A category the flows do not have, or an empty description, is refused with the reason; nothing is made.
        String refused = post(uri + "/incident", "{\"category\": \"potholes\"}").expectStatus().isBadRequest()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(refused).contains("category must be one of").contains("street_lighting");
        assertThat(incidentsOf(conversation.id())).isEmpty();
        int before = awaitOutboxSettled(conversation.id()).size();

        JsonNode registered = JSON.readTree(post(uri + "/incident", "{\"address\": \"Carrer de Jaume I, 7\"}")
                .expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody());

        String code = registered.get("code").asText();
        assertThat(code).matches("INC-20\\d\\d-\\d{6}");
        List<Incident> incidents = incidentsOf(conversation.id());
        assertThat(incidents).singleElement().satisfies(incident -> {
            assertThat(incident.category()).isEqualTo("street_lighting");
            assertThat(incident.description()).isEqualTo("La farola del carrer Jaume I no s'encén");
            assertThat(incident.location().address()).isEqualTo("Carrer de Jaume I, 7");
            assertThat(incident.timeline()).first().satisfies(created -> {
                assertThat(created.type()).isEqualTo("CREATED");
                assertThat(created.actor()).isEqualTo("pere");
            });
        });
        awaitOutboxSettled(conversation.id());
        List<String> bodies = Providers.twilioBodiesTo(citizen);
        assertThat(bodies).hasSize(before + 1);
        assertThat(bodies.get(bodies.size() - 1)).isEqualTo("Hem registrat la teva incidència amb el que ens havies"
                + " explicat. El codi és " + code + ".\nLa pots seguir aquí: " + registered.get("publicUrl").asText());

        // Registered once: the draft is gone, and a second call says so.
        assertThat(get(uri).get("draft").isNull()).isTrue();
        String again = post(uri + "/incident", "{}").expectStatus().isEqualTo(409).expectBody(String.class)
                .returnResult().getResponseBody();
        assertThat(again).contains("holds no draft");
        assertThat(incidentsOf(conversation.id())).hasSize(1);
    }
}

package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import org.civicbot.backoffice.staff.StaffUser;
import org.junit.jupiter.api.Test;

/**
 * The simulator runs the real engine and carries the conversation in a state it signs: a conversation goes on turn
 * after turn, a state it did not give is refused, drafts are for editors, and suppliers may not use it.
 */
class SimulatorApiTests extends FullStackTest {

    @Test
    void aConversationGoesOnInItsSignedStateAndOnlyEditorsPreviewDrafts() {
        staff("sim-agent", StaffUser.Role.AGENT);
        JsonNode first = say("sim-agent", Map.of("text", "hola", "language", "en"));
        assertThat(first.get("replies").toString()).contains("How can we help you?");
        assertThat(first.get("language").asText()).isEqualTo("en");
        String state = first.get("state").asText();

        JsonNode second = say("sim-agent", Map.of("text", "1", "state", state));
        assertThat(second.get("replies").get(0).get("options").size()).as("the categories").isGreaterThan(3);
        assertThat(second.get("replies").toString()).doesNotContain("How can we help you?");

        // A state changed by hand (one character of its payload) is refused, not read.
        String forged = (state.charAt(0) == 'e' ? "f" : "e") + state.substring(1);
        assertThat(postAs("sim-agent", "/api/v1/simulator", Map.of("text", "1", "state", forged)).expectStatus()
                .isBadRequest().expectBody(String.class).returnResult().getResponseBody())
                .contains("not one this bot gave");

        // What the bot would do, named as a clerk reads it: the department by its name, not its id.
        JsonNode person = say("sim-agent", Map.of("text", "persona", "state", second.get("state").asText()));
        assertThat(person.get("actions").toString()).contains("HandoffRequested").contains("Atenció ciutadana")
                .doesNotContain("citizen_service");

        postAs("sim-agent", "/api/v1/simulator", Map.of("text", "hola", "flows", "drafts")).expectStatus()
                .isForbidden();
        staff("sim-editor", StaffUser.Role.EDITOR);
        assertThat(say("sim-editor", Map.of("text", "hola", "flows", "drafts")).get("replies").size()).isPositive();
        staff("sim-supplier", StaffUser.Role.SUPPLIER);
        postAs("sim-supplier", "/api/v1/simulator", Map.of("text", "hola")).expectStatus().isForbidden();
    }

    private JsonNode say(String user, Map<String, Object> body) {
        return json(postAs(user, "/api/v1/simulator", new HashMap<>(body)).expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }
}

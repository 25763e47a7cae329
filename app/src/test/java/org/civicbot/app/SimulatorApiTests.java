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

    @org.springframework.beans.factory.annotation.Autowired
    org.civicbot.bot.appointment.Appointments appointments;

    /** "Try the bot" offers the real services and free times, and a confirmed booking is made nowhere. */
    @Test
    void aPreviewShowsTheRealFreeTimesAndBooksNothing() {
        staff("sim-booker", StaffUser.Role.AGENT);
        java.time.ZoneId town = java.time.ZoneId.of("Europe/Madrid");
        java.util.Map<String, java.util.List<String>> hours = new java.util.HashMap<>();
        for (java.time.DayOfWeek day : java.time.DayOfWeek.values()) {
            hours.put(day.name(), java.util.List.of("09:00-10:00"));
        }
        appointments.save(new org.civicbot.bot.appointment.Office("sim-oac", "OAC de proves", "Plaça, 1", hours,
                java.util.List.of(), java.util.List.of())).block();
        appointments.save(new org.civicbot.bot.appointment.AppointmentService("sim-padro", Map.of("ca",
                "Padró del simulador", "es", "Padrón del simulador", "en", "Simulator register"), Map.of(),
                java.util.List.of("sim-oac"), 30, 1, 5, 0, true)).block();
        JsonNode menu = say("sim-booker", Map.of("text", "hola", "language", "ca"));
        JsonNode services = say("sim-booker", Map.of("text", "2", "state", menu.get("state").asText()));
        java.util.List<String> options = new java.util.ArrayList<>();
        services.get("replies").get(0).get("options").forEach(o -> options.add(o.asText()));
        int ours = options.indexOf("Padró del simulador") + 1;
        assertThat(ours).as(options.toString()).isPositive();
        JsonNode days = say("sim-booker", Map.of("text", String.valueOf(ours), "state",
                services.get("state").asText()));
        assertThat(days.get("replies").get(0).get("text").asText()).isEqualTo("Quin dia et va bé?");
        JsonNode times = say("sim-booker", Map.of("text", "2", "state", days.get("state").asText()));
        assertThat(times.get("replies").get(0).get("options").toString()).contains("09:00", "09:30");
        JsonNode name = say("sim-booker", Map.of("text", "1", "state", times.get("state").asText()));
        JsonNode confirm = say("sim-booker", Map.of("text", "Persona de Prova", "state", name.get("state").asText()));
        JsonNode booked = say("sim-booker", Map.of("text", "Sí", "state", confirm.get("state").asText()));
        int year = java.time.LocalDate.now(town).getYear();
        assertThat(booked.get("replies").get(0).get("text").asText())
                .startsWith("✅ Cita confirmada: CITA-" + year + "-000000");
        for (int d = 0; d < 5; d++) {
            assertThat(appointments.day("sim-oac", java.time.LocalDate.now(town).plusDays(d)).collectList().block())
                    .as("nothing booked").isEmpty();
        }
    }

    private JsonNode say(String user, Map<String, Object> body) {
        return json(postAs(user, "/api/v1/simulator", new HashMap<>(body)).expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }
}

package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.civicbot.backoffice.staff.StaffUser;
import org.junit.jupiter.api.Test;

/** The figures of a period and a department agree with the list for the same filter, and keep to one's scope. */
class StatsApiTests extends FullStackTest {

    @Test
    void theFiguresOfADepartmentAgreeWithItsList() {
        staff("stats-admin");
        postAs("stats-admin", "/api/v1/departments", Map.of("id", "stats_dept", "name", "Estadística"))
                .expectStatus().isCreated();
        String[] codes = new String[3];
        for (int i = 0; i < 3; i++) {
            codes[i] = json(postAs("stats-admin", "/api/v1/incidents", Map.of("intake", i == 0 ? "PHONE" : "COUNTER",
                    "category", i == 2 ? "parks_gardens" : "street_lighting", "description", "Per a les xifres " + i,
                    "department", "stats_dept")).expectStatus().isCreated().expectBody(String.class).returnResult()
                    .getResponseBody()).get("code").asText();
        }
        okPost("stats-admin", "/api/v1/incidents/" + codes[0] + "/status", Map.of("status", "IN_PROGRESS"));
        okPost("stats-admin", "/api/v1/incidents/" + codes[1] + "/status", Map.of("status", "CLOSED",
                "outcome", "POSITIVE"));

        JsonNode stats = okGet("stats-admin", "/api/v1/stats?department=stats_dept&from=2020-01-01");
        JsonNode list = okGet("stats-admin", "/api/v1/incidents?department=stats_dept&from=2020-01-01T00:00:00Z"
                + "&status=NEW&status=IN_PROGRESS&status=CLOSED");
        assertThat(stats.get("total").asLong()).isEqualTo(3).isEqualTo(list.get("total").asLong());
        assertThat(stats.get("byStatus").get("NEW").asLong()).isEqualTo(1);
        assertThat(stats.get("byStatus").get("IN_PROGRESS").asLong()).isEqualTo(1);
        assertThat(stats.get("byStatus").get("CLOSED").asLong()).isEqualTo(1);
        assertThat(stats.get("byCategory").get("street_lighting").asLong()).isEqualTo(2);
        assertThat(stats.get("bySource").get("STAFF").asLong()).isEqualTo(3);
        assertThat(stats.get("byIntake").get("COUNTER").asLong()).isEqualTo(2);
        assertThat(stats.get("byOutcome").get("POSITIVE").asLong()).isEqualTo(1);
        assertThat(stats.get("medianHoursToClose").asDouble()).isBetween(0.0, 0.1);
        assertThat(stats.get("medianHoursToFirstAction").asDouble()).isBetween(0.0, 0.1);
        assertThat(stats.get("overdue").asLong()).isZero();
        assertThat(stats.get("newPerWeek").size()).isEqualTo(1);

        // An agent of another department sees none of them.
        staff("stats-agent", StaffUser.Role.AGENT);
        assertThat(okGet("stats-agent", "/api/v1/stats?department=stats_dept").get("total").asLong()).isZero();
        web.get().uri("/api/v1/stats?from=yesterday").headers(h -> h.setBasicAuth("stats-admin", STAFF_PASSWORD))
                .exchange().expectStatus().isBadRequest();
    }

    @Test
    void theConversationFiguresCountMessagesHandoffsAndTakeovers() {
        staff("stats-conv");
        String today = java.time.LocalDate.now(java.time.ZoneId.of("Europe/Madrid")).toString();
        String uri = "/api/v1/stats?from=" + today;
        JsonNode before = okGet("stats-conv", uri).get("conversations");
        String citizen = "whatsapp:+34600000977";
        whatsapp(citizen, "hola");
        whatsapp(citizen, "persona");
        String id = conversation(org.civicbot.bot.Channel.WHATSAPP, citizen).id();
        okPost("stats-conv", "/api/v1/conversations/" + id + "/takeover", Map.of());

        JsonNode after = okGet("stats-conv", uri).get("conversations");
        assertThat(after.get("messagesIn").asLong() - before.get("messagesIn").asLong()).isEqualTo(2);
        assertThat(after.get("handoffs").asLong() - before.get("handoffs").asLong()).isEqualTo(1);
        assertThat(after.get("takeovers").asLong() - before.get("takeovers").asLong()).isEqualTo(1);
        assertThat(after.get("conversations").asLong() - before.get("conversations").asLong()).isEqualTo(1);
        assertThat(after.get("medianMinutesToTakeover").isNumber()).isTrue();
        assertThat(after.get("messagesInByChannel").get("WHATSAPP").asLong()).isGreaterThanOrEqualTo(2);
    }
}

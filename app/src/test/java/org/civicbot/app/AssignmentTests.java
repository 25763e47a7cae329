package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.civicbot.backoffice.staff.Department;
import org.civicbot.backoffice.staff.Departments;
import org.civicbot.backoffice.staff.StaffUser;
import org.civicbot.bot.Channel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An incident is assigned only to staff members and departments that exist, and the agent it is assigned to sees
 * it even when it belongs to another department.
 */
class AssignmentTests extends FullStackTest {

    @Autowired
    Departments departments;

    @BeforeEach
    void staffMembers() {
        staff("sira");
        departments.exists("roads").flatMap(known -> known ? reactor.core.publisher.Mono.empty()
                : departments.create(new Department("roads", "Via pública"))).block();
        users.find("ona").switchIfEmpty(users.create("ona", "Ona", STAFF_PASSWORD, Set.of(StaffUser.Role.AGENT),
                Set.of("parks"))).block();
    }

    @Test
    void refusesUnknownAssigneesAndShowsTheIncidentToTheAgentItIsAssignedTo() {
        String citizen = "whatsapp:+34600008001";
        for (String text : List.of("hola", "1", "5", "Hi ha un forat enorme a la calçada del carrer de la Pau",
                "Carrer de la Pau 3", "ometre")) {
            whatsapp(citizen, text);
        }
        String code = incidentsOf(conversation(Channel.WHATSAPP, citizen).id()).get(0).code();
        String uri = "/api/v1/incidents/" + code;

        assertThat(json(postAs("sira", uri + "/assignment", Map.of("assignee", "nobody-here")).expectStatus()
                .isBadRequest().expectBody(String.class).returnResult().getResponseBody()).get("detail").asText())
                .isEqualTo("no active staff member \"nobody-here\"");
        assertThat(json(postAs("sira", uri + "/assignment", Map.of("department", "nowhere")).expectStatus()
                .isBadRequest().expectBody(String.class).returnResult().getResponseBody()).get("detail").asText())
                .isEqualTo("no department \"nowhere\"");
        assertThat(okGet("sira", uri).get("assignee").isNull()).isTrue();
        assertThat(okGet("sira", uri).get("department").isNull()).isTrue();

        // Passed to roads: not her department, not hers, so the agent does not see it; assigned to her, she does.
        okPost("sira", uri + "/assignment", Map.of("department", "roads"));
        web.get().uri(uri).headers(h -> h.setBasicAuth("ona", STAFF_PASSWORD)).exchange().expectStatus().isNotFound();
        okPost("sira", uri + "/assignment", Map.of("assignee", "ona"));

        assertThat(okGet("ona", uri).get("assignee").asText()).isEqualTo("ona");
        assertThat(okGet("ona", "/api/v1/incidents?status=NEW").get("items").findValuesAsText("code")).contains(code);
    }
}

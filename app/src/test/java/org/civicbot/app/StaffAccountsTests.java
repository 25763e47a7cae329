package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.civicbot.backoffice.staff.StaffUser;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * Admins deactivate, reactivate and delete staff accounts and delete departments nothing uses; nobody removes
 * themselves, and a department still in use says what uses it.
 */
class StaffAccountsTests extends FullStackTest {

    @Test
    void aDeactivatedStaffMemberIsSignedOutAtOnceAndCanComeBack() {
        staff("acc-admin");
        staff("acc-pol", StaffUser.Role.AGENT);
        PageSession pol = PageSession.signIn(web, "acc-pol", STAFF_PASSWORD);
        assertThat(pol.get("/incidents")).contains("acc-pol");

        PageSession admin = PageSession.signIn(web, "acc-admin", STAFF_PASSWORD);
        admin.post("/admin", "/admin/users/acc-pol/enabled", Map.of("enabled", "false"));
        assertThat(users.find("acc-pol").block().enabled()).isFalse();
        pol.getting("/incidents").expectStatus().is3xxRedirection().expectHeader().valueEquals("Location", "/login");
        web.get().uri("/api/v1/incidents").headers(h -> h.setBasicAuth("acc-pol", STAFF_PASSWORD)).exchange()
                .expectStatus().isUnauthorized();

        admin.post("/admin", "/admin/users/acc-pol/enabled", Map.of("enabled", "true"));
        okGet("acc-pol", "/api/v1/incidents");

        assertThat(patch("acc-admin", "/api/v1/users/acc-admin", Map.of("enabled", false)).expectStatus()
                .isEqualTo(409).expectBody(String.class).returnResult().getResponseBody()).contains("yourself");
        web.delete().uri("/api/v1/users/acc-admin").headers(h -> h.setBasicAuth("acc-admin", STAFF_PASSWORD))
                .exchange().expectStatus().isEqualTo(409);
        PageSession polAgain = PageSession.signIn(web, "acc-pol", STAFF_PASSWORD);
        assertThat(patch("acc-admin", "/api/v1/users/acc-pol", Map.of("roles", List.of("SUPERVISOR"),
                "departments", List.of("citizen_service"))).expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody()).contains("SUPERVISOR").contains("citizen_service");
        // New roles take effect at the next sign-in.
        polAgain.getting("/incidents").expectStatus()
                .is3xxRedirection();

        // Someone with work in hand is not deactivated until it is handed over.
        String code = json(postAs("acc-admin", "/api/v1/incidents", Map.of("intake", "INTERNAL",
                "category", "other", "description", "Per a en Pol", "assignee", "acc-pol"))
                .expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody())
                .get("code").asText();
        assertThat(patch("acc-admin", "/api/v1/users/acc-pol", Map.of("enabled", false, "displayName", "Pol Nou"))
                .expectStatus().isEqualTo(409).expectBody(String.class).returnResult().getResponseBody())
                .contains("1 open incidents");
        assertThat(users.find("acc-pol").block().displayName()).as("a refused change changes nothing")
                .isEqualTo("acc-pol");
        okPost("acc-admin", "/api/v1/incidents/" + code + "/assignment", Map.of("assignee", ""));
        web.delete().uri("/api/v1/users/acc-pol").headers(h -> h.setBasicAuth("acc-admin", STAFF_PASSWORD))
                .exchange().expectStatus().isNoContent();
        assertThat(users.find("acc-pol").blockOptional()).isEmpty();
    }

    @Test
    void aDepartmentStillInUseIsNotDeletedAndSaysWhatUsesIt() {
        staff("acc-admin2");
        postAs("acc-admin2", "/api/v1/departments", Map.of("id", "acc_used", "name", "En ús"))
                .expectStatus().isCreated();
        postAs("acc-admin2", "/api/v1/departments", Map.of("id", "acc_unused", "name", "Sense ús"))
                .expectStatus().isCreated();
        String code = json(postAs("acc-admin2", "/api/v1/incidents", Map.of("intake", "INTERNAL",
                "category", "other", "description", "Per al departament en ús", "department", "acc_used"))
                .expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody())
                .get("code").asText();

        assertThat(web.delete().uri("/api/v1/departments/acc_used").headers(h -> h.setBasicAuth("acc-admin2",
                        STAFF_PASSWORD)).exchange().expectStatus().isEqualTo(409).expectBody(String.class)
                .returnResult().getResponseBody()).contains("1 open incidents");
        web.delete().uri("/api/v1/departments/acc_unused").headers(h -> h.setBasicAuth("acc-admin2",
                STAFF_PASSWORD)).exchange().expectStatus().isNoContent();
        assertThat(okGet("acc-admin2", "/api/v1/departments").findValuesAsText("id")).contains("acc_used")
                .doesNotContain("acc_unused");
        assertThat(okGet("acc-admin2", "/api/v1/incidents/" + code).get("department").asText()).isEqualTo("acc_used");
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec patch(String user, String uri,
            Object body) {
        return web.patch().uri(uri).headers(h -> h.setBasicAuth(user, STAFF_PASSWORD))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }
}

package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An outside organisation's account (role SUPPLIER) sees only the incidents passed to its organisation, never who
 * reported them, and may set them in progress, add notes and propose closing them; nothing else.
 */
class SupplierAccountTests extends FullStackTest {

    @BeforeEach
    void organisations() {
        staff("sup-admin");
        okPost("sup-admin", "/api/v1/organisations", Map.of("id", "aigues_sup", "name", "Aigües de la Comarca",
                "email", "avisos@aigues.example.org"));
        okPost("sup-admin", "/api/v1/organisations", Map.of("id", "llums_sup", "name", "Llums del Bages"));
        if (users.find("sup-anna").blockOptional().isEmpty()) {
            postAs("sup-admin", "/api/v1/users", Map.of("username", "sup-anna", "displayName", "Anna (Aigües)",
                    "password", STAFF_PASSWORD, "roles", List.of("SUPPLIER"), "organisation", "aigues_sup"))
                    .expectStatus().isCreated();
        }
    }

    String enter(String description, Map<String, Object> contact) {
        return json(postAs("sup-admin", "/api/v1/incidents", Map.of("intake", "PHONE", "category", "other",
                "description", description, "contact", contact)).expectStatus().isCreated()
                .expectBody(String.class).returnResult().getResponseBody()).get("code").asText();
    }

    @Test
    void aSupplierSeesOnlyItsOrganisationsIncidentsWithoutWhoReportedThem() {
        String theirs = enter("Fuita d'aigua al carrer Nou", Map.of("name", "Marc Roca", "phone", "+34600222333"));
        String other = enter("Fanal apagat al carrer Nou", Map.of("name", "Laia Puig"));
        String unassigned = enter("Banc trencat", Map.of("name", "Pau Vidal"));
        JsonNode assigned = okPost("sup-admin", "/api/v1/incidents/" + theirs + "/assignment",
                Map.of("organisation", "aigues_sup"));
        assertThat(assigned.get("organisation").asText()).isEqualTo("aigues_sup");
        okPost("sup-admin", "/api/v1/incidents/" + other + "/assignment", Map.of("organisation", "llums_sup"));
        assertThat(json(postAs("sup-admin", "/api/v1/incidents/" + unassigned + "/assignment",
                Map.of("organisation", "nobody_sup")).expectStatus().isBadRequest().expectBody(String.class)
                .returnResult().getResponseBody()).get("detail").asText()).contains("no organisation");

        JsonNode list = okGet("sup-anna", "/api/v1/incidents?size=200");
        assertThat(list.get("items")).extracting(i -> i.get("code").asText()).containsExactly(theirs);
        JsonNode seen = okGet("sup-anna", "/api/v1/incidents/" + theirs);
        assertThat(seen.get("description").asText()).isEqualTo("Fuita d'aigua al carrer Nou");
        assertThat(seen.get("contact").isNull()).isTrue();
        assertThat(seen.get("contactName").isNull()).isTrue();
        assertThat(seen.get("conversationId").isNull()).isTrue();
        assertThat(seen.toString()).doesNotContain("Marc Roca").doesNotContain("600222333");
        web.get().uri("/api/v1/incidents/" + other).headers(h -> h.setBasicAuth("sup-anna", STAFF_PASSWORD))
                .exchange().expectStatus().isNotFound();
        web.get().uri("/api/v1/conversations").headers(h -> h.setBasicAuth("sup-anna", STAFF_PASSWORD))
                .exchange().expectStatus().isForbidden();

        // What they may do: in progress, notes, a proposal to close. Not close, assign, correct or merge.
        postAs("sup-anna", "/api/v1/incidents/" + theirs + "/status", Map.of("status", "CLOSED",
                "outcome", "POSITIVE")).expectStatus().isForbidden();
        postAs("sup-anna", "/api/v1/incidents/" + theirs + "/assignment", Map.of("department", "x"))
                .expectStatus().isForbidden();
        postAs("sup-anna", "/api/v1/incidents/" + theirs + "/merge", Map.of("into", other))
                .expectStatus().isForbidden();
        assertThat(okPost("sup-anna", "/api/v1/incidents/" + theirs + "/status", Map.of("status", "IN_PROGRESS"))
                .get("status").asText()).isEqualTo("IN_PROGRESS");
        okPost("sup-anna", "/api/v1/incidents/" + theirs + "/notes", Map.of("text", "Tallem l'aigua a les 10 h."));
        JsonNode proposed = okPost("sup-anna", "/api/v1/incidents/" + theirs + "/proposal",
                Map.of("note", "Canonada reparada."));
        assertThat(proposed.get("status").asText()).as("staff confirm it").isEqualTo("IN_PROGRESS");
        assertThat(proposed.get("updates")).extracting(u -> u.get("kind").asText()).endsWith("NOTE", "PROPOSAL");

        // Staff's internal notes stay with staff (they may name the citizen); the supplier's own lines show.
        okPost("sup-admin", "/api/v1/incidents/" + theirs + "/notes", Map.of("text", "Truqueu en Marc al 600222333"));
        JsonNode again = okGet("sup-anna", "/api/v1/incidents/" + theirs);
        assertThat(again.toString()).doesNotContain("600222333").contains("Tallem l'aigua a les 10 h.");

        // The page too: their incidents, no contact, no staff-only cards.
        PageSession anna = PageSession.signIn(web, "sup-anna", STAFF_PASSWORD);
        assertThat(anna.get("/incidents?status=NEW&status=IN_PROGRESS&status=CLOSED")).contains(theirs)
                .doesNotContain(other).doesNotContain(unassigned);
        String page = anna.get("/incidents/" + theirs);
        assertThat(page).doesNotContain("Marc Roca").doesNotContain("assign-submit")
                .doesNotContain("forward-submit").doesNotContain("edit-submit").contains("proposal-submit");

        // Closed by staff, it is not theirs to reopen.
        okPost("sup-admin", "/api/v1/incidents/" + theirs + "/status", Map.of("status", "CLOSED",
                "outcome", "POSITIVE"));
        postAs("sup-anna", "/api/v1/incidents/" + theirs + "/status", Map.of("status", "IN_PROGRESS"))
                .expectStatus().isForbidden();
    }

    @Test
    void aSupplierAccountNeedsAnOrganisationThatExistsAndNoOtherRole() {
        assertThat(json(postAs("sup-admin", "/api/v1/users", Map.of("username", "sup-x", "displayName", "X",
                "password", STAFF_PASSWORD, "roles", List.of("SUPPLIER"))).expectStatus().isBadRequest()
                .expectBody(String.class).returnResult().getResponseBody()).get("detail").asText())
                .contains("organisation");
        postAs("sup-admin", "/api/v1/users", Map.of("username", "sup-y", "displayName", "Y", "password",
                STAFF_PASSWORD, "roles", List.of("SUPPLIER"), "organisation", "nowhere_sup"))
                .expectStatus().isBadRequest();
        postAs("sup-admin", "/api/v1/users", Map.of("username", "sup-z", "displayName", "Z", "password",
                STAFF_PASSWORD, "roles", List.of("SUPPLIER", "AGENT"), "organisation", "aigues_sup"))
                .expectStatus().isBadRequest();
        assertThat(users.find("sup-x").blockOptional()).isEmpty();
    }
}

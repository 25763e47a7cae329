package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.Incidents;
import org.civicbot.bot.incident.Source;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Staff and scripts read incidents and conversations over HTTP Basic. */
class StaffApiTests extends FullStackTest {

    @Autowired
    Incidents incidents;

    Incident report(String ref, String category, String description) {
        return incidents.report(new Incidents.Report(ref, category, description,
                new Incident.Location("Plaça Major 1", 41.72, 1.82, "PIN"), List.of(), Source.STAFF, "Marta", null,
                null, null, null, new Incident.TimelineEntry(Instant.now(), "CREATED", "admin", "Entered by staff")))
                .block();
    }

    @Test
    void refusesAWrongPasswordAndNoCredentialsWithAProblemAndNoBasicChallenge() {
        List<WebTestClient.ResponseSpec> refused = List.of(
                web.get().uri("/api/v1/incidents").headers(h -> h.setBasicAuth("admin", "wrong")).exchange(),
                web.get().uri("/api/v1/incidents").exchange(),
                web.get().uri("/api/v1/conversations").accept(MediaType.TEXT_HTML).exchange());
        for (WebTestClient.ResponseSpec response : refused) {
            // A browser that got "WWW-Authenticate: Basic" would ask for a password and send it cross-site.
            response.expectStatus().isUnauthorized()
                    .expectHeader().doesNotExist(HttpHeaders.WWW_AUTHENTICATE)
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.status").isEqualTo(401)
                    .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("curl -u"));
        }
        // A change without credentials is refused before anything else, for want of a CSRF token: no challenge either.
        web.post().uri("/api/v1/incidents/INC-1999-000001/notes").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"text\": \"x\"}").exchange()
                .expectStatus().isForbidden()
                .expectHeader().doesNotExist(HttpHeaders.WWW_AUTHENTICATE)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("curl -u"));
        // Scripts send their credentials up front, as curl -u does, and need no challenge.
        web.get().uri("/api/v1/incidents").headers(h -> h.setBasicAuth("admin", "admin-password")).exchange()
                .expectStatus().isOk();
    }

    @Test
    void refusesAnAgentAdministrationWithAProblem() {
        web.post().uri("/api/v1/users").headers(h -> h.setBasicAuth("admin", "admin-password"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "api-agent", "displayName", "Api Agent",
                        "password", "api-agent-password", "roles", List.of("AGENT")))
                .exchange().expectStatus().isCreated();
        web.get().uri("/api/v1/users").headers(h -> h.setBasicAuth("api-agent", "api-agent-password")).exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(403);
    }

    @Test
    void listsIncidentsWithFiltersAndFindsOneByCode() {
        Incident lamp = report("api-lamp", "street_lighting", "Fanal apagat al passeig de la Riera");
        report("api-bench", "street_furniture", "Banc trencat");

        web.get().uri("/api/v1/incidents?category=street_lighting&q=PASSEIG+DE+LA+RIERA&status=NEW")
                .headers(h -> h.setBasicAuth("admin", "admin-password")).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.total").isEqualTo(1)
                .jsonPath("$.items[0].code").isEqualTo(lamp.code())
                .jsonPath("$.items[0].category").isEqualTo("street_lighting")
                .jsonPath("$.items[0].source").isEqualTo("STAFF")
                .jsonPath("$.items[0].location.origin").isEqualTo("PIN")
                .jsonPath("$.items[0].status").isEqualTo("NEW");

        web.get().uri("/api/v1/incidents/" + lamp.code()).headers(h -> h.setBasicAuth("admin", "admin-password"))
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.description").isEqualTo("Fanal apagat al passeig de la Riera")
                .jsonPath("$.createdAt").exists();
        web.get().uri("/api/v1/incidents/INC-1999-000001").headers(h -> h.setBasicAuth("admin", "admin-password"))
                .exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.detail").isEqualTo("no incident INC-1999-000001");
        web.get().uri("/api/v1/incidents?size=0").headers(h -> h.setBasicAuth("admin", "admin-password"))
                .exchange().expectStatus().isBadRequest();
    }

    @Test
    void listsConversationsByStatusWithoutTheCitizensNumber() {
        String citizen = "whatsapp:+34600000701";
        whatsapp(citizen, "hola");
        whatsapp(citizen, "persona");

        String body = web.get().uri("/api/v1/conversations?status=AWAITING_AGENT")
                .headers(h -> h.setBasicAuth("admin", "admin-password")).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(body).contains("\"status\":\"AWAITING_AGENT\"").contains("\"displayName\":\"Maria Vila\"")
                .contains("\"channel\":\"WHATSAPP\"").doesNotContain("34600000701");
    }
}

package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.Incidents;
import org.civicbot.bot.incident.Source;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

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
    void refusesAWrongPasswordAndNoCredentials() {
        web.get().uri("/api/v1/incidents").headers(h -> h.setBasicAuth("admin", "wrong")).exchange()
                .expectStatus().isUnauthorized();
        web.get().uri("/api/v1/incidents").exchange().expectStatus().isUnauthorized();
        web.get().uri("/api/v1/conversations").exchange().expectStatus().isUnauthorized();
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

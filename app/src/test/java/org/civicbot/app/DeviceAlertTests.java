package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.util.List;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.Source;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** Devices post alerts that become incidents, once per alert, and only with their token. */
class DeviceAlertTests extends FullStackTest {

    static final String ALERT = """
            {"alertId": "A-1001", "type": "container_full", "message": "Contenidor de rebuig ple al 95%",
             "latitude": 41.7260, "longitude": 1.8250, "occurredAt": "2026-11-22T08:15:00Z", "assetId": "CNT-0042"}
            """;

    @Test
    void createsOneIncidentForAnAlertPostedTwice() {
        web.post().uri("/api/v1/device-alerts").header("Authorization", "Bearer device-token-7")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(ALERT).exchange()
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.created").isEqualTo(true)
                .jsonPath("$.incidentCode").value(code -> assertThat((String) code).matches("INC-20\\d\\d-\\d{6}"));
        web.post().uri("/api/v1/device-alerts").header("Authorization", "Bearer device-token-7")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(ALERT).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.created").isEqualTo(false);

        List<Incident> incidents = mongo.find(query(where("deviceId").is("truck-7")), Incident.class)
                .collectList().block();
        assertThat(incidents).hasSize(1);
        Incident incident = incidents.get(0);
        assertThat(incident.source()).isEqualTo(Source.DEVICE);
        assertThat(incident.location().latitude()).isEqualTo(41.7260);
        assertThat(incident.location().origin()).isEqualTo("DEVICE");
        assertThat(incident.timeline()).singleElement().satisfies(entry -> {
            assertThat(entry.type()).isEqualTo("SYSTEM");
            assertThat(entry.actor()).isEqualTo("truck-7");
            assertThat(entry.text()).contains("container_full").contains("CNT-0042");
        });
    }

    @Test
    void refusesAnAlertWithoutAValidTokenAndCreatesNothing() {
        String alert = ALERT.replace("A-1001", "A-2002");
        web.post().uri("/api/v1/device-alerts").contentType(MediaType.APPLICATION_JSON).bodyValue(alert).exchange()
                .expectStatus().isUnauthorized();
        web.post().uri("/api/v1/device-alerts").header("Authorization", "Bearer wrong")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(alert).exchange()
                .expectStatus().isUnauthorized();

        assertThat(mongo.count(query(where("_id").is("device:truck-7:A-2002")), Incident.class).block()).isZero();
    }

    @Test
    void refusesABadAlertNamingTheFields() {
        web.post().uri("/api/v1/device-alerts").header("Authorization", "Bearer device-token-7")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"type\": \"\", \"latitude\": 200}").exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors.alertId").exists()
                .jsonPath("$.errors.type").exists()
                .jsonPath("$.errors.latitude").exists();
    }
}

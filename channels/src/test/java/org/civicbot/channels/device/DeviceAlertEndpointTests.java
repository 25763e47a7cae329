package org.civicbot.channels.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.civicbot.bot.device.DeviceAlert;
import org.civicbot.bot.device.DeviceAlerts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

class DeviceAlertEndpointTests {

    static final String TOKEN = "truck-7-token";
    static final String ALERT = "{\"alertId\": \"a-1\", \"type\": \"container_full\", \"message\": \"Contenidor ple\","
            + " \"latitude\": 41.72, \"longitude\": 1.82, \"occurredAt\": \"2026-11-22T09:58:00Z\", \"assetId\": \"C-118\"}";

    RecordingDeviceAlerts deviceAlerts;
    WebTestClient client;

    @BeforeEach
    void setUp() {
        deviceAlerts = new RecordingDeviceAlerts();
        client = WebTestClient.bindToRouterFunction(new DeviceAlertEndpoint(deviceAlerts).routes()).build();
    }

    @Test
    void rejectsARequestWithoutOrWithAWrongTokenWithBearerChallenge() {
        for (String authorization : new String[] {null, "Bearer wrong-token", "Basic dXNlcjpwYXNz", "Bearer "}) {
            client.post().uri(DeviceAlertEndpoint.PATH)
                    .headers(h -> {
                        if (authorization != null) {
                            h.set(HttpHeaders.AUTHORIZATION, authorization);
                        }
                    })
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(ALERT)
                    .exchange()
                    .expectStatus().isUnauthorized()
                    .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.status").isEqualTo(401);
        }

        assertThat(deviceAlerts.reported).isEmpty();
    }

    @Test
    void rejectsAnInvalidAlertNamingEachField() {
        post("{\"type\": \"\", \"message\": \"" + "x".repeat(2001) + "\", \"latitude\": 91, \"occurredAt\": \"yesterday\"}")
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail").value(detail -> assertThat((String) detail)
                        .contains("alertId", "type", "message", "latitude", "occurredAt"))
                .jsonPath("$.errors.alertId").isEqualTo("is required")
                .jsonPath("$.errors.type").isEqualTo("must not be blank")
                .jsonPath("$.errors.message").isEqualTo("must be at most 2000 characters")
                .jsonPath("$.errors.latitude").isEqualTo("must be between -90 and 90")
                .jsonPath("$.errors.occurredAt").exists();

        assertThat(deviceAlerts.reported).isEmpty();
    }

    @Test
    void rejectsALatitudeWithoutLongitude() {
        post("{\"alertId\": \"a-2\", \"type\": \"t\", \"message\": \"m\", \"latitude\": 41.7}")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors.longitude").exists();
    }

    @Test
    void rejectsUnparseableJson() {
        post("{\"alertId\": ")
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);

        assertThat(deviceAlerts.reported).isEmpty();
    }

    @Test
    void createsTheIncidentOnceAndAnswersARepeatWith200() {
        post(ALERT).expectStatus().isCreated()
                .expectBody().jsonPath("$.incidentCode").isEqualTo("INC-2026-000001").jsonPath("$.created").isEqualTo(true);
        post(ALERT).expectStatus().isOk()
                .expectBody().jsonPath("$.incidentCode").isEqualTo("INC-2026-000001").jsonPath("$.created").isEqualTo(false);

        assertThat(deviceAlerts.reported).first().isEqualTo(new DeviceAlert("a-1", "container_full", "Contenidor ple",
                41.72, 1.82, Instant.parse("2026-11-22T09:58:00Z"), "C-118"));
    }

    private WebTestClient.ResponseSpec post(String body) {
        return client.post().uri(DeviceAlertEndpoint.PATH)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    /** One device, and an incident per alert id. */
    static class RecordingDeviceAlerts implements DeviceAlerts {

        final List<DeviceAlert> reported = new CopyOnWriteArrayList<>();
        final Map<String, String> incidents = new ConcurrentHashMap<>();

        @Override
        public Mono<Optional<org.civicbot.bot.device.Device>> authenticate(String bearerToken) {
            return Mono.just(TOKEN.equals(bearerToken) ? Optional.of(new org.civicbot.bot.device.Device("truck-7",
                    "truck", "Truck 7", null, null, "hash", "secret", false, false, null, null, null, null, null, 0L))
                    : Optional.empty());
        }

        @Override
        public Mono<Receipt> report(org.civicbot.bot.device.Device device, DeviceAlert alert) {
            reported.add(alert);
            String key = device.id() + "/" + alert.alertId();
            boolean created = !incidents.containsKey(key);
            String code = incidents.computeIfAbsent(key, k -> String.format("INC-2026-%06d", incidents.size() + 1));
            return Mono.just(new Receipt(code, created, created ? "incident" : "duplicate", 1));
        }

        @Override
        public boolean signed(org.civicbot.bot.device.Device device, String timestamp, String signature,
                String body) {
            return false;
        }

        @Override
        public Mono<Optional<java.time.Duration>> throttled(org.civicbot.bot.device.Device device) {
            return Mono.just(Optional.empty());
        }
    }
}

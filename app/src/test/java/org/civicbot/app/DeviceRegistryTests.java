package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.civicbot.backoffice.staff.StaffUser;
import org.civicbot.bot.Channel;
import org.civicbot.bot.Hashes;
import org.civicbot.bot.conversation.ConversationIds;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.IncidentStatus;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The device registry: admins add devices (the token shown once), rotate and revoke them, and say what each type of
 * alert does; repeats of a type from one asset gather on one incident; a resolved alert closes it and tells its
 * followers; signed devices are checked; a batch answers item by item; a device is held to its rate.
 */
class DeviceRegistryTests extends FullStackTest {

    private JsonNode addDevice(String id, String asset, boolean signs) {
        staff("devices-admin");
        return json(postAs("devices-admin", "/api/v1/devices", Map.of("id", id, "type", "container_sensor",
                "name", "Sensor " + id, "assetId", asset, "department", "cleaning", "requireSignature", signs))
                .expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody());
    }

    private WebTestClient.ResponseSpec alert(String token, String body) {
        return web.post().uri("/api/v1/device-alerts").header("Authorization", "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private static String body(String alertId, String type, String state) {
        return "{\"alertId\": \"" + alertId + "\", \"type\": \"" + type + "\", \"message\": \"Contenidor ple al 95%\","
                + " \"latitude\": 41.7262, \"longitude\": 1.8262" + (state == null ? "" : ", \"state\": \"" + state + "\"")
                + "}";
    }

    @Test
    void aRevokedDeviceIsRefusedAtOnceAndARotatedTokenReplacesTheOld() {
        JsonNode added = addDevice("sensor-r1", "CNT-R1", false);
        String token = added.get("token").asText();
        assertThat(added.get("signingSecret").asText()).hasSize(64);
        assertThat(added.get("device").get("revoked").asBoolean()).isFalse();
        staff("devices-agent", StaffUser.Role.AGENT);
        postAs("devices-agent", "/api/v1/devices", Map.of("id", "x", "type", "y")).expectStatus().isForbidden();
        postAs("devices-admin", "/api/v1/devices", Map.of("id", "sensor-r1", "type", "y")).expectStatus()
                .isEqualTo(409);
        assertThat(okGet("devices-admin", "/api/v1/devices").toString()).doesNotContain(token)
                .doesNotContain(added.get("signingSecret").asText());

        alert(token, body("R1-1", "bin_tilted", null)).expectStatus().isCreated();
        String rotated = okPost("devices-admin", "/api/v1/devices/sensor-r1/token", Map.of()).get("token").asText();
        alert(token, body("R1-2", "bin_tilted", null)).expectStatus().isUnauthorized();
        alert(rotated, body("R1-2", "bin_tilted", null)).expectStatus().isCreated();
        web.delete().uri("/api/v1/devices/sensor-r1").headers(h -> h.setBasicAuth("devices-admin", STAFF_PASSWORD))
                .exchange().expectStatus().isOk();
        alert(rotated, body("R1-3", "bin_tilted", null)).expectStatus().isUnauthorized();
        // A second device revoked too (the revoked ones share no token value).
        String second = addDevice("sensor-r2", "CNT-R2", false).get("token").asText();
        web.delete().uri("/api/v1/devices/sensor-r2").headers(h -> h.setBasicAuth("devices-admin", STAFF_PASSWORD))
                .exchange().expectStatus().isOk();
        alert(second, body("R2-1", "bin_tilted", null)).expectStatus().isUnauthorized();
        JsonNode listed = okGet("devices-admin", "/api/v1/devices");
        JsonNode device = java.util.stream.StreamSupport.stream(listed.spliterator(), false)
                .filter(d -> d.get("id").asText().equals("sensor-r1")).findFirst().orElseThrow();
        assertThat(device.get("revoked").asBoolean()).isTrue();
        assertThat(device.get("alertCount").asLong()).isEqualTo(2);
        assertThat(device.get("lastSeenAt").isNull()).isFalse();
    }

    @Test
    void tenAlertsOfATypeFromAnAssetMakeOneIncidentAndAResolvedOneClosesItTellingItsFollowers() {
        addDevice("sensor-a1", "CNT-A1", false);
        String token = okPost("devices-admin", "/api/v1/devices/sensor-a1/token", Map.of()).get("token").asText();
        web.put().uri("/api/v1/device-alert-types/container_full_a").headers(h -> h.setBasicAuth("devices-admin",
                STAFF_PASSWORD)).contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("action", "INCIDENT",
                "category", "cleaning_waste", "priority", "HIGH", "closeOnResolve", true)).exchange()
                .expectStatus().isOk();
        String code = null;
        for (int i = 1; i <= 10; i++) {
            JsonNode answer = json(alert(token, body("A1-" + i, "container_full_a", null)).expectStatus().isCreated()
                    .expectBody(String.class).returnResult().getResponseBody());
            assertThat(answer.get("status").asText()).isEqualTo(i == 1 ? "incident" : "added");
            code = code == null ? answer.get("incidentCode").asText() : code;
            assertThat(answer.get("incidentCode").asText()).isEqualTo(code);
        }
        alert(token, body("A1-10", "container_full_a", null)).expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("duplicate");
        JsonNode incident = okGet("devices-admin", "/api/v1/incidents/" + code);
        assertThat(incident.get("alertCount").asInt()).isEqualTo(10);
        assertThat(incident.get("assetId").asText()).isEqualTo("CNT-A1");
        assertThat(incident.get("category").asText()).isEqualTo("cleaning_waste");
        assertThat(incident.get("priority").asText()).isEqualTo("HIGH");
        assertThat(mongo.count(query(where("assetId").is("CNT-A1")), Incident.class).block()).isEqualTo(1);

        // A citizen follows it; the device says the condition is over: closed, positive, and the citizen is told.
        long chat = Providers.newChat();
        long hello = Providers.nextUpdateId();
        telegram(hello, Providers.telegramText(hello, chat, "hola"));
        String conversation = conversationIds.of(Channel.TELEGRAM, String.valueOf(chat));
        mongo.updateFirst(query(where("code").is(code)), new org.springframework.data.mongodb.core.query.Update()
                .addToSet("followers", conversation), Incident.class).block();
        alert(token, body("A1-11", "container_full_a", "resolved")).expectStatus().isCreated().expectBody()
                .jsonPath("$.status").isEqualTo("resolved");
        Incident closed = mongo.findOne(query(where("code").is(code)), Incident.class).block();
        assertThat(closed.status()).isEqualTo(IncidentStatus.CLOSED);
        assertThat(closed.outcome()).isEqualTo("POSITIVE");
        String finalCode = code;
        org.awaitility.Awaitility.await().atMost(PATIENCE).untilAsserted(() -> assertThat(
                Providers.telegramTextsTo(chat)).anyMatch(t -> t.contains(finalCode)));

        // After it closed, the next alert starts a new incident.
        JsonNode again = json(alert(token, body("A1-12", "container_full_a", null)).expectStatus().isCreated()
                .expectBody(String.class).returnResult().getResponseBody());
        assertThat(again.get("status").asText()).isEqualTo("incident");
        assertThat(again.get("incidentCode").asText()).isNotEqualTo(code);
    }

    @Test
    void aSignedDeviceIsRefusedAWrongBodyAnOldTimestampOrNoSignature() {
        JsonNode added = addDevice("sensor-s1", "CNT-S1", true);
        String token = added.get("token").asText();
        String secret = added.get("signingSecret").asText();
        String body = body("S1-1", "bin_tilted", null);
        long now = System.currentTimeMillis() / 1000;
        alert(token, body).expectStatus().isUnauthorized();
        signed(token, body, now, sign(secret, now, body.replace("95%", "15%"))).expectStatus().isUnauthorized();
        signed(token, body, now - 600, sign(secret, now - 600, body)).expectStatus().isUnauthorized();
        signed(token, body, now, sign(secret, now, body)).expectStatus().isCreated();
    }

    @Test
    void aBatchAnswersItemByItemAndDuplicatesNothing() {
        addDevice("sensor-b1", "CNT-B1", false);
        String token = okPost("devices-admin", "/api/v1/devices/sensor-b1/token", Map.of()).get("token").asText();
        String batch = "{\"alerts\": [" + body("B1-1", "bin_tilted", null) + ", " + body("B1-1", "bin_tilted", null)
                + ", {\"alertId\": \"B1-bad\", \"message\": \"sense tipus\"}, " + body("B1-2", "bin_tilted", null)
                + "]}";
        JsonNode results = json(web.post().uri("/api/v1/device-alerts/batch").header("Authorization", "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(batch).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody()).get("results");
        assertThat(results.findValuesAsText("status")).containsExactly("incident", "duplicate", "invalid", "added");
        assertThat(results.get(2).get("errors").get("type").asText()).isEqualTo("is required");
        assertThat(results.get(0).get("incidentCode").asText()).isEqualTo(results.get(3).get("incidentCode").asText());
        // Sent again (the device did not hear the answer): every item a duplicate, nothing counted twice.
        JsonNode again = json(web.post().uri("/api/v1/device-alerts/batch").header("Authorization", "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(batch).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody()).get("results");
        assertThat(again.findValuesAsText("status")).containsExactly("duplicate", "duplicate", "invalid", "duplicate");
        assertThat(mongo.findOne(query(where("assetId").is("CNT-B1")), Incident.class).block().alertCount())
                .isEqualTo(2);
    }

    @Test
    void aDeviceBeyondItsRateIsToldWhenToTryAgain() {
        addDevice("sensor-l1", "CNT-L1", false);
        String token = okPost("devices-admin", "/api/v1/devices/sensor-l1/token", Map.of()).get("token").asText();
        List<Integer> statuses = new java.util.ArrayList<>();
        String retryAfter = null;
        for (int i = 0; i < 31; i++) {
            var result = alert(token, body("L1-" + i, "bin_tilted", null)).expectBody(String.class).returnResult();
            statuses.add(result.getStatus().value());
            retryAfter = result.getResponseHeaders().getFirst("Retry-After");
        }
        assertThat(statuses.subList(0, 30)).allMatch(s -> s == 201);
        assertThat(statuses.get(30)).isEqualTo(429);
        assertThat(Integer.parseInt(retryAfter)).isBetween(1, 60);
    }

    @org.springframework.beans.factory.annotation.Autowired
    org.civicbot.bot.incident.Incidents incidents;

    @org.springframework.beans.factory.annotation.Autowired
    org.civicbot.bot.announcement.Subscriptions subscriptions;

    /** An ANNOUNCE type tells the subscribers of its topic in its area (the truck's route), and nobody else. */
    @Test
    void anAnnounceAlertReachesTheRoutesSubscribersOnly() {
        addDevice("truck-r5", "ROUTE-5", false);
        String token = okPost("devices-admin", "/api/v1/devices/truck-r5/token", Map.of()).get("token").asText();
        String polygon = "{\"type\": \"Polygon\", \"coordinates\": [[[1.80, 41.70], [1.81, 41.70], [1.81, 41.71],"
                + " [1.80, 41.71], [1.80, 41.70]]]}";
        postAs("devices-admin", "/api/v1/areas", "{\"id\": \"route_5\", \"name\": \"Ruta 5\", \"geometry\": "
                + polygon + "}").expectStatus().isOk();
        postAs("devices-admin", "/api/v1/areas", "{\"id\": \"route_6\", \"name\": \"Ruta 6\", \"geometry\": "
                + polygon + "}").expectStatus().isOk();
        String onRoute = "whatsapp:+34600007501";
        String elsewhere = "whatsapp:+34600007502";
        for (String[] who : new String[][] {{onRoute, "route_5"}, {elsewhere, "route_6"}}) {
            whatsapp(who[0], "hola");
            subscriptions.subscribe(conversation(Channel.WHATSAPP, who[0]).id(), "waste", who[1]).block();
        }
        web.put().uri("/api/v1/device-alert-types/collection_delayed").headers(h -> h.setBasicAuth("devices-admin",
                STAFF_PASSWORD)).contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("action", "ANNOUNCE",
                "topic", "waste", "area", "route_5", "texts", Map.of(
                        "ca", "La recollida de la {asset} va amb retard: {message}",
                        "es", "La recogida de la {asset} va con retraso: {message}",
                        "en", "Collection on {asset} is late: {message}"))).exchange().expectStatus().isOk();
        String body = "{\"alertId\": \"R5-1\", \"type\": \"collection_delayed\", \"message\": \"uns 40 minuts\"}";
        alert(token, body).expectStatus().isCreated().expectBody().jsonPath("$.status").isEqualTo("announced");
        alert(token, body).expectStatus().isOk();
        org.awaitility.Awaitility.await().atMost(PATIENCE).untilAsserted(() -> assertThat(
                Providers.twilioBodiesTo(onRoute)).filteredOn(b -> b != null
                        && b.contains("La recollida de la ROUTE-5 va amb retard: uns 40 minuts")).hasSize(1));
        assertThat(Providers.twilioBodiesTo(elsewhere)).noneMatch(b -> b != null && b.contains("ROUTE-5"));
        assertThat(mongo.count(query(where("assetId").is("ROUTE-5")), Incident.class).block()).as("no incident")
                .isZero();
    }

    /** A citizen's report near a device's open incident of its category, or naming its asset, is linked to it. */
    @Test
    void aCitizensReportNearADeviceIncidentOrNamingItsAssetIsLinkedToIt() {
        addDevice("sensor-c1", "CNT-C1", false);
        String token = okPost("devices-admin", "/api/v1/devices/sensor-c1/token", Map.of()).get("token").asText();
        web.put().uri("/api/v1/device-alert-types/container_full_c").headers(h -> h.setBasicAuth("devices-admin",
                STAFF_PASSWORD)).contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("action", "INCIDENT",
                "category", "cleaning_waste")).exchange().expectStatus().isOk();
        String device = json(alert(token, body("C1-1", "container_full_c", null).replace("41.7262", "41.7400")
                .replace("1.8262", "1.8400")).expectStatus().isCreated().expectBody(String.class).returnResult()
                .getResponseBody()).get("incidentCode").asText();

        Incident near = incidents.report(new org.civicbot.bot.incident.Incidents.Report("citizen-near-c1",
                "cleaning_waste", "El contenidor de la cantonada desborda", new Incident.Location("Carrer Nou, 3",
                41.7403, 1.8402, "PIN"), List.of(), org.civicbot.bot.incident.Source.TELEGRAM, "Anna", Channel.TELEGRAM,
                "conversation-near-c1", null, null, new Incident.TimelineEntry(java.time.Instant.now(), "CREATED",
                "citizen", "Reported on TELEGRAM"))).block();
        assertThat(near.linked()).containsExactly(device);
        Incident naming = incidents.report(new org.civicbot.bot.incident.Incidents.Report("citizen-names-c1",
                "street_furniture", "El contenidor cnt-c1 fa pudor i està trencat", null, List.of(),
                org.civicbot.bot.incident.Source.TELEGRAM, "Pere", Channel.TELEGRAM, "conversation-names-c1", null,
                null, new Incident.TimelineEntry(java.time.Instant.now(), "CREATED", "citizen", "Reported"))).block();
        assertThat(naming.linked()).containsExactly(device);
        Incident far = incidents.report(new org.civicbot.bot.incident.Incidents.Report("citizen-far-c1",
                "cleaning_waste", "Brossa al parc", new Incident.Location("Parc", 41.7600, 1.8600, "PIN"), List.of(),
                org.civicbot.bot.incident.Source.TELEGRAM, "Joan", Channel.TELEGRAM, "conversation-far-c1", null, null,
                new Incident.TimelineEntry(java.time.Instant.now(), "CREATED", "citizen", "Reported"))).block();
        assertThat(far.linked()).isEmpty();

        JsonNode deviceView = okGet("devices-admin", "/api/v1/incidents/" + device);
        List<String> linked = new java.util.ArrayList<>();
        deviceView.get("linked").forEach(n -> linked.add(n.asText()));
        assertThat(linked).containsExactlyInAnyOrder(near.code(), naming.code());
        Incident stored = mongo.findOne(query(where("code").is(device)), Incident.class).block();
        assertThat(stored.followers()).contains("conversation-near-c1", "conversation-names-c1");
    }

    private WebTestClient.ResponseSpec signed(String token, String body, long timestamp, String signature) {
        return web.post().uri("/api/v1/device-alerts").header("Authorization", "Bearer " + token)
                .header("X-Civicbot-Timestamp", String.valueOf(timestamp)).header("X-Civicbot-Signature", signature)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private static String sign(String secret, long timestamp, String body) {
        return "sha256=" + HexFormat.of().formatHex(Hashes.hmacSha256(secret.getBytes(StandardCharsets.UTF_8),
                timestamp + "." + body));
    }
}

package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.Source;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The Open311 GeoReport v2 API: every answer has the specification's fields, in its order, with values of the kinds
 * it defines (checked against its examples, in {@code src/test/resources/open311}); a request is filed only with a
 * valid api_key, shows in the back-office, and its status follows what staff do; the public reads no description
 * and no exact place.
 */
class Open311Tests extends FullStackTest {

    private static final Pattern W3C = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}([+-]\\d{2}:\\d{2}|Z)");

    /** The kind of value the specification defines for each field; {@code ?} when it may be empty. */
    private static final Map<String, String> KINDS = Map.ofEntries(
            Map.entry("service_code", "string"), Map.entry("service_name", "string"),
            Map.entry("description", "string?"), Map.entry("metadata", "boolean"),
            Map.entry("type", "realtime|batch|blackbox"), Map.entry("keywords", "string?"),
            Map.entry("group", "string?"), Map.entry("attributes", "array"),
            Map.entry("service_request_id", "string"), Map.entry("status", "open|closed"),
            Map.entry("status_notes", "string?"), Map.entry("agency_responsible", "string?"),
            Map.entry("service_notice", "string?"), Map.entry("requested_datetime", "datetime"),
            Map.entry("updated_datetime", "datetime?"), Map.entry("expected_datetime", "datetime?"),
            Map.entry("address", "string?"), Map.entry("address_id", "string?"), Map.entry("zipcode", "string?"),
            Map.entry("lat", "number?"), Map.entry("long", "number?"), Map.entry("media_url", "url?"),
            Map.entry("account_id", "string?"), Map.entry("code", "integer"));

    @Test
    void servicesAndTheirDefinitionsHaveTheSpecificationsFields() {
        JsonNode services = read("/open311/v2/services.json", "ca");
        conforms(services, "services.json");
        JsonNode lighting = find(services, "service_code", "street_lighting");
        assertThat(lighting.get("service_name").asText()).isEqualTo("Enllumenat públic");
        assertThat(lighting.get("metadata").asBoolean()).isFalse();
        assertThat(find(read("/open311/v2/services.json", "es"), "service_code", "street_lighting")
                .get("service_name").asText()).isEqualTo("Alumbrado público");

        JsonNode definition = read("/open311/v2/services/street_lighting.json", null);
        assertThat(fields(definition)).isEqualTo(fields(example("service-definition.json")));
        assertThat(definition.get("service_code").asText()).isEqualTo("street_lighting");
        assertThat(definition.get("attributes").isArray()).isTrue();

        EntityExchangeResult<String> unknown = web.get().uri("/open311/v2/services/no_such_service.json").exchange()
                .expectStatus().isNotFound().expectBody(String.class).returnResult();
        conforms(json(unknown.getResponseBody()), "errors.json");
        web.get().uri("/open311/v2/services.csv").exchange().expectStatus().isNotFound();
    }

    @Test
    void aRequestIsFiledOnlyWithAValidKeyAndItsStatusFollowsStaff() {
        staff("o311-admin");
        staff("o311-agent", org.civicbot.backoffice.staff.StaffUser.Role.AGENT);
        // Only admins allow clients.
        postAs("o311-agent", "/api/v1/open311-clients", Map.of("id", "o311-app", "name", "App"))
                .expectStatus().isForbidden();
        JsonNode app = json(postAs("o311-admin", "/api/v1/open311-clients", Map.of("id", "o311-app",
                "name", "L'app del barri")).expectStatus().isCreated().expectBody(String.class).returnResult()
                .getResponseBody());
        String key = app.get("apiKey").asText();
        assertThat(key).startsWith("o311-app.").hasSizeGreaterThan(40);
        assertThat(okGet("o311-admin", "/api/v1/open311-clients").toString()).contains("o311-app")
                .doesNotContain(key.substring(9));

        String marker = "O311marca" + System.nanoTime();
        Map<String, String> form = Map.of("service_code", "street_lighting", "lat", "41.6123456", "long", "1.6234567",
                "description", "Fanal apagat davant l'escola " + marker, "first_name", "Núria", "last_name", "Puig",
                "email", "nuria.puig@example.org", "account_id", "veïna-42");
        long before = count(Incident.class, "source", Source.OPEN311);

        EntityExchangeResult<String> noKey = post(form, null, null).expectStatus().isForbidden()
                .expectBody(String.class).returnResult();
        conforms(json(noKey.getResponseBody()), "errors.json");
        assertThat(json(noKey.getResponseBody()).get(0).get("code").asInt()).isEqualTo(403);
        post(form, "o311-app.wrong-secret-of-the-right-length-000000000000", null).expectStatus().isForbidden();
        assertThat(count(Incident.class, "source", Source.OPEN311)).isEqualTo(before);

        JsonNode filed = json(post(form, key, "retry-1").expectStatus().isCreated()
                .expectHeader().contentType("application/json;charset=UTF-8")
                .expectBody(String.class).returnResult().getResponseBody());
        conforms(filed, "post-request.json");
        String code = filed.get(0).get("service_request_id").asText();
        assertThat(code).matches("INC-\\d{4}-\\d{6}");
        assertThat(filed.get(0).get("account_id").asText()).isEqualTo("veïna-42");
        // The client retried (the answer was lost): the same request, not a second one.
        assertThat(json(post(form, key, "retry-1").expectStatus().isCreated().expectBody(String.class).returnResult()
                .getResponseBody()).get(0).get("service_request_id").asText()).isEqualTo(code);
        assertThat(count(Incident.class, "source", Source.OPEN311)).isEqualTo(before + 1);

        // Staff see it in the back-office, with who sent it and the citizen's contact.
        JsonNode seen = okGet("o311-admin", "/api/v1/incidents/" + code);
        assertThat(seen.get("source").asText()).isEqualTo("OPEN311");
        assertThat(seen.get("description").asText()).contains(marker);
        assertThat(seen.toString()).contains("L'app del barri").contains("nuria.puig@example.org");
        assertThat(okGet("o311-admin", "/api/v1/incidents?source=OPEN311&q=" + marker).get("total").asLong())
                .isEqualTo(1);
        assertThat(PageSession.signIn(web, "o311-admin", STAFF_PASSWORD).get("/incidents?source=OPEN311&q=" + marker))
                .contains(code);

        // The public reads its status, where about it is, and who handles it; not its words, nor the exact place.
        JsonNode open = read("/open311/v2/requests/" + code + ".json", "ca");
        conforms(open, "requests.json");
        JsonNode one = open.get(0);
        assertThat(one.get("status").asText()).isEqualTo("open");
        assertThat(one.get("status_notes").asText()).isEqualTo("Hem rebut la incidència.");
        assertThat(one.get("service_name").asText()).isEqualTo("Enllumenat públic");
        assertThat(one.get("description").isNull()).isTrue();
        assertThat(one.get("address").isNull()).isTrue();
        assertThat(one.get("lat").asDouble()).isEqualTo(41.612);
        assertThat(one.get("long").asDouble()).isEqualTo(1.623);
        assertThat(one.get("agency_responsible").asText()).isNotBlank();

        okPost("o311-admin", "/api/v1/incidents/" + code + "/status", Map.of("status", "CLOSED",
                "outcome", "POSITIVE", "note", "Hem canviat la bombeta."));
        JsonNode closed = read("/open311/v2/requests/" + code + ".json", "ca").get(0);
        assertThat(closed.get("status").asText()).isEqualTo("closed");
        // The public reads the flows' words; what staff wrote for the citizen stays on the citizen's own page.
        assertThat(closed.get("status_notes").asText()).isEqualTo("Tancada: resolta.");
        assertThat(closed.get("expected_datetime").isNull()).isTrue();
        assertThat(read("/open311/v2/requests/" + code + ".json", "en").get(0).get("status_notes").asText())
                .startsWith("Closed: resolved.");

        // A client admins let read details gets the words and the exact place.
        String details = json(postAs("o311-admin", "/api/v1/open311-clients", Map.of("id", "o311-crm",
                "name", "CRM", "readsDetails", true)).expectStatus().isCreated().expectBody(String.class)
                .returnResult().getResponseBody()).get("apiKey").asText();
        JsonNode full = read("/open311/v2/requests/" + code + ".json?api_key=" + details, "ca").get(0);
        assertThat(full.get("description").asText()).contains(marker);
        assertThat(full.get("lat").asDouble()).isEqualTo(41.6123456);
        assertThat(full.get("status_notes").asText()).isEqualTo("Tancada: resolta. Hem canviat la bombeta.");

        // The list finds it by its service, status and dates, and not by another status.
        String list = "/open311/v2/requests.json?service_code=street_lighting&start_date=2020-01-01T00:00:00Z";
        JsonNode closedOnes = read(list + "&status=closed", null);
        conforms(closedOnes, "requests.json");
        assertThat(find(closedOnes, "service_request_id", code)).isNotNull();
        assertThat(ids(read(list + "&status=open", null))).doesNotContain(code);
        // An end date includes its whole day.
        String today = java.time.LocalDate.now(java.time.ZoneId.of("Europe/Madrid")).toString();
        assertThat(ids(read(list + "&end_date=" + today, null))).contains(code);
        assertThat(ids(read("/open311/v2/requests.json?service_request_id=,&start_date=2020-01-01", null)))
                .as("an empty list of ids reads as none given").contains(code);
        assertThat(ids(read("/open311/v2/requests.json?service_request_id=" + code + ",INC-1999-000001", null)))
                .containsExactly(code);
        web.get().uri("/open311/v2/requests.json?status=pending").exchange().expectStatus().isBadRequest();
        web.get().uri("/open311/v2/requests.json?start_date=yesterday").exchange().expectStatus().isBadRequest();
        web.get().uri("/open311/v2/requests.json?api_key=" + key + "x").exchange().expectStatus().isForbidden();

        // A revoked key files nothing more.
        web.delete().uri("/api/v1/open311-clients/o311-app").headers(h -> h.setBasicAuth("o311-admin", STAFF_PASSWORD))
                .exchange().expectStatus().isOk();
        post(form, key, "after-revoke").expectStatus().isForbidden();
        assertThat(count(Incident.class, "source", Source.OPEN311)).isEqualTo(before + 1);
    }

    @Test
    void badRequestsAreRefusedWithAReasonAndFileNothing() {
        staff("o311-admin2");
        String key = json(postAs("o311-admin2", "/api/v1/open311-clients", Map.of("id", "o311-strict",
                "name", "Strict")).expectStatus().isCreated().expectBody(String.class).returnResult()
                .getResponseBody()).get("apiKey").asText();
        long before = count(Incident.class, "source", Source.OPEN311);
        assertRefused(Map.of("lat", "41.6", "long", "1.6", "description", "x"), key, "service_code is required");
        assertRefused(Map.of("service_code", "nope", "lat", "41.6", "long", "1.6", "description", "x"), key,
                "service_code nope is not one of this town's services");
        assertRefused(Map.of("service_code", "street_lighting", "description", "x"), key, "a request needs a place");
        assertRefused(Map.of("service_code", "street_lighting", "lat", "41.6", "description", "x"), key,
                "give both lat and long");
        assertRefused(Map.of("service_code", "street_lighting", "lat", "north", "long", "1.6", "description", "x"),
                key, "lat and long are decimal degrees");
        assertRefused(Map.of("service_code", "street_lighting", "address_string", "Carrer Major 3"), key,
                "description is required");
        assertRefused(Map.of("service_code", "street_lighting", "address_string", "Carrer Major 3",
                "description", "x", "email", "not-an-address"), key, "is not an e-mail address");
        assertRefused(Map.of("service_code", "street_lighting", "address_string", "Carrer Major 3",
                "description", "x", "media_url", "javascript:alert(1)"), key, "media_url must be");
        assertThat(count(Incident.class, "source", Source.OPEN311)).isEqualTo(before);
    }

    @Test
    void aClientPostingTooFastIsToldWhenToComeBack() {
        staff("o311-admin3");
        String key = json(postAs("o311-admin3", "/api/v1/open311-clients", Map.of("id", "o311-fast",
                "name", "Fast")).expectStatus().isCreated().expectBody(String.class).returnResult()
                .getResponseBody()).get("apiKey").asText();
        // The test context allows 10 posts a minute. Within 21 posts one clock minute holds 11, whenever the
        // minute turns: one of them is refused.
        Map<String, String> incomplete = Map.of("service_code", "street_lighting");
        EntityExchangeResult<String> refused = null;
        for (int i = 0; i < 21 && refused == null; i++) {
            EntityExchangeResult<String> answer = post(incomplete, key, null).expectBody(String.class).returnResult();
            if (answer.getStatus().value() == 429) {
                refused = answer;
            } else {
                assertThat(answer.getStatus().value()).isEqualTo(400);
            }
        }
        assertThat(refused).as("a post beyond the limit").isNotNull();
        assertThat(Integer.parseInt(refused.getResponseHeaders().getFirst("Retry-After"))).isBetween(1, 60);
        conforms(json(refused.getResponseBody()), "errors.json");
        assertThat(refused.getResponseBody()).contains("more than 10 requests a minute");
    }

    @Test
    void answersInXmlAsTheSpecificationsExamples() throws Exception {
        byte[] body = web.get().uri("/open311/v2/requests.xml?start_date=2000-01-01").exchange().expectStatus().isOk()
                .expectHeader().contentType("text/xml;charset=UTF-8").expectBody(byte[].class).returnResult()
                .getResponseBody();
        Element root = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(body)).getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("service_requests");
        List<String> exampleFields = fields(example("requests.json").get(0));
        for (Node child = root.getFirstChild(); child != null; child = child.getNextSibling()) {
            assertThat(child.getNodeName()).isEqualTo("request");
            List<String> names = new ArrayList<>();
            for (Node field = child.getFirstChild(); field != null; field = field.getNextSibling()) {
                names.add(field.getNodeName());
            }
            assertThat(names).isEqualTo(exampleFields);
        }
        byte[] services = web.get().uri("/open311/v2/services.xml").exchange().expectStatus().isOk()
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(new String(services, StandardCharsets.UTF_8)).startsWith("<?xml")
                .contains("<services><service><service_code>");
        byte[] error = web.post().uri("/open311/v2/requests.xml").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .exchange().expectStatus().isForbidden().expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(new String(error, StandardCharsets.UTF_8)).contains("<errors><error><code>403</code><description>");
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private WebTestClient.ResponseSpec post(Map<String, String> form, String apiKey, String idempotencyKey) {
        LinkedMultiValueMap<String, String> body = new LinkedMultiValueMap<>();
        form.forEach(body::add);
        if (apiKey != null) {
            body.add("api_key", apiKey);
        }
        WebTestClient.RequestBodySpec request = web.post().uri("/open311/v2/requests.json")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED);
        if (idempotencyKey != null) {
            request = request.header("Idempotency-Key", idempotencyKey);
        }
        return request.body(BodyInserters.fromFormData(body)).exchange();
    }

    private void assertRefused(Map<String, String> form, String key, String reason) {
        String body = post(form, key, null).expectStatus().isBadRequest().expectBody(String.class).returnResult()
                .getResponseBody();
        conforms(json(body), "errors.json");
        assertThat(json(body).get(0).get("description").asText()).contains(reason);
    }

    private JsonNode read(String uri, String language) {
        var request = web.get().uri(uri);
        if (language != null) {
            request = request.header("Accept-Language", language);
        }
        return json(request.exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
    }

    private static List<String> ids(JsonNode requests) {
        List<String> ids = new ArrayList<>();
        requests.forEach(r -> ids.add(r.get("service_request_id").asText()));
        return ids;
    }

    private static JsonNode find(JsonNode items, String field, String value) {
        for (JsonNode item : items) {
            if (value.equals(item.get(field).asText())) {
                return item;
            }
        }
        return null;
    }

    /** Every item of {@code ours} has the example's fields, in its order, each value of the kind the spec defines. */
    private static void conforms(JsonNode ours, String exampleFile) {
        JsonNode example = example(exampleFile);
        assertThat(ours.isArray()).as("a list, as " + exampleFile).isTrue();
        List<String> expected = fields(example.get(0));
        for (JsonNode item : ours) {
            assertThat(fields(item)).as(exampleFile + " fields").isEqualTo(expected);
            item.fields().forEachRemaining(field -> assertKind(field.getKey(), field.getValue()));
        }
        // The examples themselves hold to the kinds (so the table above is the specification's).
        example.get(0).fields().forEachRemaining(field -> assertKind(field.getKey(), field.getValue()));
    }

    private static void assertKind(String field, JsonNode value) {
        String kind = KINDS.get(field);
        assertThat(kind).as("a field of the specification: " + field).isNotNull();
        boolean optional = kind.endsWith("?");
        String base = optional ? kind.substring(0, kind.length() - 1) : kind;
        if (value.isNull()) {
            assertThat(optional).as(field + " may not be empty").isTrue();
            return;
        }
        switch (base) {
            case "string" -> assertThat(value.isTextual()).as(field + " is a string: " + value).isTrue();
            case "boolean" -> assertThat(value.isBoolean()).as(field + " is a boolean").isTrue();
            case "number" -> assertThat(value.isNumber()).as(field + " is a number").isTrue();
            case "integer" -> assertThat(value.isInt()).as(field + " is an integer").isTrue();
            case "array" -> assertThat(value.isArray()).as(field + " is a list").isTrue();
            case "datetime" -> assertThat(value.asText()).as(field + " is a W3C date-time").matches(W3C);
            case "url" -> assertThat(value.asText()).as(field + " is a URL").matches("https?://\\S+");
            default -> assertThat(value.asText()).as(field).matches(base);
        }
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode example(String file) {
        try (InputStream in = Open311Tests.class.getResourceAsStream("/open311/" + file)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

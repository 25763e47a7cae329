package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.civicbot.backoffice.staff.Department;
import org.civicbot.backoffice.staff.Departments;
import org.civicbot.backoffice.staff.StaffUser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

/**
 * The incident workflow's API contract: categories as data, requests staff enter (source STAFF with an intake),
 * audited corrections, escalation, cancel as improper, merge and its undo; bad input is a 400 that names what to
 * change, and changes nothing.
 */
class IncidentWorkflowApiTests extends FullStackTest {

    @Autowired
    Departments departments;

    @BeforeEach
    void townHall() {
        staff("gemma");
        staff("oriol", StaffUser.Role.AGENT);
        departments.exists("lighting").flatMap(known -> known ? reactor.core.publisher.Mono.empty()
                : departments.create(new Department("lighting", "Enllumenat"))).block();
    }

    JsonNode enter(Map<String, Object> request) {
        return json(postAs("gemma", "/api/v1/incidents", request).expectStatus().isCreated()
                .expectHeader().valueMatches("Location", "/api/v1/incidents/INC-\\d{4}-\\d{6}")
                .expectBody(String.class).returnResult().getResponseBody());
    }

    String refused(String uri, Object body) {
        return json(postAs("gemma", uri, body).expectStatus().isBadRequest().expectBody(String.class).returnResult()
                .getResponseBody()).get("detail").asText();
    }

    JsonNode patch(String code, Object body) {
        return json(web.patch().uri("/api/v1/incidents/" + code).headers(h -> h.setBasicAuth("gemma", STAFF_PASSWORD))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }

    @Test
    void categoriesAreATreeWithNamesAndServiceTimesThatOnlyAdminsChange() {
        JsonNode all = okGet("oriol", "/api/v1/categories");
        JsonNode lighting = null;
        for (JsonNode c : all) {
            if (c.get("id").asText().equals("street_lighting")) {
                lighting = c;
            }
        }
        assertThat(lighting).as("the flows' categories are there from the first start").isNotNull();
        assertThat(lighting.get("labels").get("ca").asText()).isEqualTo("Enllumenat públic");
        assertThat(lighting.get("serviceDays").asInt()).isEqualTo(7);

        Map<String, Object> pole = Map.of("id", "lamp_post_damaged", "parent", "street_lighting",
                "labels", Map.of("ca", "Fanal malmès", "es", "Farola dañada", "en", "Damaged lamp post"),
                "serviceDays", 3);
        postAs("oriol", "/api/v1/categories", pole).expectStatus().isForbidden();
        JsonNode saved = okPost("gemma", "/api/v1/categories", pole);
        assertThat(saved.get("parent").asText()).isEqualTo("street_lighting");

        assertThat(refused("/api/v1/categories", Map.of("id", "half_named", "labels", Map.of("ca", "Només català"))))
                .contains("labels.es is missing").contains("labels.en is missing");
        assertThat(refused("/api/v1/categories", Map.of("id", "deep", "parent", "lamp_post_damaged",
                "labels", Map.of("ca", "a", "es", "b", "en", "c")))).contains("two levels");
        assertThat(okGet("gemma", "/api/v1/categories").findValuesAsText("id")).doesNotContain("half_named", "deep");
    }

    @Test
    void aPhoneRequestIsFiledAsStaffsWithItsContactDueTimeAndPriority() {
        JsonNode created = enter(Map.of("intake", "PHONE", "category", "street_lighting",
                "description", "Truca la Rosa: el fanal del número 3 fa pampallugues",
                "location", Map.of("address", "Carrer de la Rosa, 3", "latitude", 41.6262, "longitude", 1.6268),
                "contact", Map.of("name", "Rosa Vila", "phone", "+34600111222", "language", "es", "consent", true,
                        "notifyBy", "EMAIL", "email", "rosa.vila@example.net"),
                "priority", "HIGH"));
        assertThat(created.get("source").asText()).isEqualTo("STAFF");
        assertThat(created.get("intake").asText()).isEqualTo("PHONE");
        assertThat(created.get("priority").asText()).isEqualTo("HIGH");
        assertThat(created.get("overdue").asBoolean()).isFalse();
        assertThat(created.get("mergedInto").isNull()).isTrue();
        assertThat(created.get("contact").get("name").asText()).isEqualTo("Rosa Vila");
        assertThat(created.get("location").get("origin").asText()).isEqualTo("PIN");
        // The store keeps milliseconds.
        Instant createdAt = Instant.parse(created.get("createdAt").asText()).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        assertThat(Instant.parse(created.get("dueAt").asText()).truncatedTo(java.time.temporal.ChronoUnit.MILLIS))
                .isEqualTo(createdAt.plus(Duration.ofDays(7)));
        assertThat(created.get("updates").get(0).get("text").asText()).isEqualTo("Entered by gemma: PHONE");

        String code = created.get("code").asText();
        Providers.onTheMap("Carrer de la Rosa 5", 41.6265, 1.6270, "Carrer de la Rosa", "5", "Manresa");
        JsonNode moved = patch(code, Map.of("location", Map.of("address", "Carrer de la Rosa 5")));
        assertThat(moved.get("location").get("latitude").asDouble()).as("a typed address is placed on the map")
                .isEqualTo(41.6265);
        JsonNode edited = patch(code, Map.of("category", "roads_pavements", "priority", "URGENT"));
        assertThat(Instant.parse(edited.get("dueAt").asText())).isEqualTo(createdAt.plus(Duration.ofDays(20)));
        assertThat(edited.get("timeline")).filteredOn(e -> e.get("type").asText().equals("EDIT"))
                .extracting(e -> e.get("field").asText() + ":" + e.get("from").asText() + "->" + e.get("to").asText())
                .containsExactly("location:Carrer de la Rosa, 3 (41.626200, 1.626800)->Carrer de la Rosa 5 (41.626500, "
                        + "1.627000)", "category:street_lighting->roads_pavements", "priority:HIGH->URGENT");
        assertThat(okGet("gemma", "/api/v1/incidents?priority=URGENT&q=" + code).get("total").asInt()).isEqualTo(1);
    }

    @Test
    void aRequestThatCannotBeTakenIsRefusedWithTheReasonAndNothingIsFiled() {
        String marker = "Marcador-" + System.nanoTime();
        assertThat(refused("/api/v1/incidents", Map.of("category", "street_lighting", "description", marker)))
                .contains("intake");
        assertThat(refused("/api/v1/incidents", Map.of("intake", "COUNTER", "category", "no_such_category",
                "description", marker))).contains("no category no_such_category");
        assertThat(refused("/api/v1/incidents", Map.of("intake", "COUNTER", "category", "street_lighting",
                "description", marker, "contact", Map.of("phone", "+34600111333", "notifyBy", "EMAIL",
                        "email", "x@example.net")))).contains("agree");
        assertThat(refused("/api/v1/incidents", Map.of("intake", "COUNTER", "category", "street_lighting",
                "description", marker, "contact", Map.of("phone", "+34600111333", "consent", true,
                        "notifyBy", "WHATSAPP")))).contains("not available yet").contains("seguir");
        assertThat(refused("/api/v1/incidents", Map.of("intake", "COUNTER", "category", "street_lighting",
                "description", marker, "department", "nowhere"))).contains("no department \"nowhere\"");
        assertThat(refused("/api/v1/incidents", Map.of("intake", "COUNTER", "category", "street_lighting",
                "description", marker, "location", Map.of("latitude", 41.7)))).contains("latitude");
        assertThat(okGet("gemma", "/api/v1/incidents?q=" + marker).get("total").asInt()).isZero();
    }

    @Test
    void escalationAndCancellingAsImproperNeedReasons() {
        String code = enter(Map.of("intake", "INTERNAL", "category", "street_lighting",
                "description", "La brigada ha vist tres fanals apagats a la plaça")).get("code").asText();
        assertThat(refused("/api/v1/incidents/" + code + "/escalate", Map.of("department", "lighting")))
                .contains("reason");
        assertThat(refused("/api/v1/incidents/" + code + "/escalate", Map.of("department", "nowhere",
                "reason", "Urgent"))).contains("no department");
        JsonNode escalated = okPost("gemma", "/api/v1/incidents/" + code + "/escalate", Map.of("department",
                "lighting", "assignee", "gemma", "reason", "Fa dues setmanes que hi és"));
        assertThat(escalated.get("department").asText()).isEqualTo("lighting");
        assertThat(escalated.get("assignee").asText()).isEqualTo("gemma");

        assertThat(json(postAs("gemma", "/api/v1/incidents/" + code + "/status", Map.of("status", "CLOSED",
                "outcome", "IMPROPER")).expectStatus().isBadRequest().expectBody(String.class).returnResult()
                .getResponseBody()).get("detail").asText()).contains("reason");
        JsonNode cancelled = okPost("gemma", "/api/v1/incidents/" + code + "/status", Map.of("status", "CLOSED",
                "outcome", "IMPROPER", "note", "Era una prova de la brigada."));
        assertThat(cancelled.get("outcome").asText()).isEqualTo("IMPROPER");
    }

    @Test
    void mergingAndUndoingThroughTheApi() {
        String first = enter(Map.of("intake", "PHONE", "category", "street_lighting",
                "description", "Fanal apagat a la plaça Major")).get("code").asText();
        String second = enter(Map.of("intake", "COUNTER", "category", "street_lighting",
                "description", "El fanal de la plaça Major no s'encén")).get("code").asText();

        JsonNode merged = okPost("gemma", "/api/v1/incidents/" + second + "/merge", Map.of("into", first));
        assertThat(merged.get("status").asText()).isEqualTo("CLOSED");
        assertThat(merged.get("outcome").asText()).isEqualTo("DUPLICATE");
        assertThat(merged.get("mergedInto").asText()).isEqualTo(first);
        assertThat(okGet("gemma", "/api/v1/incidents/" + first).get("mergedFrom"))
                .extracting(JsonNode::asText).containsExactly(second);

        JsonNode undone = json(web.delete().uri("/api/v1/incidents/" + second + "/merge")
                .headers(h -> h.setBasicAuth("gemma", STAFF_PASSWORD)).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
        assertThat(undone.get("status").asText()).isEqualTo("NEW");
        assertThat(undone.get("mergedInto").isNull()).isTrue();
        assertThat(okGet("gemma", "/api/v1/incidents/" + first).get("mergedFrom")).isEmpty();
        assertThat(refused("/api/v1/incidents/" + second + "/merge", Map.of("into", second))).contains("itself");
        assertThat(List.of(first, second)).doesNotHaveDuplicates();
    }

    @Test
    void theFirstMatchingRuleRoutesANewIncidentAndARuleNamingWhatIsNotThereIsRefused() {
        String marker = "fanalrule" + System.nanoTime();
        assertThat(refused("/api/v1/rules", Map.of("id", "bad_rule", "when", Map.of("category", "no_such"),
                "then", Map.of("department", "nowhere", "assignee", "nobody_at_all"))))
                .contains("no category no_such").contains("no department nowhere")
                .contains("no active staff member nobody_at_all");
        assertThat(refused("/api/v1/rules", Map.of("id", "idle_rule", "when", Map.of("words", List.of(marker)),
                "then", Map.of()))).contains("then must do something");
        postAs("oriol", "/api/v1/rules", Map.of("id", "agent_rule", "then", Map.of("priority", "LOW")))
                .expectStatus().isForbidden();

        okPost("gemma", "/api/v1/rules", Map.of("id", "lamps_" + marker.substring(9), "position", 5,
                "when", Map.of("category", "street_lighting", "words", List.of(marker.toUpperCase())),
                "then", Map.of("department", "lighting", "assignee", "gemma", "priority", "HIGH",
                        "status", "IN_PROGRESS")));
        okPost("gemma", "/api/v1/rules", Map.of("id", "later_" + marker.substring(9), "position", 6,
                "when", Map.of("words", List.of(marker)), "then", Map.of("priority", "LOW")));
        assertThat(okGet("oriol", "/api/v1/rules").findValuesAsText("id")).contains("lamps_" + marker.substring(9));

        JsonNode routed = enter(Map.of("intake", "PHONE", "category", "street_lighting",
                "description", "El fanal " + marker + " de la plaça"));
        assertThat(routed.get("department").asText()).isEqualTo("lighting");
        assertThat(routed.get("assignee").asText()).isEqualTo("gemma");
        assertThat(routed.get("priority").asText()).as("the first rule that matches, not the later one")
                .isEqualTo("HIGH");
        assertThat(routed.get("status").asText()).isEqualTo("IN_PROGRESS");
        assertThat(routed.get("updates")).extracting(u -> u.get("kind").asText())
                .containsExactly("CREATED", "RULE", "STATUS");

        JsonNode unmatched = enter(Map.of("intake", "PHONE", "category", "street_lighting",
                "description", "Un altre fanal sense la paraula"));
        assertThat(unmatched.get("status").asText()).isEqualTo("NEW");
        assertThat(unmatched.get("priority").asText()).isEqualTo("NORMAL");
    }

    @Test
    void answerTemplatesAreWrittenForTheIncidentInItsCitizensLanguage() {
        assertThat(okGet("oriol", "/api/v1/templates").findValuesAsText("id")).contains("resolved_thanks",
                "not_ours", "improper");
        assertThat(refused("/api/v1/templates", Map.of("id", "odd", "name", "Odd", "texts", Map.of(
                "ca", "Hola {nom}", "es", "Hola", "en", "Hello")))).contains("{nom}");
        postAs("oriol", "/api/v1/templates", Map.of("id", "x", "name", "x", "texts", Map.of("ca", "a", "es", "b",
                "en", "c"))).expectStatus().isForbidden();
        okPost("gemma", "/api/v1/templates", Map.of("id", "lamp_ordered", "name", "Peça demanada",
                "texts", Map.of("ca", "Hem demanat la peça per a {code} ({category}, {address}).",
                        "es", "Hemos pedido la pieza para {code} ({category}, {address}).",
                        "en", "We have ordered the part for {code} ({category}, {address}).")));

        String code = enter(Map.of("intake", "COUNTER", "category", "street_lighting",
                "description", "Fanal trencat", "location", Map.of("address", "Plaça Major, 1"),
                "contact", Map.of("name", "Lucía", "language", "es"))).get("code").asText();
        JsonNode answers = okGet("gemma", "/api/v1/incidents/" + code + "/templates");
        JsonNode ordered = null;
        for (JsonNode a : answers) {
            if (a.get("id").asText().equals("lamp_ordered")) {
                ordered = a;
            }
        }
        assertThat(ordered).isNotNull();
        assertThat(ordered.get("language").asText()).isEqualTo("es");
        assertThat(ordered.get("text").asText())
                .isEqualTo("Hemos pedido la pieza para " + code + " (Alumbrado público, Plaça Major, 1).");
        assertThat(answers.findValuesAsText("id")).contains("resolved_thanks");
    }

    @Test
    void theIncidentPageSuggestsOpenIncidentsOfTheSameCategoryNearbyToMergeInto() {
        Map<String, Object> near = Map.of("address", "Plaça del Mercat", "latitude", 41.6401, "longitude", 1.6401);
        String first = enter(Map.of("intake", "PHONE", "category", "street_furniture",
                "description", "Banc sense respatller a la plaça del Mercat", "location", near)).get("code").asText();
        String second = enter(Map.of("intake", "COUNTER", "category", "street_furniture",
                "description", "El banc de la plaça està trencat", "location", Map.of("address", "Plaça del Mercat",
                        "latitude", 41.6402, "longitude", 1.6402))).get("code").asText();
        String far = enter(Map.of("intake", "COUNTER", "category", "street_furniture",
                "description", "Un banc trencat lluny", "location", Map.of("address", "Lluny",
                        "latitude", 41.70, "longitude", 1.70))).get("code").asText();
        String otherKind = enter(Map.of("intake", "COUNTER", "category", "parks_gardens",
                "description", "Gespa seca a la plaça", "location", near)).get("code").asText();

        PageSession gemma = PageSession.signIn(web, "gemma", STAFF_PASSWORD);
        String page = gemma.get("/incidents/" + second);
        assertThat(page).contains("data-code=\"" + first + "\"").doesNotContain("data-code=\"" + far + "\"")
                .doesNotContain("data-code=\"" + otherKind + "\"");
        assertThat(gemma.post("/incidents/" + second, "/incidents/" + second + "/merge", Map.of("into", first)))
                .isEqualTo("/incidents/" + second);
        assertThat(okGet("gemma", "/api/v1/incidents/" + second).get("mergedInto").asText()).isEqualTo(first);
    }

    WebTestClientResponse upload(String code, String name, String type, byte[] bytes) {
        org.springframework.http.client.MultipartBodyBuilder body = new org.springframework.http.client.MultipartBodyBuilder();
        body.part("file", new org.springframework.core.io.ByteArrayResource(bytes) {
            @Override
            public String getFilename() {
                return name;
            }
        }).contentType(MediaType.parseMediaType(type));
        var result = web.post().uri("/api/v1/incidents/" + code + "/attachments")
                .headers(h -> h.setBasicAuth("gemma", STAFF_PASSWORD)).contentType(MediaType.MULTIPART_FORM_DATA)
                .bodyValue(body.build()).exchange().expectBody(String.class).returnResult();
        return new WebTestClientResponse(result.getStatus().value(), result.getResponseBody());
    }

    record WebTestClientResponse(int status, String body) {}

    @Test
    void staffAttachPhotosAndDocumentsAndTakeThemOffEachOnTheHistory() {
        String code = enter(Map.of("intake", "EMAIL", "category", "other",
                "description", "Escrit d'un veí amb un informe")).get("code").asText();
        byte[] pdf = "%PDF-1.4\n% informe del veí\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        WebTestClientResponse attached = upload(code, "C:\\Users\\veí\\informe.pdf", "application/pdf", pdf);
        assertThat(attached.status()).isEqualTo(200);
        JsonNode incident = json(attached.body());
        JsonNode file = incident.get("attachments").get(0);
        assertThat(file.get("name").asText()).isEqualTo("informe.pdf");
        assertThat(file.get("contentType").asText()).isEqualTo("application/pdf");
        web.get().uri(file.get("url").asText()).headers(h -> h.setBasicAuth("gemma", STAFF_PASSWORD)).exchange()
                .expectStatus().isOk().expectHeader().contentType("application/pdf")
                .expectHeader().valueEquals("Content-Disposition", "attachment");

        assertThat(upload(code, "virus.pdf", "application/pdf", "MZ not a pdf".getBytes()).status()).isEqualTo(400);
        assertThat(upload(code, "notes.txt", "text/plain", "hola".getBytes()).status()).isEqualTo(400);
        assertThat(okGet("gemma", "/api/v1/incidents/" + code).get("attachments")).hasSize(1);

        // The page takes one off too.
        String second = json(upload(code, "foto.jpg", "image/jpeg", Providers.jpeg()).body()).get("attachments")
                .get(1).get("id").asText();
        PageSession gemma = PageSession.signIn(web, "gemma", STAFF_PASSWORD);
        gemma.post("/incidents/" + code, "/incidents/" + code + "/attachments/remove", Map.of("id", second));
        assertThat(okGet("gemma", "/api/v1/incidents/" + code).get("attachments")).hasSize(1);

        JsonNode removed = json(web.delete().uri("/api/v1/incidents/" + code + "/attachments/" + file.get("id").asText())
                .headers(h -> h.setBasicAuth("gemma", STAFF_PASSWORD)).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
        assertThat(removed.get("attachments")).isEmpty();
        assertThat(removed.get("timeline")).filteredOn(e -> e.get("type").asText().equals("ATTACHMENT"))
                .extracting(e -> e.get("actor").asText() + ": " + e.get("text").asText())
                .containsExactly("gemma: attached informe.pdf", "gemma: attached foto.jpg", "gemma: removed foto.jpg",
                        "gemma: removed informe.pdf");
    }
}

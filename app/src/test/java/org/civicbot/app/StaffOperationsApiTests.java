package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.civicbot.backoffice.staff.Department;
import org.civicbot.backoffice.staff.Departments;
import org.civicbot.backoffice.staff.StaffUser;
import org.civicbot.backoffice.staff.StaffUsers;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.conversation.ConversationStatus;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.Incidents;
import org.civicbot.bot.incident.Source;
import org.civicbot.bot.media.PhotoStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/** What staff do through the JSON API: take over, reply, hand back, close, move incidents, within their scope. */
class StaffOperationsApiTests extends FullStackTest {

    static final String PASSWORD = "a-long-staff-password";

    @Autowired
    StaffUsers users;

    @Autowired
    Departments departments;

    @Autowired
    Incidents incidents;

    @Autowired
    PhotoStore photos;

    @BeforeEach
    void staff() {
        for (String dept : List.of("parks", "roads")) {
            departments.exists(dept).filter(exists -> !exists)
                    .flatMap(none -> departments.create(new Department(dept, dept))).block();
        }
        for (Map.Entry<String, Set<String>> agent : Map.of("anna", Set.of("citizen_service"), "pau", Set.of("parks"),
                "berta", Set.of("citizen_service")).entrySet()) {
            users.find(agent.getKey()).switchIfEmpty(users.create(agent.getKey(), agent.getKey(), PASSWORD,
                    Set.of(StaffUser.Role.AGENT), agent.getValue())).block();
        }
    }

    String waitingConversation(String citizen) {
        whatsapp(citizen, "hola");
        whatsapp(citizen, "persona");
        return conversation(Channel.WHATSAPP, citizen).id();
    }

    EntityExchangeResult<String> post(String user, String uri, Object body) {
        return web.post().uri(uri).headers(h -> h.setBasicAuth(user, PASSWORD)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectBody(String.class).returnResult();
    }

    @Test
    void letsExactlyOneOfTwoSimultaneousTakeoversWin() {
        String id = waitingConversation("whatsapp:+34600000801");

        List<CompletableFuture<EntityExchangeResult<String>>> attempts = new ArrayList<>();
        for (String agent : List.of("anna", "berta")) {
            attempts.add(CompletableFuture.supplyAsync(() -> post(agent, "/api/v1/conversations/" + id + "/takeover",
                    Map.of())));
        }
        List<EntityExchangeResult<String>> results = attempts.stream().map(CompletableFuture::join).toList();

        assertThat(results).extracting(r -> r.getStatus().value()).containsExactlyInAnyOrder(200, 409);
        Conversation taken = conversation(Channel.WHATSAPP, "whatsapp:+34600000801");
        EntityExchangeResult<String> lost = results.stream().filter(r -> r.getStatus() == HttpStatus.CONFLICT)
                .findFirst().orElseThrow();
        assertThat(lost.getResponseBody()).contains("\"owner\":\"" + taken.assignee() + "\"");
    }

    @Test
    void sendsAReplyPostedTwiceWithTheSameIdempotencyKeyOnce() {
        String citizen = "whatsapp:+34600000802";
        String id = waitingConversation(citizen);
        post("anna", "/api/v1/conversations/" + id + "/takeover", Map.of());
        int before = Providers.twilioBodiesTo(citizen).size();

        List<EntityExchangeResult<String>> replies = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            replies.add(web.post().uri("/api/v1/conversations/" + id + "/messages")
                    .headers(h -> h.setBasicAuth("anna", PASSWORD)).header("Idempotency-Key", "reply-42")
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("text", "Bon dia, soc l'Anna."))
                    .exchange().expectBody(String.class).returnResult());
        }

        assertThat(replies).extracting(r -> r.getStatus().value()).containsExactly(201, 201);
        assertThat(replies.get(1).getResponseBody()).isEqualTo(replies.get(0).getResponseBody());
        assertThat(replies.get(1).getResponseHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
        awaitOutboxSettled(id);
        assertThat(Providers.twilioBodiesTo(citizen).subList(before, Providers.twilioBodiesTo(citizen).size()))
                .containsExactly("Bon dia, soc l'Anna.");
    }

    @Test
    void hidesAnotherDepartmentsConversationIncidentAndPhoto() throws Exception {
        String id = waitingConversation("whatsapp:+34600000803");
        String photoId = photos.store("scope-test-photo", Providers.JPEG, "image/jpeg").block();
        Incident incident = incidents.report(new Incidents.Report("scope-test", "street_lighting", "Fanal",
                null, List.of(new Incident.Photo(photoId, "image/jpeg")), Source.STAFF, null, null, null, null,
                "citizen_service", new Incident.TimelineEntry(Instant.now(), "CREATED", "admin", "Entered"))).block();

        for (String uri : List.of("/api/v1/conversations/" + id, "/api/v1/incidents/" + incident.code(),
                "/api/v1/photos/" + photoId)) {
            web.get().uri(uri).headers(h -> h.setBasicAuth("pau", PASSWORD)).exchange()
                    .expectStatus().isNotFound();
            web.get().uri(uri).headers(h -> h.setBasicAuth("anna", PASSWORD)).exchange()
                    .expectStatus().isOk();
        }
        post("pau", "/api/v1/conversations/" + id + "/takeover", Map.of());
        assertThat(conversation(Channel.WHATSAPP, "whatsapp:+34600000803").assignee()).isNull();
        String list = web.get().uri("/api/v1/incidents?q=Fanal").headers(h -> h.setBasicAuth("pau", PASSWORD))
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(list).doesNotContain(incident.code());
    }

    @Test
    void keepsAClosedConversationOutOfAnotherDepartmentsSight() {
        String id = waitingConversation("whatsapp:+34600000807");
        post("anna", "/api/v1/conversations/" + id + "/takeover", Map.of());
        post("anna", "/api/v1/conversations/" + id + "/close", Map.of());
        assertThat(conversation(Channel.WHATSAPP, "whatsapp:+34600000807").status()).isEqualTo(ConversationStatus.CLOSED);

        web.get().uri("/api/v1/conversations/" + id).headers(h -> h.setBasicAuth("pau", PASSWORD)).exchange()
                .expectStatus().isNotFound();
        web.get().uri("/api/v1/conversations/" + id).headers(h -> h.setBasicAuth("anna", PASSWORD)).exchange()
                .expectStatus().isOk();
    }

    @Test
    void closesAnIncidentWithAnOutcomeRecordsWhoAndTellsTheCitizen() {
        String citizen = "whatsapp:+34600000805";
        for (String text : List.of("hola", "1", "3", "La farola del carrer Nou no funciona", "Carrer Nou 3", "ometre")) {
            whatsapp(citizen, text);
        }
        Conversation conversation = conversation(Channel.WHATSAPP, citizen);
        Incident incident = incidentsOf(conversation.id()).get(0);

        web.post().uri("/api/v1/incidents/" + incident.code() + "/status")
                .headers(h -> h.setBasicAuth("admin", "admin-password")).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("status", "CLOSED")).exchange()
                .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("outcome"));
        web.post().uri("/api/v1/incidents/" + incident.code() + "/status")
                .headers(h -> h.setBasicAuth("admin", "admin-password")).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("status", "CLOSED", "outcome", "POSITIVE", "note", "Hem canviat la bombeta."))
                .exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("CLOSED")
                .jsonPath("$.outcome").isEqualTo("POSITIVE")
                .jsonPath("$.timeline[1].type").isEqualTo("STATUS")
                .jsonPath("$.timeline[1].actor").isEqualTo("admin");

        String page = Providers.PUBLIC_BASE + "/s/" + mongo.findById(incident.id(), Incident.class).block().publicToken();
        // The close, then the satisfaction question.
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(Providers.twilioBodiesTo(citizen))
                .containsSubsequence("La teva incidència " + incident.code() + " s'ha tancat: resolta. Hem canviat la"
                        + " bombeta.\n" + page).last().asString().startsWith("Una última pregunta"));
    }

    @Test
    void documentsTheApiWithOpenApi() {
        web.get().uri("/v3/api-docs").exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.paths['/api/v1/conversations/{id}/takeover']").exists()
                .jsonPath("$.paths['/api/v1/incidents/{code}/status']").exists()
                .jsonPath("$.paths['/api/v1/incidents']").exists();
    }
}

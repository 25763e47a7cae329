package org.civicbot.backoffice.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.civicbot.app.FullStackTest;
import org.civicbot.app.PageSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerErrorException;

/**
 * Problem details never carry an exception's text: an internal error answers a generic message and is logged
 * without message bodies or phone numbers, while client errors keep the words written for the client.
 */
@ExtendWith(OutputCaptureExtension.class)
class ApiErrorsTests extends FullStackTest {

    static final String CODE = "INC-2099-999991";
    static final String PHONE = "34600999111";

    @AfterEach
    void removeTheUnreadableIncident() {
        mongo.remove(new org.springframework.data.mongodb.core.query.Query(
                org.springframework.data.mongodb.core.query.Criteria.where("code").is(CODE)), "incidents").block();
    }

    /** Data the code cannot read (a status no version ever had, here a phone number) is an honest internal error. */
    void storeAnUnreadableIncident() {
        mongo.insert(new Document("_id", "unreadable-incident").append("code", CODE).append("status", "+" + PHONE)
                .append("category", "unreadable_test").append("description", "Truca'm al +" + PHONE), "incidents").block();
    }

    @Test
    void answersAnInternalErrorWithAGenericProblemAndLogsNoPersonalData(CapturedOutput log) {
        storeAnUnreadableIncident();

        String body = web.get().uri("/api/v1/incidents/" + CODE).headers(h -> h.setBasicAuth("admin", "admin-password"))
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(body).contains(ApiErrors.INTERNAL).doesNotContain(PHONE, "Exception", "org.", "enum");
        assertThat(log.getOut() + log.getErr()).contains("GET /api/v1/incidents/" + CODE + " failed")
                .contains("IllegalArgumentException").doesNotContain(PHONE);
    }

    @Test
    void answersAPageThatFailsWithAGenericErrorPage(CapturedOutput log) {
        storeAnUnreadableIncident();
        PageSession admin = PageSession.signIn(web, "admin", "admin-password");

        String page = admin.getting("/incidents/" + CODE + "?lang=en").expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR)
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(page).contains("Something went wrong on our side").doesNotContain(PHONE, "Exception", "org.civicbot");
        assertThat(log.getOut() + log.getErr()).contains("GET /incidents/" + CODE + " failed").doesNotContain(PHONE);
    }

    @Test
    void keepsTheWordsWrittenForTheClientInAClientError() {
        web.post().uri("/api/v1/users").headers(h -> h.setBasicAuth("admin", "admin-password"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "Not Valid!", "displayName", "X", "password", "long-enough-password",
                        "roles", List.of("AGENT")))
                .exchange().expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.detail").isEqualTo("Invalid fields: username.")
                .jsonPath("$.errors[0].field").isEqualTo("username")
                .jsonPath("$.errors[0].message").isEqualTo("use 2 to 40 lowercase letters, digits, dots, hyphens or underscores");
        web.get().uri("/api/v1/incidents?size=0").headers(h -> h.setBasicAuth("admin", "admin-password")).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("size between 1 and"));
        web.post().uri("/api/v1/conversations/x/release").headers(h -> h.setBasicAuth("admin", "admin-password"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("node", "nowhere/none")).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").isEqualTo("no node nowhere/none in the flows");
    }

    @Test
    void mapsEveryServerErrorToTheGenericProblem() {
        ApiErrors errors = new ApiErrors();
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/incidents"));
        for (Exception failure : List.<Exception>of(
                new ResponseStatusException(HttpStatus.BAD_GATEWAY, "geocoder at 10.0.0.7 said: Carrer Nou 3, +" + PHONE),
                new ServerErrorException("Failed to invoke handler: +" + PHONE, new IllegalStateException(PHONE)),
                new IllegalArgumentException("No enum constant IncidentStatus.+" + PHONE),
                new IllegalStateException("E11000 duplicate key { phone: \"+" + PHONE + "\" }"))) {
            ResponseEntity<ProblemDetail> answer = errors.problem(failure, exchange);
            assertThat(answer.getStatusCode().is5xxServerError()).as(failure.toString()).isTrue();
            assertThat(answer.getBody().getDetail()).isEqualTo(ApiErrors.INTERNAL);
            assertThat(String.valueOf(answer.getBody())).doesNotContain(PHONE);
        }
        ResponseEntity<ProblemDetail> notFound = errors.problem(
                new ResponseStatusException(HttpStatus.NOT_FOUND, "no staff user anna"), exchange);
        assertThat(notFound.getStatusCode().value()).isEqualTo(404);
        assertThat(notFound.getBody().getDetail()).isEqualTo("no staff user anna");
    }
}

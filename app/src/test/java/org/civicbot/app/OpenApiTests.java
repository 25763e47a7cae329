package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** The OpenAPI description names every endpoint of the contract, who may call it, and how it fails. */
class OpenApiTests extends FullStackTest {

    @Test
    void theDescriptionCoversTheContractTheSecuritySchemesAndTheErrors() {
        JsonNode api = json(web.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody());
        assertThat(api.at("/components/securitySchemes/staff/scheme").asText()).isEqualTo("basic");
        assertThat(api.at("/components/securitySchemes/device/scheme").asText()).isEqualTo("bearer");
        JsonNode paths = api.get("paths");
        for (String[] endpoint : new String[][] {
                {"/api/v1/incidents", "get"}, {"/api/v1/incidents", "post"}, {"/api/v1/incidents/{code}", "patch"},
                {"/api/v1/incidents/{code}/merge", "post"}, {"/api/v1/incidents/{code}/merge", "delete"},
                {"/api/v1/incidents/{code}/forward", "post"}, {"/api/v1/incidents/{code}/escalate", "post"},
                {"/api/v1/incidents/{code}/proposal", "post"}, {"/api/v1/incidents/{code}/attachments", "post"},
                {"/api/v1/categories", "post"}, {"/api/v1/organisations", "post"}, {"/api/v1/rules", "post"},
                {"/api/v1/templates", "post"}, {"/api/v1/device-alerts", "post"}}) {
            assertThat(paths.at("/" + endpoint[0].replace("~", "~0").replace("/", "~1") + "/" + endpoint[1])
                    .isMissingNode()).as(endpoint[1] + " " + endpoint[0]).isFalse();
        }
        JsonNode merge = paths.at("/~1api~1v1~1incidents~1{code}~1merge/post/responses");
        assertThat(merge.has("409")).isTrue();
        assertThat(merge.at("/400/content/application~1problem+json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/Problem");
        assertThat(paths.at("/~1api~1v1~1device-alerts/post/security/0").has("device")).isTrue();
    }
}

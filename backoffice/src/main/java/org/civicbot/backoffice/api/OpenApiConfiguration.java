package org.civicbot.backoffice.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.NumberSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description at {@code /v3/api-docs}: who may call (HTTP Basic for staff, a bearer token for
 * devices), the problem details every error answers with, and the device bridge, which is a functional route the
 * scanner does not see.
 */
@Configuration
class OpenApiConfiguration {

    static final String STAFF = "staff";
    static final String DEVICE = "device";
    static final String PROBLEM = "Problem";

    @Bean
    OpenAPI civicbotOpenApi() {
        return new OpenAPI()
                .info(new Info().title("civicbot API").version("v1")
                        .description("The staff API of civicbot (conversations, incidents, announcements, "
                                + "administration) and the device bridge. Staff send their credentials with HTTP "
                                + "Basic on every request; a change made with the back-office session needs its "
                                + "CSRF token instead. Errors are RFC 7807 problem details.")
                        .license(new License().name("See the project's licence")))
                .components(new Components()
                        .addSecuritySchemes(STAFF, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")
                                .description("A staff user's name and password (curl -u name:password)"))
                        .addSecuritySchemes(DEVICE, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("bearer").description("A device's token, from the device registry"))
                        .addSchemas(PROBLEM, new ObjectSchema().description("RFC 7807 problem details")
                                .addProperty("type", new StringSchema())
                                .addProperty("title", new StringSchema())
                                .addProperty("status", new IntegerSchema())
                                .addProperty("detail", new StringSchema().description("what to change"))
                                .addProperty("instance", new StringSchema())
                                .addProperty("errors", new Schema<>().description("a bad field's problem, by field"))))
                .addSecurityItem(new SecurityRequirement().addList(STAFF));
    }

    /** Every staff operation says how it fails; the device bridge is described by hand. */
    @Bean
    OpenApiCustomizer problemsAndDevices() {
        return openApi -> {
            if (openApi.getPaths() != null) {
                openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
                    ApiResponses responses = operation.getResponses() == null ? new ApiResponses()
                            : operation.getResponses();
                    problem(responses, "400", "The request is not valid; the detail says what to change");
                    problem(responses, "401", "No staff credentials, or wrong ones");
                    problem(responses, "403", "This staff user may not do this, or a session change lacks its "
                            + "CSRF token");
                    problem(responses, "404", "Not there, or not visible to this staff user");
                    if (operation != path.getGet()) {
                        problem(responses, "409", "It does not fit where it stands now (reload and try again)");
                    }
                    operation.setResponses(responses);
                }));
            }
            openApi.path("/api/v1/device-alerts", new PathItem().post(deviceAlert()));
            openApi.path("/api/v1/device-alerts/batch", new PathItem().post(deviceBatch()));
        };
    }

    private static ObjectSchema alertSchema() {
        ObjectSchema body = new ObjectSchema();
        body.setRequired(List.of("alertId", "type", "message"));
        body.addProperty("alertId", new StringSchema().description("the device's own id of the alert: sending it "
                        + "again records nothing new"))
                .addProperty("type", new StringSchema().example("container_full"))
                .addProperty("message", new StringSchema())
                .addProperty("assetId", new StringSchema().description("the asset it is about (a container, a "
                        + "route)"))
                .addProperty("latitude", new NumberSchema())
                .addProperty("longitude", new NumberSchema())
                .addProperty("occurredAt", new StringSchema().format("date-time"))
                .addProperty("state", new StringSchema()._enum(List.of("active", "resolved"))
                        .description("resolved: the condition is over (default active)"));
        return body;
    }

    private static void signedAndLimited(ApiResponses responses) {
        problem(responses, "401", "No device token, one that belongs to no active device, or a signature that does "
                + "not match (X-Civicbot-Signature: sha256=<hex of HMAC-SHA256(secret, X-Civicbot-Timestamp + \".\" + "
                + "body)>, the timestamp in Unix seconds within 5 minutes)");
        problem(responses, "429", "Too many requests this minute; Retry-After says when to try again");
    }

    private static Operation deviceBatch() {
        ObjectSchema body = new ObjectSchema();
        body.addProperty("alerts", new io.swagger.v3.oas.models.media.ArraySchema().items(alertSchema()));
        ObjectSchema result = new ObjectSchema();
        result.addProperty("alertId", new StringSchema()).addProperty("status", new StringSchema()._enum(List.of(
                        "incident", "added", "resolved", "notice", "announced", "duplicate", "invalid")))
                .addProperty("incidentCode", new StringSchema()).addProperty("errors", new ObjectSchema());
        ObjectSchema results = new ObjectSchema();
        results.addProperty("results", new io.swagger.v3.oas.models.media.ArraySchema().items(result));
        ApiResponses responses = new ApiResponses()
                .addApiResponse("200", json("One result per alert, in order; an invalid one does not stop the others",
                        results));
        problem(responses, "400", "The body is not {\"alerts\": [...]} or carries more than 100 alerts");
        signedAndLimited(responses);
        return new Operation().addTagsItem("Devices").summary("A device that was offline posts the alerts it kept")
                .requestBody(new RequestBody().required(true).content(new Content()
                        .addMediaType("application/json", new MediaType().schema(body))))
                .responses(responses)
                .security(List.of(new SecurityRequirement().addList(DEVICE)));
    }

    private static Operation deviceAlert() {
        ObjectSchema body = alertSchema();
        ObjectSchema receipt = new ObjectSchema();
        receipt.addProperty("incidentCode", new StringSchema()).addProperty("created", new BooleanSchema())
                .addProperty("status", new StringSchema()).addProperty("alertCount", new io.swagger.v3.oas.models
                        .media.IntegerSchema());
        ApiResponses responses = new ApiResponses()
                .addApiResponse("201", json("The alert is recorded, with the incident it made", receipt))
                .addApiResponse("200", json("The same alert again: nothing new, the same incident", receipt));
        problem(responses, "400", "The body is not an alert; errors says which fields");
        signedAndLimited(responses);
        return new Operation().addTagsItem("Devices").summary("A device posts an alert (a full container, a late "
                        + "collection); its incident code comes back")
                .requestBody(new RequestBody().required(true).content(new Content()
                        .addMediaType("application/json", new MediaType().schema(body))))
                .responses(responses)
                .security(List.of(new SecurityRequirement().addList(DEVICE)));
    }

    private static ApiResponse json(String description, Schema<?> schema) {
        return new ApiResponse().description(description)
                .content(new Content().addMediaType("application/json", new MediaType().schema(schema)));
    }

    private static void problem(ApiResponses responses, String status, String description) {
        if (!responses.containsKey(status)) {
            responses.addApiResponse(status, new ApiResponse().description(description).content(new Content()
                    .addMediaType("application/problem+json", new MediaType()
                            .schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)))));
        }
    }

}

package org.civicbot.channels.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.civicbot.bot.device.DeviceAlerts;
import org.civicbot.channels.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/v1/device-alerts}: a device authenticates with its bearer token and posts an alert;
 * the same alert id again finds the incident the first delivery created.
 */
final class DeviceAlertEndpoint {

    static final String PATH = "/api/v1/device-alerts";

    private static final Logger log = LoggerFactory.getLogger(DeviceAlertEndpoint.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String BEARER = "bearer ";

    private final DeviceAlerts deviceAlerts;

    DeviceAlertEndpoint(DeviceAlerts deviceAlerts) {
        this.deviceAlerts = deviceAlerts;
    }

    RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route().POST(PATH, this::report).build();
    }

    Mono<ServerResponse> report(ServerRequest request) {
        Optional<String> token = bearerToken(request.headers().firstHeader(HttpHeaders.AUTHORIZATION));
        if (token.isEmpty()) {
            return unauthorized("Send the device's token as Authorization: Bearer <token>.");
        }
        return deviceAlerts.authenticate(token.get()).flatMap(deviceId -> deviceId.isEmpty()
                ? unauthorized("The bearer token belongs to no device; check the device's civicbot.devices[N].token.")
                : request.bodyToMono(String.class).defaultIfEmpty("").flatMap(body -> report(deviceId.get(), body)));
    }

    private Mono<ServerResponse> report(String deviceId, String body) {
        JsonNode json;
        try {
            json = MAPPER.readTree(body);
        } catch (Exception e) {
            return Problems.respond(HttpStatus.BAD_REQUEST, "Unreadable alert",
                    "The body is not valid JSON; send {\"alertId\", \"type\", \"message\", ...} as application/json.");
        }
        DeviceAlertRequest.Result result = DeviceAlertRequest.read(json);
        if (!result.errors().isEmpty()) {
            return Problems.respond(HttpStatus.BAD_REQUEST, "Invalid alert",
                    "Invalid fields: " + String.join(", ", new TreeSet<>(result.errors().keySet())) + ".",
                    Map.of("errors", result.errors()), new HttpHeaders());
        }
        return deviceAlerts.report(deviceId, result.alert()).flatMap(receipt -> {
            log.info("Device {} alert {}: incident {} {}", deviceId, result.alert().alertId(), receipt.incidentCode(),
                    receipt.created() ? "created" : "already recorded");
            return ServerResponse.status(receipt.created() ? HttpStatus.CREATED : HttpStatus.OK)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("incidentCode", receipt.incidentCode(), "created", receipt.created()));
        });
    }

    private static Optional<String> bearerToken(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        String token = authorization.substring(BEARER.length()).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    private static Mono<ServerResponse> unauthorized(String detail) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        return Problems.respond(HttpStatus.UNAUTHORIZED, "Device not authenticated", detail, Map.of(), headers);
    }
}

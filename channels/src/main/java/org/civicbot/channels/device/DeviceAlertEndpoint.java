package org.civicbot.channels.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.civicbot.bot.device.Device;
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
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/v1/device-alerts} and {@code POST /api/v1/device-alerts/batch}: a device of the registry posts an
 * alert (or, after being offline, the alerts it kept) with its bearer token, signed when it signs
 * ({@code X-Civicbot-Signature: sha256=<hex>} of {@code X-Civicbot-Timestamp + "." + body}, the timestamp in Unix
 * seconds within 5 minutes), within its rate ({@code 429} with {@code Retry-After} beyond it). The same alert id again
 * changes nothing.
 */
final class DeviceAlertEndpoint {

    static final String PATH = "/api/v1/device-alerts";
    static final String SIGNATURE = "X-Civicbot-Signature";
    static final String TIMESTAMP = "X-Civicbot-Timestamp";
    /** Alerts one batch may carry: a day of a sensor that reports every quarter of an hour, and some. */
    static final int MAX_BATCH = 100;

    private static final Logger log = LoggerFactory.getLogger(DeviceAlertEndpoint.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String BEARER = "bearer ";

    private final DeviceAlerts deviceAlerts;

    DeviceAlertEndpoint(DeviceAlerts deviceAlerts) {
        this.deviceAlerts = deviceAlerts;
    }

    RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route().POST(PATH + "/batch", this::batch).POST(PATH, this::report).build();
    }

    Mono<ServerResponse> report(ServerRequest request) {
        return admitted(request, true, (device, body) -> {
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
            return deviceAlerts.report(device, result.alert()).flatMap(receipt -> {
                log.info("Device {} alert {}: {} {}", device.id(), result.alert().alertId(), receipt.status(),
                        receipt.incidentCode() == null ? "" : receipt.incidentCode());
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("incidentCode", receipt.incidentCode());
                answer.put("created", receipt.created());
                answer.put("status", receipt.status());
                answer.put("alertCount", receipt.alertCount());
                return ServerResponse.status(receipt.created() ? HttpStatus.CREATED : HttpStatus.OK)
                        .contentType(MediaType.APPLICATION_JSON).bodyValue(answer);
            });
        });
    }

    /** Each item on its own: its result in the same place, a malformed one refused without stopping the others. */
    Mono<ServerResponse> batch(ServerRequest request) {
        // Each alert of a batch counts against the device's rate, as if posted alone.
        return admitted(request, false, (device, body) -> {
            JsonNode alerts;
            try {
                alerts = MAPPER.readTree(body).get("alerts");
            } catch (Exception e) {
                alerts = null;
            }
            if (alerts == null || !alerts.isArray()) {
                return Problems.respond(HttpStatus.BAD_REQUEST, "Unreadable batch",
                        "Send {\"alerts\": [{\"alertId\", \"type\", \"message\", ...}, ...]} as application/json.");
            }
            if (alerts.size() > MAX_BATCH) {
                return Problems.respond(HttpStatus.BAD_REQUEST, "Batch too large",
                        "A batch carries at most " + MAX_BATCH + " alerts; send the rest in another.");
            }
            List<JsonNode> items = new ArrayList<>();
            alerts.forEach(items::add);
            return Flux.fromIterable(items).concatMap(item -> {
                DeviceAlertRequest.Result result = DeviceAlertRequest.read(item);
                JsonNode id = item.get("alertId");
                String alertId = id != null && id.isTextual() ? id.textValue() : null;
                if (!result.errors().isEmpty()) {
                    Map<String, Object> refused = new LinkedHashMap<>();
                    refused.put("alertId", alertId);
                    refused.put("status", "invalid");
                    refused.put("errors", result.errors());
                    return Mono.just(refused);
                }
                return deviceAlerts.throttled(device).flatMap(wait -> {
                    Map<String, Object> done = new LinkedHashMap<>();
                    done.put("alertId", alertId);
                    if (wait.isPresent()) {
                        done.put("status", "throttled");
                        done.put("retryAfter", Math.max(1, wait.get().toSeconds()));
                        return Mono.just(done);
                    }
                    return deviceAlerts.report(device, result.alert()).map(receipt -> {
                        done.put("status", receipt.status());
                        done.put("incidentCode", receipt.incidentCode());
                        return done;
                    })
                    // One alert that cannot be recorded now does not stop the others; it is sent again later.
                    .onErrorResume(e -> {
                        log.warn("Device {} alert {} could not be recorded: {}", device.id(), alertId,
                                e.getClass().getSimpleName());
                        done.put("status", "failed");
                        return Mono.just(done);
                    });
                });
            }).collectList().flatMap(results -> {
                log.info("Device {} batch of {} alerts", device.id(), results.size());
                return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("results", results));
            });
        });
    }

    /** What an admitted request does with its device and body. */
    private interface Admitted {
        Mono<ServerResponse> handle(Device device, String body);
    }

    /** The device of the bearer token, the body as sent (signed when it signs), within the device's rate. */
    private Mono<ServerResponse> admitted(ServerRequest request, boolean charged, Admitted handler) {
        Optional<String> token = bearerToken(request.headers().firstHeader(HttpHeaders.AUTHORIZATION));
        if (token.isEmpty()) {
            return unauthorized("Send the device's token as Authorization: Bearer <token>.");
        }
        return deviceAlerts.authenticate(token.get()).flatMap(found -> {
            if (found.isEmpty()) {
                return unauthorized("The bearer token belongs to no active device: it was revoked or rotated, or is"
                        + " mistyped.");
            }
            Device device = found.get();
            return request.bodyToMono(String.class).defaultIfEmpty("").flatMap(body -> {
                String signature = request.headers().firstHeader(SIGNATURE);
                if ((signature != null || device.signs()) && !deviceAlerts.signed(device,
                        request.headers().firstHeader(TIMESTAMP), signature, body)) {
                    return unauthorized("The signature does not match: send " + SIGNATURE + ": sha256=<hex of "
                            + "HMAC-SHA256(signing secret, " + TIMESTAMP + " + \".\" + body)> and " + TIMESTAMP
                            + " (Unix seconds, within 5 minutes of now).");
                }
                return (charged ? deviceAlerts.throttled(device)
                        : Mono.just(Optional.<java.time.Duration>empty())).flatMap(wait -> {
                    if (wait.isPresent()) {
                        HttpHeaders headers = new HttpHeaders();
                        headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, wait.get().toSeconds())));
                        return Problems.respond(HttpStatus.TOO_MANY_REQUESTS, "Too many alerts", "This device has "
                                + "posted as many requests as it may this minute; try again after Retry-After seconds,"
                                + " or send its alerts in one batch.", Map.of(), headers);
                    }
                    return handler.handle(device, body);
                });
            });
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

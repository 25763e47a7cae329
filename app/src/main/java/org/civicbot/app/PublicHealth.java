package org.civicbot.app;

import java.util.Map;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code /actuator/health} on the main port, for load balancers and uptime checks, while the management
 * endpoints (health in detail, metrics) live on {@code management.server.port}, on loopback. Only the
 * overall status is told here.
 */
@RestController
class PublicHealth {

    private final HealthEndpoint health;

    PublicHealth(HealthEndpoint health) {
        this.health = health;
    }

    @GetMapping("/actuator/health")
    Mono<ResponseEntity<Map<String, String>>> health() {
        // The endpoint asks each indicator and waits for it: off the event loop.
        return Mono.fromCallable(() -> health.health().getStatus())
                .subscribeOn(Schedulers.boundedElastic())
                .map(status -> ResponseEntity.status(Status.UP.equals(status) ? HttpStatus.OK
                        : HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("status", status.getCode())));
    }
}

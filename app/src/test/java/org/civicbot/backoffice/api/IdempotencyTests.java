package org.civicbot.backoffice.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.bson.Document;
import org.civicbot.app.FullStackTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;
import reactor.core.publisher.Mono;

/**
 * Idempotency keys are remembered for a day, then forgotten, so the store does not grow forever; a request
 * runs to its end when its client goes away, and a key left running by a stopped app is taken over.
 */
class IdempotencyTests extends FullStackTest {

    @Autowired
    Idempotency idempotency;

    @Test
    void forgetsKeysOlderThanADayAndKeepsTheRest() {
        Instant now = Instant.now();
        mongo.insert(new Document("_id", "old-key").append("state", "DONE").append("at",
                now.minus(Idempotency.RETENTION).minus(Duration.ofMinutes(1))), "idempotency_keys").block();
        mongo.insert(new Document("_id", "recent-key").append("state", "DONE").append("at",
                now.minus(Duration.ofHours(1))), "idempotency_keys").block();

        assertThat(idempotency.forgetOld().block()).isGreaterThanOrEqualTo(1);

        assertThat(mongo.findById("old-key", Document.class, "idempotency_keys").block()).isNull();
        assertThat(mongo.findById("recent-key", Document.class, "idempotency_keys").block()).isNotNull();
    }

    @Test
    void finishesAndRemembersARequestWhoseClientWentAway() {
        AtomicInteger runs = new AtomicInteger();
        Supplier<Mono<ResponseEntity<String>>> slowAction = () -> Mono.delay(Duration.ofMillis(200))
                .then(Mono.fromCallable(() -> ResponseEntity.ok("sent " + runs.incrementAndGet())));

        // The client disconnects while the request runs.
        reactor.core.Disposable client = idempotency.once("anna", "POST /x", "gone-key", slowAction).subscribe();
        org.awaitility.Awaitility.await().atMost(PATIENCE).until(() -> mongo.findById(
                "anna\nPOST /x\ngone-key", Document.class, "idempotency_keys").blockOptional().isPresent());
        client.dispose();

        org.awaitility.Awaitility.await().atMost(PATIENCE).until(() -> "DONE".equals(mongo.findById(
                "anna\nPOST /x\ngone-key", Document.class, "idempotency_keys").map(d -> d.getString("state"))
                .blockOptional().orElse(null)));
        ResponseEntity<Object> retried = idempotency.once("anna", "POST /x", "gone-key", slowAction).block();
        assertThat(retried.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retried.getBody()).isEqualTo("\"sent 1\"");
        assertThat(runs).hasValue(1);
    }

    @Test
    void runsARequestWhoseKeyAStoppedAppLeftRunning() {
        mongo.insert(new Document("_id", "anna\nPOST /y\nstuck-key").append("state", "RUNNING")
                .append("at", Instant.now().minus(Idempotency.ABANDONED_AFTER).minusSeconds(1)), "idempotency_keys").block();

        ResponseEntity<Object> answer = idempotency.once("anna", "POST /y", "stuck-key",
                () -> Mono.just(ResponseEntity.ok("ran"))).block();

        assertThat(answer.getBody()).isEqualTo("ran");
        assertThat(mongo.findById("anna\nPOST /y\nstuck-key", Document.class, "idempotency_keys").block()
                .getString("state")).isEqualTo("DONE");
    }
}

package org.civicbot.backoffice.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.bson.Document;
import org.civicbot.app.FullStackTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Idempotency keys are remembered for a day, then forgotten, so the store does not grow forever. */
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
}

package org.civicbot.app;

import java.time.Duration;
import org.bson.Document;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The store's health by a {@code ping}, which both the embedded server and MongoDB answer (Boot's own
 * MongoDB indicator sends {@code hello}, which the embedded server does not know, so it is switched off).
 */
@Component("store")
class StoreHealthIndicator extends AbstractReactiveHealthIndicator {

    private final ReactiveMongoTemplate mongo;

    StoreHealthIndicator(ReactiveMongoTemplate mongo) {
        super("Store health check failed");
        this.mongo = mongo;
    }

    @Override
    protected Mono<Health> doHealthCheck(Health.Builder builder) {
        return mongo.executeCommand(new Document("ping", 1))
                .timeout(Duration.ofSeconds(5))
                .map(answer -> builder.up().build());
    }
}

package org.civicbot.bot;

import org.bson.Document;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import reactor.core.publisher.Mono;

/**
 * What the first start writes once and never again (the first rules, the first answer templates): a marker per
 * seed in the store ({@code seeds}), so that a collection an admin emptied on purpose stays empty after a restart.
 */
public final class Seeds {

    static final String COLLECTION = "seeds";

    private Seeds() {}

    /**
     * Runs {@code seed} if no start has claimed {@code name} before, and claims it; otherwise nothing. A store that
     * already has data of its own from before markers existed is the caller's to check.
     */
    public static Mono<Long> once(ReactiveMongoTemplate mongo, String name, Mono<Long> seed) {
        return mongo.insert(new Document("_id", name), COLLECTION)
                .then(seed)
                .onErrorResume(DuplicateKeyException.class, e -> Mono.just(0L));
    }
}

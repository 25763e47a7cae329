package org.civicbot.bot;

import java.security.SecureRandom;
import java.util.Base64;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import reactor.core.publisher.Mono;

/**
 * Keys the platform makes for itself the first time it needs them and keeps in the store ({@code secrets}), so
 * that every instance, and every restart, uses the same: e.g. the key that signs the links sent to suppliers.
 * Two instances asking at once for a key nobody has made yet get the same one.
 */
public class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ReactiveMongoTemplate mongo;

    public Secrets(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    @org.springframework.data.mongodb.core.mapping.Document("secrets")
    record Secret(@Id String id, String value) {}

    /** The key named {@code name}, 32 random bytes, made the first time it is asked for. */
    public Mono<byte[]> key(String name) {
        return mongo.findById(name, Secret.class)
                .switchIfEmpty(Mono.defer(() -> {
                    byte[] bytes = new byte[32];
                    RANDOM.nextBytes(bytes);
                    return mongo.insert(new Secret(name, Base64.getEncoder().encodeToString(bytes)))
                            .onErrorResume(DuplicateKeyException.class, e -> mongo.findById(name, Secret.class));
                }))
                .map(secret -> Base64.getDecoder().decode(secret.value()));
    }
}

package org.civicbot.backoffice.open311;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Open311 clients admins allowed, and their keys. A key is {@code <client id>.<43 random characters>}: the id
 * finds the client, and the rest is compared, in constant time, with the hash kept for it. Only a new or rotated key
 * is ever seen, once, by the admin who made it.
 */
@Service
public class Open311Clients {

    private static final Logger log = LoggerFactory.getLogger(Open311Clients.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{1,39}");
    /** A key's use is recorded at most this often, not on every request. */
    private static final Duration USE_GRAIN = Duration.ofMinutes(1);

    private final ReactiveMongoTemplate mongo;
    private final Clock clock;

    Open311Clients(ReactiveMongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
    }

    /** A client and its new key, to show once. */
    public record Issued(Open311Client client, String apiKey) {}

    /** What an admin asked for and cannot be done, with the reason. */
    public static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message);
        }
    }

    /** A client nobody allowed. */
    public static final class Unknown extends RuntimeException {
        Unknown(String id) {
            super("there is no Open311 client " + id);
        }
    }

    public Flux<Open311Client> all() {
        return mongo.find(new Query().with(Sort.by("id")), Open311Client.class);
    }

    public Mono<Open311Client> find(String id) {
        return mongo.findById(id, Open311Client.class);
    }

    /** Allows a new client and makes its key. */
    public Mono<Issued> create(String id, String name, boolean readsDetails, String by) {
        String cleanId = id == null ? "" : id.strip();
        String cleanName = name == null ? "" : name.strip();
        if (!ID.matcher(cleanId).matches()) {
            return Mono.error(new Invalid("a client id is 2 to 40 lowercase letters, digits, _ or -, starting with a "
                    + "letter or digit"));
        }
        if (cleanName.isEmpty() || cleanName.length() > 100) {
            return Mono.error(new Invalid("give the client a name of at most 100 characters"));
        }
        String secret = secret();
        Instant now = clock.instant();
        return mongo.insert(new Open311Client(cleanId, cleanName, hash(secret), readsDetails, now, by, now, by, null,
                        null, null))
                .doOnNext(c -> log.info("Open311 client {} allowed by {}", c.id(), by))
                .map(c -> new Issued(c, c.id() + "." + secret))
                .onErrorMap(DuplicateKeyException.class, e -> new Invalid("there is a client " + cleanId
                        + " already: rotate its key, or choose another id"));
    }

    /** Gives the client a new key; the old one is refused at once. A revoked client is allowed again. */
    public Mono<Issued> rotate(String id, String by) {
        String secret = secret();
        Instant now = clock.instant();
        return mongo.findAndModify(query(where("_id").is(id)), new Update().set("keyHash", hash(secret))
                        .set("keyIssuedAt", now).set("keyIssuedBy", by).unset("revokedAt").unset("revokedBy"),
                        org.springframework.data.mongodb.core.FindAndModifyOptions.options().returnNew(true),
                        Open311Client.class)
                .switchIfEmpty(Mono.error(() -> new Unknown(id)))
                .doOnNext(c -> log.info("Open311 client {} given a new key by {}", c.id(), by))
                .map(c -> new Issued(c, c.id() + "." + secret));
    }

    /** Refuses the client's key from now on; its requests stay, naming it. */
    public Mono<Open311Client> revoke(String id, String by) {
        return mongo.findAndModify(query(where("_id").is(id)), new Update().set("revokedAt", clock.instant())
                        .set("revokedBy", by),
                        org.springframework.data.mongodb.core.FindAndModifyOptions.options().returnNew(true),
                        Open311Client.class)
                .switchIfEmpty(Mono.error(() -> new Unknown(id)))
                .doOnNext(c -> log.info("Open311 client {} revoked by {}", c.id(), by));
    }

    /** The active client the key belongs to; empty for a key that is wrong, rotated or revoked. */
    public Mono<Open311Client> authenticate(String apiKey) {
        int dot = apiKey == null ? -1 : apiKey.indexOf('.');
        if (dot < 1 || apiKey.length() > 200) {
            return Mono.empty();
        }
        String id = apiKey.substring(0, dot);
        byte[] given = hash(apiKey.substring(dot + 1)).getBytes(StandardCharsets.US_ASCII);
        return find(id)
                .filter(c -> c.active() && MessageDigest.isEqual(given, c.keyHash().getBytes(StandardCharsets.US_ASCII)))
                .flatMap(this::used);
    }

    private Mono<Open311Client> used(Open311Client client) {
        Instant now = clock.instant();
        if (client.lastUsedAt() != null && client.lastUsedAt().isAfter(now.minus(USE_GRAIN))) {
            return Mono.just(client);
        }
        return mongo.updateFirst(query(where("_id").is(client.id())), new Update().set("lastUsedAt", now),
                Open311Client.class).thenReturn(client);
    }

    private static String secret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String hash(String secret) {
        return Base64.getEncoder().encodeToString(org.civicbot.bot.Hashes.sha256(secret));
    }
}

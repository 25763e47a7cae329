package org.civicbot.bot;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.bson.Document;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.publisher.Mono;

/**
 * How many requests a client made in the current minute, counted in the store ({@code rate_limits}) so that every
 * app instance counts the same ones: one atomic upsert per request. A fixed window per clock minute: simple to
 * explain to a client ("at most N a minute; try again in S seconds") and to check. Keys are hashed, so the store
 * never holds a client's address.
 */
public class RateLimits implements AutoCloseable {

    static final String COLLECTION = "rate_limits";
    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final ReactiveMongoTemplate mongo;
    private final Clock clock;
    private final Periodic cleaner;

    public RateLimits(ReactiveMongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
        this.cleaner = Periodic.start("Rate limit clean-up", Duration.ofMinutes(5), Duration.ofMinutes(5),
                this::forgetPast);
    }

    /**
     * Whether a request fits, and if not, how long until it would.
     *
     * @param retryAfter zero when allowed; else the time to the next window, at least a second
     */
    public record Verdict(boolean allowed, Duration retryAfter) {}

    /** Counts a request of {@code key} (e.g. {@code open311:post:<client>}); at most {@code perMinute} are allowed. */
    public Mono<Verdict> take(String key, int perMinute) {
        return take(key, perMinute, 2);
    }

    private Mono<Verdict> take(String key, int perMinute, int tries) {
        Instant now = clock.instant();
        long window = now.getEpochSecond() / WINDOW.toSeconds();
        Instant next = Instant.ofEpochSecond((window + 1) * WINDOW.toSeconds());
        return mongo.findAndModify(query(where("_id").is(hash(key) + ":" + window)),
                        new Update().inc("count", 1).setOnInsert("until", next),
                        FindAndModifyOptions.options().upsert(true).returnNew(true), Document.class, COLLECTION)
                .map(counted -> counted.getInteger("count", 0) <= perMinute ? new Verdict(true, Duration.ZERO)
                        : new Verdict(false, max(Duration.ofSeconds(1), Duration.between(now, next))))
                // Two first requests of a window racing: the second upsert finds the first's document next time.
                .onErrorResume(DuplicateKeyException.class, e -> tries > 1 ? take(key, perMinute, tries - 1)
                        : Mono.error(e));
    }

    /** Forgets the windows that are over; returns how many. */
    public Mono<Long> forgetPast() {
        return mongo.remove(query(where("until").lte(clock.instant())), COLLECTION)
                .map(result -> result.getDeletedCount());
    }

    @Override
    public void close() {
        cleaner.close();
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static String hash(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Hashes.sha256(key));
    }
}

package org.civicbot.backoffice.staff;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Locale;
import java.util.Optional;
import org.bson.Document;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import org.civicbot.bot.Periodic;
import reactor.core.publisher.Mono;

/**
 * Counts sign-in attempts per username and per client address in the store ({@code login_throttle}), so
 * that every app instance counts the same ones. More than {@code civicbot.login.max-failures} failures for
 * a username within a minute, or {@code max-failures-per-address} from one address, and that username or
 * address is refused for {@code civicbot.login.lockout}, twice as long for each lockout after it within the
 * hour. An attempt is counted before its password is checked (atomically, so a burst of parallel guesses
 * cannot slip past the count) and taken back when it succeeds. Keys are hashed: the store never holds a
 * username someone mistyped (often a password) nor an address.
 */
@Component
class LoginThrottle implements DisposableBean {

    static final String COLLECTION = "login_throttle";
    static final Duration WINDOW = Duration.ofMinutes(1);
    /** Lockouts double at most this many times: 1, 2, 4, 8, 16 minutes with the default. */
    static final int MAX_DOUBLINGS = 4;
    /** A key without attempts for this long is forgotten, lockouts and all. */
    static final Duration FORGET_AFTER = Duration.ofHours(1);

    private final ReactiveMongoTemplate mongo;
    private final LoginProperties properties;
    private final Clock clock;
    private Periodic sweeper;

    LoginThrottle(ReactiveMongoTemplate mongo, LoginProperties properties, Clock clock) {
        this.mongo = mongo;
        this.properties = properties;
        this.clock = clock;
    }

    /** Counts an attempt; false when the username or the address is refused for now. */
    Mono<Boolean> attempt(String username, Optional<String> address) {
        Mono<Boolean> user = attempt(userKey(username), properties.maxFailures());
        Mono<Boolean> from = address.map(a -> attempt(addressKey(a), properties.maxFailuresPerAddress()))
                .orElse(Mono.just(true));
        return Mono.zip(user, from, (u, a) -> u && a);
    }

    /** The attempt was right: the username starts afresh, and the address gets its attempt back. */
    Mono<Void> succeeded(String username, Optional<String> address) {
        Mono<Void> user = mongo.updateFirst(query(where("_id").is(userKey(username))),
                new Update().set("attempts", 0).set("lockouts", 0), COLLECTION).then();
        Mono<Void> from = address.map(a -> mongo.updateFirst(query(where("_id").is(addressKey(a)).and("attempts").gt(0)),
                new Update().inc("attempts", -1), COLLECTION).then()).orElse(Mono.empty());
        return Mono.when(user, from);
    }

    /** Forgets the keys with no attempt for an hour; returns how many. */
    Mono<Long> forgetQuiet() {
        return mongo.remove(query(where("lastAttemptAt").lte(clock.instant().minus(FORGET_AFTER))), COLLECTION)
                .map(result -> result.getDeletedCount());
    }

    @EventListener(ApplicationReadyEvent.class)
    void forgetRegularly() {
        sweeper = Periodic.start("Sign-in throttle clean-up", Duration.ofMinutes(10), Duration.ofMinutes(10),
                this::forgetQuiet);
    }

    @Override
    public void destroy() {
        if (sweeper != null) {
            sweeper.close();
        }
    }

    private Mono<Boolean> attempt(String key, int limit) {
        Instant now = clock.instant();
        return mongo.findById(key, Document.class, COLLECTION)
                .filter(throttle -> isAfter(throttle.getDate("lockedUntil"), now))
                .map(locked -> false)
                .switchIfEmpty(Mono.defer(() -> count(key, now, 3).flatMap(counted ->
                        counted.getInteger("attempts", 0) <= limit ? Mono.just(true)
                                : lockOut(key, limit, counted.getInteger("lockouts", 0), now).thenReturn(false))));
    }

    /** Counts the attempt in the current minute, or opens a new minute when the last one is over. */
    private Mono<Document> count(String key, Instant now, int tries) {
        FindAndModifyOptions returnNew = FindAndModifyOptions.options().returnNew(true);
        Instant windowOpen = now.minus(WINDOW);
        return mongo.findAndModify(query(where("_id").is(key).and("windowStart").gt(windowOpen)),
                        new Update().inc("attempts", 1).set("lastAttemptAt", now), returnNew, Document.class, COLLECTION)
                .switchIfEmpty(Mono.defer(() -> mongo.findAndModify(
                        query(where("_id").is(key).and("windowStart").lte(windowOpen)),
                        new Update().set("windowStart", now).set("attempts", 1).set("lastAttemptAt", now),
                        returnNew, Document.class, COLLECTION)))
                .switchIfEmpty(Mono.defer(() -> mongo.insert(new Document("_id", key).append("windowStart", now)
                                .append("attempts", 1).append("lockouts", 0).append("lastAttemptAt", now), COLLECTION)
                        // Another attempt created it meanwhile: count this one in it.
                        .onErrorResume(DuplicateKeyException.class, e -> tries > 1 ? count(key, now, tries - 1)
                                : Mono.error(e))));
    }

    /** Only the first of several refused attempts starts the lockout: it sets the count back to zero. */
    private Mono<Void> lockOut(String key, int limit, int lockouts, Instant now) {
        Duration lockout = properties.lockout().multipliedBy(1L << Math.min(lockouts, MAX_DOUBLINGS));
        return mongo.updateFirst(query(where("_id").is(key).and("attempts").gt(limit)),
                new Update().set("lockedUntil", now.plus(lockout)).set("attempts", 0).set("windowStart", now)
                        .inc("lockouts", 1), COLLECTION).then();
    }

    private static boolean isAfter(Date lockedUntil, Instant now) {
        return lockedUntil != null && lockedUntil.toInstant().isAfter(now);
    }

    static String userKey(String username) {
        return "user:" + sha256(username.strip().toLowerCase(Locale.ROOT));
    }

    static String addressKey(String address) {
        return "address:" + sha256(address);
    }

    private static String sha256(String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(org.civicbot.bot.Hashes.sha256(value));
    }
}

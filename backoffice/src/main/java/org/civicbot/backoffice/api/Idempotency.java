package org.civicbot.backoffice.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.bson.Document;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.civicbot.bot.Periodic;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests that must not happen twice carry an {@code Idempotency-Key}: the first one with a key runs and
 * its answer is kept; the same key again (same user, same operation) gets that answer back without
 * running anything. A second request that arrives while the first still runs gets 409. A key is
 * remembered for {@link #RETENTION}: clients retry within minutes, and the store does not grow forever.
 */
@Component
class Idempotency implements DisposableBean {

    static final String HEADER = "Idempotency-Key";
    static final int MAX_KEY_LENGTH = 200;
    static final Duration RETENTION = Duration.ofHours(24);
    /** Longer than any request runs: a key RUNNING this long was abandoned by an app that stopped. */
    static final Duration ABANDONED_AFTER = Duration.ofMinutes(2);
    private static final String COLLECTION = "idempotency_keys";

    private final ReactiveMongoTemplate mongo;
    private final JsonMapper json;
    private final Clock clock;
    private Periodic cleaner;

    Idempotency(ReactiveMongoTemplate mongo, JsonMapper json, Clock clock) {
        this.mongo = mongo;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Runs {@code action} once per key; with no key it just runs.
     *
     * @param operation what is being done, e.g. {@code POST /conversations/42/messages}
     */
    <T> Mono<ResponseEntity<Object>> once(String user, String operation, String key,
            Supplier<Mono<ResponseEntity<T>>> action) {
        if (key == null || key.isBlank()) {
            return action.get().map(r -> ResponseEntity.status(r.getStatusCode()).headers(r.getHeaders()).body(r.getBody()));
        }
        if (key.length() > MAX_KEY_LENGTH) {
            return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    HEADER + " may have at most " + MAX_KEY_LENGTH + " characters"));
        }
        String id = user + "\n" + operation + "\n" + key;
        Instant now = clock.instant();
        return mongo.insert(new Document("_id", id).append("state", "RUNNING").append("at", now), COLLECTION)
                .then(Mono.defer(() -> run(id, action)))
                .onErrorResume(DuplicateKeyException.class, duplicate -> takeOverAbandoned(id, now)
                        .flatMap(taken -> taken ? run(id, action) : replay(id)));
    }

    /**
     * Runs the action to its end even if the client goes away meanwhile, so its answer is remembered
     * (or, on failure, the key forgotten) and a retry gets it, rather than finding the key running for a day.
     */
    private <T> Mono<ResponseEntity<Object>> run(String id, Supplier<Mono<ResponseEntity<T>>> action) {
        Mono<ResponseEntity<Object>> run = action.get()
                .flatMap(response -> remember(id, response).thenReturn(response))
                .onErrorResume(error -> forget(id).then(Mono.error(error)))
                .map(r -> ResponseEntity.status(r.getStatusCode()).headers(r.getHeaders()).<Object>body(r.getBody()));
        return Mono.fromFuture(run.toFuture(), true);
    }

    /**
     * A key still RUNNING after {@link #ABANDONED_AFTER} was left by a request whose app stopped mid-way:
     * the new request takes it over and runs. True when it did.
     */
    private Mono<Boolean> takeOverAbandoned(String id, Instant now) {
        return mongo.updateFirst(Query.query(Criteria.where("_id").is(id).and("state").is("RUNNING")
                                .and("at").lt(now.minus(ABANDONED_AFTER))), new Update().set("at", now), COLLECTION)
                .map(result -> result.getModifiedCount() > 0);
    }

    private <T> Mono<Void> remember(String id, ResponseEntity<T> response) {
        String body = response.getBody() == null ? null : json.writeValueAsString(response.getBody());
        return mongo.updateFirst(Query.query(Criteria.where("_id").is(id)), new Update().set("state", "DONE")
                .set("status", response.getStatusCode().value()).set("body", body), COLLECTION).then();
    }

    /** Forgets the keys older than {@link #RETENTION}; returns how many. */
    Mono<Long> forgetOld() {
        return mongo.remove(Query.query(Criteria.where("at").lt(clock.instant().minus(RETENTION))), COLLECTION)
                .map(result -> result.getDeletedCount());
    }

    /** Every hour, while the app runs. */
    @EventListener(ApplicationReadyEvent.class)
    void forgetOldKeysEveryHour() {
        cleaner = Periodic.start("Idempotency key clean-up", Duration.ofHours(1), Duration.ofHours(1),
                this::forgetOld);
    }

    @Override
    public void destroy() {
        if (cleaner != null) {
            cleaner.close();
        }
    }

    /** A failed request leaves no trace, so the same key may try again. */
    private Mono<Void> forget(String id) {
        return mongo.remove(Query.query(Criteria.where("_id").is(id)), COLLECTION).then();
    }

    private Mono<ResponseEntity<Object>> replay(String id) {
        return mongo.findById(id, Document.class, COLLECTION)
                .flatMap(stored -> {
                    if (!"DONE".equals(stored.getString("state"))) {
                        return Mono.error(new ResponseStatusException(HttpStatus.CONFLICT,
                                "a request with this " + HEADER + " is still running; try again shortly"));
                    }
                    ResponseEntity.BodyBuilder builder = ResponseEntity.status(HttpStatusCode.valueOf(stored.getInteger("status")))
                            .header("Idempotent-Replayed", "true");
                    String body = stored.getString("body");
                    return Mono.just(body == null ? builder.build()
                            : builder.contentType(MediaType.APPLICATION_JSON).body(body));
                });
    }
}

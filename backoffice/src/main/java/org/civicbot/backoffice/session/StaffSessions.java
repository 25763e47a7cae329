package org.civicbot.backoffice.session;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bson.Document;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.WebSessionStore;
import org.civicbot.bot.Periodic;
import reactor.core.publisher.Mono;

/**
 * The staff's sessions in MongoDB ({@code staff_sessions}): the {@link WebSessionStore} behind the pages,
 * and the way to end a user's sessions. A session is stored under the SHA-256 of its id, so a copy of the
 * store holds no id a browser could present. It ends after {@code server.reactive.session.timeout} without
 * a request, or {@code civicbot.session.max-lifetime} after it began whatever the activity; an ended session
 * is deleted when next asked for, and by a sweep every few minutes.
 */
@Component
public class StaffSessions implements WebSessionStore, DisposableBean {

    static final String COLLECTION = "staff_sessions";
    /** The last access is written at most this often, so a page costs a read, not a write per request. */
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    static final Duration SWEEP_EVERY = Duration.ofMinutes(5);

    private final ReactiveMongoTemplate mongo;
    private final Clock clock;
    private final Duration idleTimeout;
    private final Duration maxLifetime;
    private Periodic sweeper;

    StaffSessions(ReactiveMongoTemplate mongo, Clock clock,
            @Value("${server.reactive.session.timeout:30m}") Duration idleTimeout, SessionSettings settings) {
        this.mongo = mongo;
        this.clock = clock;
        this.idleTimeout = idleTimeout;
        this.maxLifetime = settings.maxLifetime();
    }

    @Override
    public Mono<WebSession> createWebSession() {
        return Mono.fromSupplier(() -> new StoredSession(this, SessionIds.generate(), now(), idleTimeout));
    }

    @Override
    public Mono<WebSession> retrieveSession(String id) {
        String key = SessionIds.hash(id);
        return mongo.findById(key, SessionDocument.class).flatMap(document -> {
            Instant now = now();
            if (!now.isBefore(expiry(document.createdAt(), document.lastAccessAt(),
                    Duration.ofSeconds(document.maxIdleSeconds())))) {
                return remove(key).then(Mono.empty());
            }
            return Mono.just(new StoredSession(this, id, document, now));
        });
    }

    @Override
    public Mono<Void> removeSession(String id) {
        return remove(SessionIds.hash(id));
    }

    @Override
    public Mono<WebSession> updateLastAccessTime(WebSession session) {
        return Mono.fromSupplier(() -> {
            ((StoredSession) session).touch(now());
            return session;
        });
    }

    /** Ends every session of this user (an admin reset their password); returns how many there were. */
    public Mono<Long> endAll(String username) {
        return remove(query(where("username").is(username)));
    }

    /** Ends every session of this user but the one of this request (they changed their own password). */
    public Mono<Long> endOthers(String username, ServerWebExchange exchange) {
        return exchange.getSession().flatMap(current -> remove(query(where("username").is(username)
                .and("_id").ne(SessionIds.hash(current.getId())))));
    }

    /** Deletes the sessions that have ended; returns how many. */
    public Mono<Long> sweep() {
        Instant now = now();
        return remove(query(new Criteria().orOperator(where("expiresAt").lte(now),
                where("createdAt").lte(now.minus(maxLifetime)))));
    }

    @EventListener(ApplicationReadyEvent.class)
    void sweepRegularly() {
        sweeper = Periodic.start("Staff session sweep", SWEEP_EVERY, SWEEP_EVERY, this::sweep);
    }

    @Override
    public void destroy() {
        if (sweeper != null) {
            sweeper.close();
        }
    }

    Instant now() {
        return clock.instant();
    }

    /** When a session ends if no request comes first: idle too long, or too old. */
    Instant expiry(Instant createdAt, Instant lastAccessAt, Duration maxIdle) {
        Instant idle = lastAccessAt.plus(maxIdle);
        Instant old = createdAt.plus(maxLifetime);
        return idle.isBefore(old) ? idle : old;
    }

    Mono<Void> save(StoredSession session) {
        if (session.invalidated() || !session.isStarted()) {
            return Mono.empty();
        }
        String key = SessionIds.hash(session.getId());
        List<Document> attributes = SessionAttributes.write(session.getAttributes());
        String username = SessionAttributes.username(session.getAttributes());
        Instant lastAccess = session.getLastAccessTime();
        Instant expiresAt = expiry(session.getCreationTime(), lastAccess, session.getMaxIdleTime());
        String previous = session.storedKey();
        if (!key.equals(previous)) {
            // A new session, or a new id for it (sign-in, password change): a new document, then the old one goes.
            SessionDocument document = new SessionDocument(key, username, session.getCreationTime(), lastAccess,
                    session.getMaxIdleTime().toSeconds(), expiresAt, attributes);
            return mongo.insert(document)
                    .then(previous == null ? Mono.empty() : remove(previous))
                    .then(Mono.fromRunnable(() -> session.stored(key, attributes, lastAccess)));
        }
        boolean changed = !attributes.equals(session.storedAttributes());
        boolean due = !lastAccess.isBefore(session.storedLastAccessAt().plus(TOUCH_EVERY));
        if (!changed && !due) {
            return Mono.empty();
        }
        Update update = new Update().set("lastAccessAt", lastAccess).set("expiresAt", expiresAt);
        if (changed) {
            update.set("username", username).set("attributes", attributes);
        }
        // Never an upsert: a session ended meanwhile (a password change, a sign-out elsewhere) stays ended.
        return mongo.updateFirst(query(where("_id").is(key)), update, SessionDocument.class)
                .then(Mono.fromRunnable(() -> session.stored(key, attributes, lastAccess)));
    }

    Mono<Void> remove(StoredSession session) {
        String previous = session.storedKey();
        return Mono.when(remove(SessionIds.hash(session.getId())), previous == null ? Mono.empty() : remove(previous));
    }

    private Mono<Void> remove(String key) {
        return remove(query(where("_id").is(key))).then();
    }

    private Mono<Long> remove(Query query) {
        return mongo.remove(query, SessionDocument.class).map(result -> result.getDeletedCount());
    }
}

package org.civicbot.backoffice.session;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bson.Document;
import org.springframework.web.server.WebSession;
import reactor.core.publisher.Mono;

/**
 * A staff session as one request sees it: attributes in memory, written back to {@link StaffSessions} when
 * the response starts, and only what changed.
 */
final class StoredSession implements WebSession {

    private final StaffSessions store;
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final Instant createdAt;
    private volatile String id;
    private volatile Instant lastAccessAt;
    private volatile Duration maxIdleTime;
    private volatile boolean started;
    private volatile boolean invalidated;
    /** The key its document is stored under; null until it is first saved. */
    private volatile String storedKey;
    /** The attributes and last access as stored, to write only what changed. */
    private volatile List<Document> storedAttributes = List.of();
    private volatile Instant storedLastAccessAt;

    /** A new session, not stored until something is put in it (or it is started) and the response starts. */
    StoredSession(StaffSessions store, String id, Instant now, Duration maxIdleTime) {
        this.store = store;
        this.id = id;
        this.createdAt = now;
        this.lastAccessAt = now;
        this.maxIdleTime = maxIdleTime;
    }

    /** A stored session, read back for a request arriving {@code now}. */
    StoredSession(StaffSessions store, String id, SessionDocument document, Instant now) {
        this(store, id, document.createdAt(), Duration.ofSeconds(document.maxIdleSeconds()));
        this.lastAccessAt = now;
        this.attributes.putAll(SessionAttributes.read(document.attributes()));
        stored(document.key(), document.attributes(), document.lastAccessAt());
    }

    void stored(String key, List<Document> attributes, Instant lastAccessAt) {
        this.storedKey = key;
        this.storedAttributes = attributes;
        this.storedLastAccessAt = lastAccessAt;
    }

    String storedKey() {
        return storedKey;
    }

    List<Document> storedAttributes() {
        return storedAttributes;
    }

    Instant storedLastAccessAt() {
        return storedLastAccessAt;
    }

    boolean invalidated() {
        return invalidated;
    }

    void touch(Instant now) {
        lastAccessAt = now;
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public Map<String, Object> getAttributes() {
        return attributes;
    }

    @Override
    public void start() {
        started = true;
    }

    @Override
    public boolean isStarted() {
        return started || storedKey != null || !attributes.isEmpty();
    }

    /** The new id is stored when the response starts, and the document under the old one removed then. */
    @Override
    public Mono<Void> changeSessionId() {
        id = SessionIds.generate();
        return Mono.empty();
    }

    @Override
    public Mono<Void> invalidate() {
        invalidated = true;
        attributes.clear();
        return store.remove(this);
    }

    @Override
    public Mono<Void> save() {
        return store.save(this);
    }

    @Override
    public boolean isExpired() {
        return invalidated || !store.now().isBefore(store.expiry(createdAt, lastAccessAt, maxIdleTime));
    }

    @Override
    public Instant getCreationTime() {
        return createdAt;
    }

    @Override
    public Instant getLastAccessTime() {
        return lastAccessAt;
    }

    @Override
    public void setMaxIdleTime(Duration maxIdleTime) {
        this.maxIdleTime = maxIdleTime;
    }

    @Override
    public Duration getMaxIdleTime() {
        return maxIdleTime;
    }
}

package org.civicbot.backoffice.session;

import java.time.Instant;
import java.util.List;
import org.bson.Document;
import org.springframework.data.annotation.Id;

/**
 * A staff session as stored in {@code staff_sessions}.
 *
 * @param key the SHA-256 of the session id, never the id itself
 * @param username who signed in with it; null before sign-in
 * @param expiresAt when it ends if nothing happens meanwhile, for the sweep
 * @param attributes as {@link SessionAttributes} writes them
 */
@org.springframework.data.mongodb.core.mapping.Document(StaffSessions.COLLECTION)
record SessionDocument(@Id String key, String username, Instant createdAt, Instant lastAccessAt, long maxIdleSeconds,
        Instant expiresAt, List<Document> attributes) {}

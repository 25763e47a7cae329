package org.civicbot.backoffice.open311;

import java.time.Instant;
import org.springframework.data.annotation.Id;

/**
 * An outside system allowed to post requests through the Open311 GeoReport v2 API: a citizen app, the town's CRM.
 *
 * @param id short and stable ({@code fixmystreet}); the first part of its key, and what its requests' history names
 * @param keyHash SHA-256 of the secret part of its {@code api_key}, Base64: the key itself is shown once and never
 *     stored
 * @param readsDetails whether its key also reads what the public may not: descriptions and exact places (for the
 *     town's own systems; a citizen app reads what the public reads)
 * @param revokedAt when an admin revoked it: its key is refused from then on
 * @param lastUsedAt when its key was last accepted (to the minute)
 */
@org.springframework.data.mongodb.core.mapping.Document("open311_clients")
public record Open311Client(@Id String id, String name, String keyHash, boolean readsDetails, Instant createdAt,
        String createdBy, Instant keyIssuedAt, String keyIssuedBy, Instant revokedAt, String revokedBy,
        Instant lastUsedAt) {

    public boolean active() {
        return revokedAt == null;
    }
}

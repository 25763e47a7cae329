package org.civicbot.bot.device;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;

/**
 * A device of the registry ({@code devices}): a waste-collection truck, a container sensor. Its token is kept only as
 * a SHA-256; its signing secret is kept as it is, since the platform checks signatures with it.
 *
 * @param type what kind of device it is ({@code truck}, {@code container_sensor})
 * @param assetId the asset it reports on (a route, a container), when its alerts do not say
 * @param department where its incidents go, when its alerts' type does not say
 * @param tokenSha256 the SHA-256 of its bearer token; once revoked, a value no token hashes to
 * @param signingSecret the HMAC key of its signed alerts ({@code X-Civicbot-Signature})
 * @param requireSignature its alerts are refused unless signed
 * @param revoked refused from the moment it was revoked
 * @param alertCount the alerts it has posted (duplicates aside)
 */
@org.springframework.data.mongodb.core.mapping.Document(DeviceRegistry.DEVICES)
public record Device(@Id String id, String type, String name, String assetId, String department, String tokenSha256,
        String signingSecret, Boolean requireSignature, Boolean revoked, Instant createdAt, String createdBy,
        Instant rotatedAt, Instant revokedAt, Instant lastSeenAt, Long alertCount) {

    @PersistenceCreator
    public Device {}

    public boolean active() {
        return !Boolean.TRUE.equals(revoked) && tokenSha256 != null && !tokenSha256.startsWith("revoked:");
    }

    public boolean signs() {
        return Boolean.TRUE.equals(requireSignature);
    }

    /** The asset an alert is about: its own, else the device's, else the device itself. */
    public String assetOf(DeviceAlert alert) {
        return alert.assetId() != null ? alert.assetId() : assetId != null ? assetId : "device:" + id;
    }
}

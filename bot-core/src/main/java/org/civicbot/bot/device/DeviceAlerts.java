package org.civicbot.bot.device;

import java.util.Optional;
import reactor.core.publisher.Mono;

/** What the device bridge asks of the platform: who a token belongs to, and what an alert comes to. */
public interface DeviceAlerts {

    /** The active device this bearer token belongs to, compared in constant time; empty if none. */
    Mono<Optional<Device>> authenticate(String bearerToken);

    /** Records the alert, once per device and alert id, as its type says. */
    Mono<Receipt> report(Device device, DeviceAlert alert);

    /**
     * Whether {@code signature} ({@code sha256=<hex>}) is the device's HMAC of {@code timestamp + "." + body}, the
     * timestamp (Unix seconds) recent enough that it is no replay.
     */
    boolean signed(Device device, String timestamp, String signature, String body);

    /** Empty when the device may post now; else how long until it may (its rate per minute is spent). */
    Mono<java.util.Optional<java.time.Duration>> throttled(Device device);

    /**
     * @param incidentCode the incident the alert is recorded on, if any
     * @param created false when the same device sent the same alert id before
     * @param status what it came to: {@code incident} (a new one), {@code added} (counted on the asset's open one),
     *     {@code resolved}, {@code notice}, {@code announced}, or {@code duplicate}
     * @param alertCount the incident's alerts, when it has one
     */
    record Receipt(String incidentCode, boolean created, String status, Integer alertCount) {}
}

package org.civicbot.bot.device;

import java.time.Instant;

/**
 * An alert a device (a waste-collection truck, a container sensor) posted.
 *
 * @param alertId the device's own id for the alert: the same id twice is the same alert
 * @param type what happened, in the device's words (e.g. {@code container_full})
 * @param message a human-readable description
 * @param latitude where, if the device knows
 * @param longitude where, if the device knows
 * @param occurredAt when it happened, by the device's clock
 * @param assetId the asset concerned (a container, a vehicle), if any
 * @param resolved the condition is over ({@code "state": "resolved"}), not a new occurrence
 */
public record DeviceAlert(String alertId, String type, String message, Double latitude, Double longitude,
        Instant occurredAt, String assetId, boolean resolved) {

    public DeviceAlert(String alertId, String type, String message, Double latitude, Double longitude,
            Instant occurredAt, String assetId) {
        this(alertId, type, message, latitude, longitude, occurredAt, assetId, false);
    }
}

package org.civicbot.bot.device;

import java.util.Optional;
import reactor.core.publisher.Mono;

/** Turns device alerts into incidents, once per device and alert id. */
public interface DeviceAlerts {

    /** The id of the device this bearer token belongs to, compared in constant time; empty if none. */
    Mono<Optional<String>> authenticate(String bearerToken);

    /** Creates the incident for this alert, or finds the one a previous delivery created. */
    Mono<Receipt> report(String deviceId, DeviceAlert alert);

    /**
     * @param incidentCode the incident the alert is recorded on
     * @param created false when the same device sent the same alert id before
     */
    record Receipt(String incidentCode, boolean created) {}
}

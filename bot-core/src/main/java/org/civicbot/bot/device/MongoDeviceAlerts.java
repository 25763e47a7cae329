package org.civicbot.bot.device;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.Incidents;
import org.civicbot.bot.incident.Source;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Devices and their tokens in MongoDB (only a SHA-256 of each token is stored), and their alerts as
 * incidents with source DEVICE and the alert as a system message on the timeline.
 */
public class MongoDeviceAlerts implements DeviceAlerts {

    static final String DEVICES = "devices";

    private final ReactiveMongoTemplate mongo;
    private final Incidents incidents;
    private final Clock clock;

    public MongoDeviceAlerts(ReactiveMongoTemplate mongo, Incidents incidents, Clock clock) {
        this.mongo = mongo;
        this.incidents = incidents;
        this.clock = clock;
    }

    /** A device to register at start, from configuration. */
    public record Seed(String id, String token) {}

    /** Registers the devices, or sets their token if they exist. */
    public Mono<Void> seed(List<Seed> devices) {
        return Flux.fromIterable(devices)
                .filter(d -> d.id() != null && !d.id().isBlank() && d.token() != null && !d.token().isBlank())
                .concatMap(d -> {
                    Mono<Void> upsert = mongo.upsert(query(where("_id").is(d.id())),
                            new Update().set("tokenSha256", sha256(d.token())), DEVICES).then();
                    // Two instances starting together: the second upsert finds the first one's document.
                    return upsert.onErrorResume(org.springframework.dao.DuplicateKeyException.class, e -> upsert);
                })
                .then();
    }

    @Override
    public Mono<Optional<String>> authenticate(String bearerToken) {
        if (bearerToken == null || bearerToken.isBlank()) {
            return Mono.just(Optional.empty());
        }
        String hash = sha256(bearerToken);
        return mongo.findOne(query(where("tokenSha256").is(hash)), Document.class, DEVICES)
                // The lookup is by digest; the final comparison is constant-time all the same.
                .filter(d -> MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII),
                        d.getString("tokenSha256").getBytes(StandardCharsets.US_ASCII)))
                .map(d -> Optional.of(d.getString("_id")))
                .defaultIfEmpty(Optional.empty());
    }

    @Override
    public Mono<Receipt> report(String deviceId, DeviceAlert alert) {
        String ref = "device:" + deviceId + ":" + alert.alertId();
        Incident.Location location = alert.latitude() == null ? null
                : new Incident.Location(alert.assetId() == null ? null : "asset " + alert.assetId(),
                        alert.latitude(), alert.longitude(), "DEVICE");
        String text = "[" + alert.type() + "] " + alert.message()
                + (alert.assetId() == null ? "" : " (asset " + alert.assetId() + ")");
        Incident.TimelineEntry entry = new Incident.TimelineEntry(
                alert.occurredAt() == null ? clock.instant() : alert.occurredAt(), "SYSTEM", deviceId, text);
        Incidents.Report report = new Incidents.Report(ref, "device_" + alert.type(), alert.message(), location,
                List.of(), Source.DEVICE, deviceId, null, null, deviceId, null, entry);
        return incidents.reportOnce(report).map(r -> new Receipt(r.incident().code(), r.created()));
    }

    static String sha256(String token) {
        return HexFormat.of().formatHex(org.civicbot.bot.Hashes.sha256(token));
    }
}

package org.civicbot.bot.device;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.civicbot.bot.Hashes;
import org.civicbot.bot.Seeds;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The devices that may post alerts, kept by admins: a device is added with a token shown once, rotated, revoked (from
 * that moment its token is refused), and says when it was last seen and how many alerts it posted. The properties'
 * devices ({@code civicbot.devices[N]}) seed an empty registry only, once.
 */
public class DeviceRegistry {

    static final String DEVICES = "devices";
    /** A device's signed alert may be this old, or this far ahead: a replay later is refused. */
    public static final Duration SIGNATURE_WINDOW = Duration.ofMinutes(5);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ReactiveMongoTemplate mongo;
    private final Clock clock;

    public DeviceRegistry(ReactiveMongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
    }

    /** What is wrong with a request, in words an admin can act on. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message);
        }
    }

    /** No such device; or a device of that id exists already ({@link #add}). */
    public static final class NotFound extends RuntimeException {
        public NotFound(String message) {
            super(message);
        }
    }

    public static final class Conflict extends RuntimeException {
        public Conflict(String message) {
            super(message);
        }
    }

    /** A device to add. */
    public record NewDevice(String id, String type, String name, String assetId, String department,
            boolean requireSignature) {}

    /** What a device is given once: its bearer token and the key it signs with. */
    public record Issued(Device device, String token, String signingSecret) {}

    /** A device from configuration. */
    public record Seed(String id, String token) {}

    public Flux<Device> all() {
        return mongo.findAll(Device.class).sort(java.util.Comparator.comparing(Device::id));
    }

    public Mono<Device> find(String id) {
        return mongo.findById(id, Device.class)
                .switchIfEmpty(Mono.error(() -> new NotFound("there is no device \"" + id + "\"")));
    }

    /** Adds a device; its token and signing secret are in the answer and nowhere else readable. */
    public Mono<Issued> add(NewDevice d, String by) {
        if (d.id() == null || !d.id().matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            return Mono.error(new Invalid("id is 1 to 64 letters, digits, '.', '_' or '-'"));
        }
        if (d.type() == null || d.type().isBlank() || d.type().length() > 64) {
            return Mono.error(new Invalid("type is required (e.g. truck, container_sensor), at most 64 characters"));
        }
        String token = token();
        String secret = secret();
        Instant now = clock.instant();
        Device device = new Device(d.id(), d.type().strip(), blank(d.name()), blank(d.assetId()), blank(d.department()),
                sha256(token), secret, d.requireSignature(), false, now, by, null, null, null, 0L);
        return mongo.insert(device).map(saved -> new Issued(saved, token, secret))
                .onErrorMap(DuplicateKeyException.class, e -> new Conflict("a device \"" + d.id()
                        + "\" exists already; rotate its token or revoke it"));
    }

    /** A new token and signing secret for the device (revoked or not): the old ones stop working at once. */
    public Mono<Issued> rotate(String id) {
        String token = token();
        String secret = secret();
        return mongo.findAndModify(query(where("_id").is(id)), new Update().set("tokenSha256", sha256(token))
                                .set("signingSecret", secret).set("revoked", false).set("rotatedAt", clock.instant())
                                .unset("revokedAt"),
                        FindAndModifyOptions.options().returnNew(true), Device.class)
                .map(device -> new Issued(device, token, secret))
                .switchIfEmpty(Mono.error(() -> new NotFound("there is no device \"" + id + "\"")));
    }

    /**
     * Revokes the device: its token is forgotten (replaced by a value no token hashes to, since the field is unique),
     * so the next alert it posts is refused.
     */
    public Mono<Device> revoke(String id) {
        return mongo.findAndModify(query(where("_id").is(id)), new Update().set("revoked", true)
                        .set("tokenSha256", "revoked:" + token()).set("revokedAt", clock.instant()),
                        FindAndModifyOptions.options().returnNew(true), Device.class)
                .switchIfEmpty(Mono.error(() -> new NotFound("there is no device \"" + id + "\"")));
    }

    /** The active device a bearer token belongs to; the final comparison is constant-time. */
    public Mono<Optional<Device>> authenticate(String bearerToken) {
        if (bearerToken == null || bearerToken.isBlank()) {
            return Mono.just(Optional.empty());
        }
        String hash = sha256(bearerToken);
        return mongo.findOne(query(where("tokenSha256").is(hash)), Device.class)
                .filter(d -> d.active() && MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII),
                        d.tokenSha256().getBytes(StandardCharsets.US_ASCII)))
                .map(Optional::of).defaultIfEmpty(Optional.empty());
    }

    /**
     * Whether {@code signature} ({@code sha256=<hex>}) is the device's HMAC of {@code timestamp + "." + body}, with
     * the timestamp (Unix seconds) within {@link #SIGNATURE_WINDOW} of now.
     */
    public boolean signed(Device device, String timestamp, String signature, String body) {
        if (device.signingSecret() == null || timestamp == null || signature == null
                || !signature.startsWith("sha256=")) {
            return false;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.strip());
            if (Duration.between(Instant.ofEpochSecond(seconds), clock.instant()).abs()
                    .compareTo(SIGNATURE_WINDOW) > 0) {
                return false;
            }
        } catch (NumberFormatException | java.time.DateTimeException | ArithmeticException e) {
            return false;
        }
        String expected = "sha256=" + HexFormat.of().formatHex(Hashes.hmacSha256(
                device.signingSecret().getBytes(StandardCharsets.UTF_8), timestamp.strip() + "." + body));
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                signature.strip().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    /** Notes an alert the device posted: last seen now, one more alert. */
    public Mono<Void> seen(String id) {
        return mongo.updateFirst(query(where("_id").is(id)), new Update().set("lastSeenAt", clock.instant())
                .inc("alertCount", 1L), Device.class).then();
    }

    /**
     * Seeds the devices of configuration into an empty registry, once: afterwards the registry is the admins', and a
     * device removed from the file is revoked there, not by the file.
     */
    public Mono<Long> seed(List<Seed> devices) {
        List<Seed> usable = devices.stream().filter(d -> d.id() != null && !d.id().isBlank() && d.token() != null
                && !d.token().isBlank()).toList();
        if (usable.isEmpty()) {
            return Mono.just(0L);
        }
        Instant now = clock.instant();
        return mongo.count(new Query(), Device.class).flatMap(count -> count > 0 ? Mono.just(0L)
                : Seeds.once(mongo, "devices", Flux.fromIterable(usable).concatMap(d -> mongo.insert(new Device(
                                d.id(), "configured", d.id(), null, null, sha256(d.token()), secret(), false, false, now,
                                "configuration", null, null, null, 0L))
                        .onErrorResume(DuplicateKeyException.class, e -> Mono.empty())).count()));
    }

    private static String token() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String secret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static String sha256(String token) {
        return HexFormat.of().formatHex(Hashes.sha256(token));
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** The devices, newest alerts first, for the back-office list. */
    public Flux<Device> byLastSeen() {
        return mongo.find(new Query().with(Sort.by(Sort.Direction.DESC, "lastSeenAt")), Device.class);
    }
}

package org.civicbot.bot.device;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;
import org.civicbot.bot.announcement.Announcements;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.IncidentDesk;
import org.civicbot.bot.incident.IncidentStatus;
import org.civicbot.bot.incident.Incidents;
import org.civicbot.bot.incident.Outcome;
import org.civicbot.bot.incident.Priority;
import org.civicbot.bot.incident.Source;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What devices' alerts come to, as their type says ({@link AlertType}), once per device and alert id.
 *
 * <p>An {@code INCIDENT} type keeps one open incident per asset and type (an "episode", {@code device_episodes}):
 * the first alert creates it, each repeat is counted on it and added to its timeline, and an alert after it closed
 * starts a new one. Two first alerts racing agree on one incident through the episode's unique id; a repeat is
 * counted once through its reference on the timeline, so a delivery processed twice counts once. A {@code resolved}
 * alert notes that the condition is over and, when the type says so, closes the incident with outcome POSITIVE, which
 * tells its followers. A {@code NOTICE} type keeps a message for staff only ({@code device_notices}); an
 * {@code ANNOUNCE} type sends the type's text to its topic's (and area's) subscribers.
 */
public class MongoDeviceAlerts implements DeviceAlerts {

    static final String LOG = "device_alert_log";
    static final String EPISODES = "device_episodes";
    public static final String NOTICES = "device_notices";
    static final String TYPES = "device_alert_types";

    private final ReactiveMongoTemplate mongo;
    private final Incidents incidents;
    private final IncidentDesk desk;
    private final DeviceRegistry registry;
    private final Announcements announcements;
    private final org.civicbot.bot.live.LiveFeed feed;
    private final Clock clock;

    /** What a staff-only notice is on the live feed ({@link org.civicbot.bot.live.LiveFeed}). */
    public static final String NOTICED = "DEVICE_NOTICE";

    private final org.civicbot.bot.RateLimits limits;
    private final int perMinute;

    /** @param perMinute requests one device may make a minute ({@code civicbot.device-alerts.per-minute}) */
    public MongoDeviceAlerts(ReactiveMongoTemplate mongo, Incidents incidents, IncidentDesk desk,
            DeviceRegistry registry, Announcements announcements, org.civicbot.bot.live.LiveFeed feed,
            org.civicbot.bot.RateLimits limits, int perMinute, Clock clock) {
        this.limits = limits;
        this.perMinute = perMinute;
        this.feed = feed;
        this.mongo = mongo;
        this.incidents = incidents;
        this.desk = desk;
        this.registry = registry;
        this.announcements = announcements;
        this.clock = clock;
    }

    @Override
    public Mono<Optional<Device>> authenticate(String bearerToken) {
        return registry.authenticate(bearerToken);
    }

    @Override
    public boolean signed(Device device, String timestamp, String signature, String body) {
        return registry.signed(device, timestamp, signature, body);
    }

    @Override
    public Mono<Optional<java.time.Duration>> throttled(Device device) {
        return limits.take("device:" + device.id(), perMinute).map(verdict -> verdict.allowed()
                ? Optional.<java.time.Duration>empty() : Optional.of(verdict.retryAfter()));
    }

    // --- alert types -----------------------------------------------------------------------------------

    public Flux<AlertType> types() {
        return mongo.findAll(AlertType.class).sort(java.util.Comparator.comparing(AlertType::id));
    }

    /** Creates or replaces a type; refused with every problem when it is not well written. */
    public Mono<AlertType> save(AlertType type) {
        List<String> problems = type.problems();
        return problems.isEmpty() ? mongo.save(type)
                : Mono.error(new DeviceRegistry.Invalid(String.join("; ", problems)));
    }

    private Mono<AlertType> type(String id) {
        return mongo.findById(id, AlertType.class).defaultIfEmpty(AlertType.unconfigured(id));
    }

    // --- alerts ----------------------------------------------------------------------------------------

    /** An incident's history keeps this many alert lines; further repeats are counted, and listed on the asset. */
    public static final int MAX_ALERT_LINES = 50;
    /** Texts taken from a device's message are cut here: a device does not write a citizen's or a note's length. */
    static final int MAX_DEVICE_TEXT = 500;

    @Override
    public Mono<Receipt> report(Device device, DeviceAlert alert) {
        String key = "device:" + device.id() + ":" + alert.alertId();
        return mongo.findById(key, Document.class, LOG)
                .filter(logged -> "DONE".equals(logged.getString("state")))
                .map(MongoDeviceAlerts::duplicate)
                .switchIfEmpty(Mono.defer(() -> type(alert.type()).flatMap(type -> act(device, alert, type, key))
                        .flatMap(receipt -> mongo.upsert(query(where("_id").is(key)), new Update().set("state", "DONE")
                                        .set("status", receipt.status()).set("incidentCode", receipt.incidentCode())
                                        .set("at", java.util.Date.from(clock.instant())), LOG)
                                .then(registry.seen(device.id())).thenReturn(receipt))));
    }

    private static Receipt duplicate(Document logged) {
        return new Receipt(logged.getString("incidentCode"), false, "duplicate", null);
    }

    /**
     * Claims what an alert does to an incident (count it, note it), once however often the alert is delivered, in
     * parallel or after a crash: the first to set the claim on the alert's log entry does it. Done before the effect,
     * so a crash in between loses one count rather than counting twice.
     */
    private Mono<Boolean> claim(String key, String what) {
        return mongo.upsert(query(where("_id").is(key).and(what).ne(true)), new Update().set(what, true)
                        .setOnInsert("state", "PENDING"), LOG)
                .map(result -> result.getModifiedCount() > 0 || result.getUpsertedId() != null)
                .onErrorResume(DuplicateKeyException.class, e -> Mono.just(false));
    }

    /** Gives the claim back (the incident it was for closed meanwhile): the alert goes to the next incident. */
    private Mono<Void> release(String key, String what) {
        return mongo.updateFirst(query(where("_id").is(key)), new Update().unset(what), LOG).then();
    }

    private Mono<Receipt> act(Device device, DeviceAlert alert, AlertType type, String key) {
        String asset = device.assetOf(alert);
        return switch (type.action()) {
            case NOTICE -> notice(device, alert, asset, key);
            case ANNOUNCE -> announce(device, alert, type, asset, key);
            case INCIDENT -> alert.resolved() ? resolve(device, alert, type, asset, key)
                    : incident(device, alert, type, asset, key);
        };
    }

    /** The episode of an asset and a type: its id says both, so no two pairs share one. */
    static String episode(String asset, String type) {
        return asset.length() + ":" + asset + "|" + type;
    }

    /** One open incident per asset and type: created by the first alert, counted by the others. */
    private Mono<Receipt> incident(Device device, DeviceAlert alert, AlertType type, String asset, String key) {
        String episode = episode(asset, alert.type());
        return mongo.findById(episode, Document.class, EPISODES)
                .flatMap(found -> incidents.byId(found.getString("incident"))
                        .filter(i -> i.status() != IncidentStatus.CLOSED)
                        .map(open -> Optional.of(found.getString("incident")))
                        // Its incident closed (or is not made yet by a racing first alert: then it is ours to make).
                        .switchIfEmpty(Mono.defer(() -> incidents.byId(found.getString("incident")).hasElement()
                                .flatMap(exists -> exists ? claimEpisode(episode, found.getString("incident"), key)
                                        : Mono.just(Optional.of(found.getString("incident")))))))
                .switchIfEmpty(Mono.defer(() -> mongo.insert(new Document("_id", episode).append("incident", key),
                                EPISODES).thenReturn(Optional.of(key))
                        .onErrorResume(DuplicateKeyException.class, e -> mongo.findById(episode, Document.class,
                                EPISODES).map(d -> Optional.of(d.getString("incident"))))))
                .flatMap(ref -> ref.isEmpty() ? incident(device, alert, type, asset, key)
                        : record(device, alert, type, asset, key, ref.get()));
    }

    /** Moves a closed episode on to a new incident; empty when another alert moved it first (look again). */
    private Mono<Optional<String>> claimEpisode(String episode, String closed, String key) {
        return mongo.findAndModify(query(where("_id").is(episode).and("incident").is(closed)),
                        new Update().set("incident", key), FindAndModifyOptions.options().returnNew(true),
                        Document.class, EPISODES)
                .map(d -> Optional.of(key)).defaultIfEmpty(Optional.empty());
    }

    /** The alert on the episode's incident {@code ref}: creating it with this alert first, or counting it. */
    private Mono<Receipt> record(Device device, DeviceAlert alert, AlertType type, String asset, String key,
            String ref) {
        Instant at = alert.occurredAt() == null ? clock.instant() : alert.occurredAt();
        Incident.TimelineEntry entry = Incident.TimelineEntry.alert(at, device.id(), text(alert, asset), key);
        Incident.Location location = alert.latitude() == null ? null
                : new Incident.Location("asset " + asset, alert.latitude(), alert.longitude(), "DEVICE");
        Priority priority = type.priority() == null ? null : Priority.valueOf(type.priority());
        Incidents.Report report = new Incidents.Report(ref, type.categoryOr(alert.type()), cut(alert.message()),
                location, List.of(), Source.DEVICE, device.name() == null ? device.id() : device.name(), null, null,
                device.id(), type.department() != null ? type.department() : device.department(), entry, null, null,
                null, null, priority, null, asset);
        return claim(key, "counted").flatMap(mine -> {
            if (!mine) {
                // Counted already (delivered twice at once, or before a crash): the incident as it stands.
                return incidents.byId(ref).map(i -> new Receipt(i.code(), true, "added", i.alertCount()));
            }
            return incidents.reportOnce(report).flatMap(reported -> reported.created()
                    ? Mono.just(new Receipt(reported.incident().code(), true, "incident", 1))
                    : count(reported.incident(), entry)
                            .switchIfEmpty(Mono.defer(() -> release(key, "counted")
                                    .then(incident(device, alert, type, asset, key)))));
        });
    }

    /**
     * Counts a repeat on the open incident, with a line on its history while it has fewer than
     * {@link #MAX_ALERT_LINES} (an incident document stays small however long a sensor goes on); empty when the
     * incident closed meanwhile.
     */
    private Mono<Receipt> count(Incident incident, Incident.TimelineEntry entry) {
        Update withLine = new Update().inc("alertCount", 1).push("timeline", entry).set("updatedAt", clock.instant());
        Update countOnly = new Update().inc("alertCount", 1).set("updatedAt", clock.instant());
        FindAndModifyOptions options = FindAndModifyOptions.options().returnNew(true);
        return mongo.findAndModify(query(where("_id").is(incident.id()).and("status").ne(IncidentStatus.CLOSED.name())
                                .and("alertCount").lt(MAX_ALERT_LINES)), withLine, options, Incident.class)
                .switchIfEmpty(Mono.defer(() -> mongo.findAndModify(query(where("_id").is(incident.id())
                        .and("status").ne(IncidentStatus.CLOSED.name())), countOnly, options, Incident.class)))
                .map(i -> new Receipt(i.code(), true, "added", i.alertCount()));
    }

    /**
     * The condition is over: a note on the asset's open incident (once per alert) and, when the type says so, its
     * close with outcome POSITIVE, which tells its followers in the flows' words; the device's words stay internal.
     */
    private Mono<Receipt> resolve(Device device, DeviceAlert alert, AlertType type, String asset, String key) {
        String note = "Resolved by " + device.id() + ": " + cut(alert.message());
        return mongo.findById(episode(asset, alert.type()), Document.class, EPISODES)
                .flatMap(found -> incidents.byId(found.getString("incident")))
                .filter(i -> i.status() != IncidentStatus.CLOSED)
                .flatMap(open -> claim(key, "noted").flatMap(mine -> !mine ? Mono.just(open)
                        : desk.addNote(open.code(), note, device.id())
                                .flatMap(noted -> type.closes() ? desk.changeStatus(open.code(), IncidentStatus.CLOSED,
                                        Outcome.POSITIVE, null, device.id()) : Mono.just(noted)))
                        .map(i -> new Receipt(i.code(), true, "resolved", i.alertCount())))
                // Nothing open for it: noted as received, nothing to do.
                .defaultIfEmpty(new Receipt(null, true, "resolved", null));
    }

    private static String cut(String text) {
        return text == null || text.length() <= MAX_DEVICE_TEXT ? text : text.substring(0, MAX_DEVICE_TEXT - 1) + "…";
    }

    /** A message for staff only, kept with the asset's history. */
    private Mono<Receipt> notice(Device device, DeviceAlert alert, String asset, String key) {
        Instant at = alert.occurredAt() == null ? clock.instant() : alert.occurredAt();
        Document notice = new Document("_id", key).append("device", device.id()).append("asset", asset)
                .append("type", alert.type()).append("message", alert.message())
                .append("latitude", alert.latitude()).append("longitude", alert.longitude())
                .append("resolved", alert.resolved()).append("at", java.util.Date.from(at))
                .append("receivedAt", java.util.Date.from(clock.instant()));
        return mongo.insert(notice, NOTICES).doOnSuccess(saved -> feed.publish("device:" + asset, NOTICED)).then()
                .onErrorResume(DuplicateKeyException.class, e -> Mono.empty())
                .thenReturn(new Receipt(null, true, "notice", null));
    }

    /** A staff-only notice of a device, as the alerts feed lists it. */
    public record Notice(String id, String device, String asset, String type, String message, boolean resolved,
            Instant at) {}

    /** The latest notices, newest first. */
    public Flux<Notice> notices(int limit) {
        return mongo.find(new org.springframework.data.mongodb.core.query.Query()
                        .with(org.springframework.data.domain.Sort.by(org.springframework.data.domain.Sort.Direction.DESC,
                                "receivedAt")).limit(limit), Document.class, NOTICES)
                .map(d -> new Notice(d.getString("_id"), d.getString("device"), d.getString("asset"),
                        d.getString("type"), d.getString("message"), Boolean.TRUE.equals(d.getBoolean("resolved")),
                        d.getDate("at").toInstant()));
    }

    /** The type's text, in each language, to its topic's (and area's) subscribers, once per alert. */
    private Mono<Receipt> announce(Device device, DeviceAlert alert, AlertType type, String asset, String key) {
        Map<String, String> texts = new HashMap<>();
        for (String language : List.of("ca", "es", "en")) {
            String filled = type.texts().get(language).replace("{asset}", asset).replace("{message}",
                    cut(alert.message()));
            texts.put(language, filled.length() <= Announcements.MAX_TEXT ? filled
                    : filled.substring(0, Announcements.MAX_TEXT - 1) + "…");
        }
        return announcements.create(new Announcements.Draft(type.topic(), type.area(), texts, null, null, null),
                        "device:" + device.id(), key)
                // Due now: on its way at once, but not on the device's time (the round sends what this leaves).
                .doOnSuccess(created -> announcements.sendDue().onErrorResume(e -> Mono.empty()).subscribe())
                .thenReturn(new Receipt(null, true, "announced", null))
                .onErrorMap(org.civicbot.bot.announcement.Catalogue.Invalid.class,
                        e -> new DeviceRegistry.Invalid("alert type " + type.id() + ": " + e.getMessage()));
    }

    private static String text(DeviceAlert alert, String asset) {
        return "[" + alert.type() + "] " + cut(alert.message()) + " (asset " + asset + ")";
    }
}

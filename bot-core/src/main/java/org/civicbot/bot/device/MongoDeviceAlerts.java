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
    static final String NOTICES = "device_notices";
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

    @Override
    public Mono<Receipt> report(Device device, DeviceAlert alert) {
        String key = "device:" + device.id() + ":" + alert.alertId();
        return mongo.findById(key, Document.class, LOG).map(MongoDeviceAlerts::duplicate)
                .switchIfEmpty(Mono.defer(() -> type(alert.type()).flatMap(type -> act(device, alert, type, key))
                        .flatMap(receipt -> mongo.insert(new Document("_id", key).append("status", receipt.status())
                                        .append("incidentCode", receipt.incidentCode())
                                        .append("at", java.util.Date.from(clock.instant())), LOG)
                                .then(registry.seen(device.id())).thenReturn(receipt)
                                // The same alert processed at once elsewhere: recorded once, answered as a duplicate.
                                .onErrorResume(DuplicateKeyException.class, e -> mongo.findById(key, Document.class,
                                        LOG).map(MongoDeviceAlerts::duplicate)))));
    }

    private static Receipt duplicate(Document logged) {
        return new Receipt(logged.getString("incidentCode"), false, "duplicate", null);
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

    /** One open incident per asset and type: created by the first alert, counted by the others. */
    private Mono<Receipt> incident(Device device, DeviceAlert alert, AlertType type, String asset, String key) {
        String episode = asset + "|" + alert.type();
        return mongo.findById(episode, Document.class, EPISODES)
                .flatMap(found -> incidents.byId(found.getString("incident"))
                        .filter(i -> i.status() != IncidentStatus.CLOSED)
                        .map(open -> Optional.of(found.getString("incident")))
                        // Its incident closed (or is not made yet by a racing first alert: then it is ours to make).
                        .switchIfEmpty(Mono.defer(() -> incidents.byId(found.getString("incident")).hasElement()
                                .flatMap(exists -> exists ? claim(episode, found.getString("incident"), key)
                                        : Mono.just(Optional.of(found.getString("incident")))))))
                .switchIfEmpty(Mono.defer(() -> mongo.insert(new Document("_id", episode).append("incident", key),
                                EPISODES).thenReturn(Optional.of(key))
                        .onErrorResume(DuplicateKeyException.class, e -> mongo.findById(episode, Document.class,
                                EPISODES).map(d -> Optional.of(d.getString("incident"))))))
                .flatMap(ref -> ref.isEmpty() ? incident(device, alert, type, asset, key)
                        : record(device, alert, type, asset, key, ref.get()));
    }

    /** Moves a closed episode on to a new incident; empty when another alert moved it first (look again). */
    private Mono<Optional<String>> claim(String episode, String closed, String key) {
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
        Incidents.Report report = new Incidents.Report(ref, type.categoryOr(alert.type()), alert.message(), location,
                List.of(), Source.DEVICE, device.name() == null ? device.id() : device.name(), null, null, device.id(),
                type.department() != null ? type.department() : device.department(), entry, null, null, null, null,
                priority, null, asset);
        return incidents.reportOnce(report).flatMap(reported -> reported.created()
                ? Mono.just(new Receipt(reported.incident().code(), true, "incident", 1))
                : count(reported.incident(), entry, key));
    }

    /** Counts a repeat on the incident, once per alert: the alert's reference on the timeline guards it. */
    private Mono<Receipt> count(Incident incident, Incident.TimelineEntry entry, String key) {
        return mongo.findAndModify(query(where("_id").is(incident.id()).and("timeline.ref").ne(key)),
                        new Update().inc("alertCount", 1).push("timeline", entry).set("updatedAt", clock.instant()),
                        FindAndModifyOptions.options().returnNew(true), Incident.class)
                .defaultIfEmpty(incident)
                .map(i -> new Receipt(i.code(), true, "added", i.alertCount()));
    }

    /** The condition is over: a note on the asset's open incident, and its close when the type says so. */
    private Mono<Receipt> resolve(Device device, DeviceAlert alert, AlertType type, String asset, String key) {
        String episode = asset + "|" + alert.type();
        String note = "Resolved by " + device.id() + ": " + alert.message();
        return mongo.findById(episode, Document.class, EPISODES)
                .flatMap(found -> incidents.byId(found.getString("incident")))
                .filter(i -> i.status() != IncidentStatus.CLOSED)
                .flatMap(open -> (type.closes()
                        ? desk.changeStatus(open.code(), IncidentStatus.CLOSED, Outcome.POSITIVE, note, device.id())
                        : desk.addNote(open.code(), note, device.id()))
                        .map(i -> new Receipt(i.code(), true, "resolved", i.alertCount())))
                // Nothing open for it: noted as received, nothing to do.
                .defaultIfEmpty(new Receipt(null, true, "resolved", null));
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
            String template = type.texts().getOrDefault(language, type.texts().getOrDefault("ca", "{message}"));
            texts.put(language, template.replace("{asset}", asset).replace("{message}", alert.message()));
        }
        return announcements.create(new Announcements.Draft(type.topic(), type.area(), texts, null, null, null),
                        "device:" + device.id(), key)
                // Due now: sent at once, as staff's are (what is left goes with the next round).
                .flatMap(created -> announcements.sendDue().onErrorResume(e -> Mono.empty()).thenReturn(created))
                .thenReturn(new Receipt(null, true, "announced", null))
                .onErrorMap(org.civicbot.bot.announcement.Catalogue.Invalid.class,
                        e -> new DeviceRegistry.Invalid("alert type " + type.id() + ": " + e.getMessage()));
    }

    private static String text(DeviceAlert alert, String asset) {
        return "[" + alert.type() + "] " + alert.message() + " (asset " + asset + ")";
    }
}

package org.civicbot.bot.incident;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.civicbot.bot.Channel;
import org.civicbot.flows.RequestType;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.publisher.Mono;

/**
 * Creates incidents, once per ref: a report computed twice (a retried turn, a device alert delivered
 * again) finds the incident the first one created. Typed addresses are geocoded on the way in when a
 * geocoder is configured; when it fails, the address is kept as text.
 */
public class Incidents {

    private final ReactiveMongoTemplate mongo;
    private final IncidentCodes codes;
    private final Geocoder geocoder;
    private final Clock clock;
    private final Map<String, String> departmentByCategory;
    private final Categories categories;
    private Rules rules;
    private IncidentAlerts alerts = IncidentAlerts.none();

    public Incidents(ReactiveMongoTemplate mongo, IncidentCodes codes, Geocoder geocoder, Clock clock) {
        this(mongo, codes, geocoder, clock, Map.of());
    }

    /**
     * @param departmentByCategory the department a new incident of a category goes to when its report
     *     names none (automatic routing, as municipal back-offices do by category)
     */
    public Incidents(ReactiveMongoTemplate mongo, IncidentCodes codes, Geocoder geocoder, Clock clock,
            Map<String, String> departmentByCategory) {
        this(mongo, codes, geocoder, clock, departmentByCategory, null);
    }

    /** @param categories give a new incident its due time from its category's service time; null: none is due */
    public Incidents(ReactiveMongoTemplate mongo, IncidentCodes codes, Geocoder geocoder, Clock clock,
            Map<String, String> departmentByCategory, Categories categories) {
        this.categories = categories;
        this.mongo = mongo;
        this.codes = codes;
        this.geocoder = geocoder;
        this.clock = clock;
        this.departmentByCategory = Map.copyOf(departmentByCategory);
    }

    /**
     * Routes new incidents by the automation rules (instead of the category-to-department map) and sends the alert
     * of a rule that asks for one.
     */
    public Incidents routedBy(Rules rules, IncidentAlerts alerts) {
        this.rules = rules;
        this.alerts = alerts;
        return this;
    }

    /**
     * What a new incident is made of.
     *
     * @param ref its id; the same ref twice is the same incident
     * @param firstEntry the first line of its timeline
     * @param assetId a device's asset: the incident then counts the device's alerts, this one the first
     */
    public record Report(String ref, String category, String description, Incident.Location location,
            List<Incident.Photo> photos, Source source, String contactName, Channel channel, String conversationId,
            String deviceId, String department, Incident.TimelineEntry firstEntry, String possibleDuplicateOf,
            RequestType type, Intake intake, Incident.Contact contact, Priority priority, String assignee,
            String assetId) {

        public Report {
            type = type == null ? RequestType.INCIDENT : type;
        }

        public Report(String ref, String category, String description, Incident.Location location,
                List<Incident.Photo> photos, Source source, String contactName, Channel channel, String conversationId,
                String deviceId, String department, Incident.TimelineEntry firstEntry, String possibleDuplicateOf,
                RequestType type, Intake intake, Incident.Contact contact, Priority priority, String assignee) {
            this(ref, category, description, location, photos, source, contactName, channel, conversationId, deviceId,
                    department, firstEntry, possibleDuplicateOf, type, intake, contact, priority, assignee, null);
        }

        public Report(String ref, String category, String description, Incident.Location location,
                List<Incident.Photo> photos, Source source, String contactName, Channel channel, String conversationId,
                String deviceId, String department, Incident.TimelineEntry firstEntry, String possibleDuplicateOf,
                RequestType type) {
            this(ref, category, description, location, photos, source, contactName, channel, conversationId, deviceId,
                    department, firstEntry, possibleDuplicateOf, type, null, null, null, null);
        }

        public Report(String ref, String category, String description, Incident.Location location,
                List<Incident.Photo> photos, Source source, String contactName, Channel channel, String conversationId,
                String deviceId, String department, Incident.TimelineEntry firstEntry) {
            this(ref, category, description, location, photos, source, contactName, channel, conversationId, deviceId,
                    department, firstEntry, null, RequestType.INCIDENT);
        }

        public Report(String ref, String category, String description, Incident.Location location,
                List<Incident.Photo> photos, Source source, String contactName, Channel channel, String conversationId,
                String deviceId, String department, Incident.TimelineEntry firstEntry, String possibleDuplicateOf) {
            this(ref, category, description, location, photos, source, contactName, channel, conversationId, deviceId,
                    department, firstEntry, possibleDuplicateOf, RequestType.INCIDENT);
        }
    }

    public Mono<Incident> report(Report report) {
        return reportOnce(report).map(Reported::incident);
    }

    /**
     * The incident of a report, and whether this call created it (false when the same ref was reported
     * before, by this instance or another).
     */
    public record Reported(Incident incident, boolean created) {}

    public Mono<Reported> reportOnce(Report report) {
        return mongo.findById(report.ref(), Incident.class)
                .map(existing -> new Reported(existing, false))
                .switchIfEmpty(Mono.defer(() -> create(report)));
    }

    /**
     * Adds photos to the incident {@code ref}, with a timeline line; a photo it already has is not added again
     * (a retried turn). Empty when there is no such incident.
     */
    public Mono<Incident> addPhotos(String ref, List<Incident.Photo> photos) {
        if (photos.isEmpty()) {
            return mongo.findById(ref, Incident.class);
        }
        return mongo.findById(ref, Incident.class).flatMap(incident -> {
            List<Incident.Photo> added = photos.stream().filter(p -> !incident.photos().contains(p)).toList();
            if (added.isEmpty()) {
                return Mono.just(incident);
            }
            Instant now = clock.instant();
            Update update = new Update().set("updatedAt", now)
                    .push("timeline", new Incident.TimelineEntry(now, "PHOTO", "citizen",
                            added.size() == 1 ? "Sent a photo" : "Sent " + added.size() + " photos"));
            update.push("photos").each(added.toArray());
            return mongo.findAndModify(query(where("_id").is(ref)), update,
                    FindAndModifyOptions.options().returnNew(true), Incident.class);
        });
    }

    /**
     * The citizen of {@code conversationId} reported the same problem as incident {@code code}: they become one of
     * its reporters (once, however often the turn is carried out) and the photos they sent are added. Empty when
     * there is no such incident.
     */
    public Mono<Incident> join(String code, String conversationId, List<Incident.Photo> photos, Channel channel) {
        Instant now = clock.instant();
        Update update = new Update().addToSet("reporters", conversationId).set("updatedAt", now)
                .push("timeline", new Incident.TimelineEntry(now, "REPORT", "citizen",
                        "Reported again on " + channel + ": the same problem"));
        return mongo.updateFirst(query(where("code").is(code).and("reporters").ne(conversationId)
                        .and("conversationId").ne(conversationId)), update, Incident.class)
                .then(byCode(code))
                .flatMap(incident -> photos.isEmpty() ? Mono.just(incident) : addPhotos(incident.id(), photos));
    }

    /** Adds or removes a follower; answers the incident as it is now, empty when there is none. */
    public Mono<Incident> follow(String code, String conversationId, boolean follow) {
        Update update = follow ? new Update().addToSet("followers", conversationId)
                : new Update().pull("followers", conversationId);
        return mongo.findAndModify(query(where("code").is(code)), update,
                FindAndModifyOptions.options().returnNew(true), Incident.class);
    }

    /**
     * The closest open incident of {@code category} within {@code radiusMeters} of a place, reported since
     * {@code since}: the problem someone is reporting again, maybe. A box around the place narrows the query (what
     * both the embedded store and MongoDB serve); the distance is measured here.
     */
    public Mono<Optional<Incident>> nearby(String category, double latitude, double longitude, double radiusMeters,
            Instant since) {
        return nearby(category, null, latitude, longitude, radiusMeters, since);
    }

    /** As {@link #nearby(String, double, double, double, Instant)}, of one source only (a device's) when given. */
    public Mono<Optional<Incident>> nearby(String category, Source source, double latitude, double longitude,
            double radiusMeters, Instant since) {
        double dLat = Math.toDegrees(radiusMeters / EARTH_RADIUS_METERS);
        double dLon = dLat / Math.max(0.01, Math.cos(Math.toRadians(latitude)));
        org.springframework.data.mongodb.core.query.Criteria criteria = where("category").is(category)
                .and("status").in(IncidentStatus.NEW.name(), IncidentStatus.IN_PROGRESS.name())
                .and("createdAt").gte(since)
                .and("location.latitude").gte(latitude - dLat).lte(latitude + dLat)
                .and("location.longitude").gte(longitude - dLon).lte(longitude + dLon);
        if (source != null) {
            criteria = criteria.and("source").is(source.name());
        }
        return mongo.find(query(criteria).limit(NEARBY_CANDIDATES), Incident.class)
                .filter(i -> meters(latitude, longitude, i.location().latitude(), i.location().longitude())
                        <= radiusMeters)
                .sort(java.util.Comparator.comparingDouble(i -> meters(latitude, longitude, i.location().latitude(),
                        i.location().longitude())))
                .next().map(Optional::of).defaultIfEmpty(Optional.empty());
    }

    /** A citizen's report this near an open device incident of its category is the same problem. */
    public static final double DEVICE_LINK_METERS = 150;
    /** What looks like an asset's name in a citizen's words: a letter first, a digit somewhere (CNT-0042, R5, BUS_12). */
    private static final java.util.regex.Pattern ASSET = java.util.regex.Pattern.compile(
            "\\b(?=[A-Za-z0-9_-]*\\d)[A-Za-z][A-Za-z0-9]{0,9}(?:[-_][A-Za-z0-9]{1,10}){0,3}\\b");

    /**
     * Links a citizen's report to the open device incidents it is about: one of its category within
     * {@link #DEVICE_LINK_METERS}, or one of an asset its words name ("el contenidor CNT-0042"). Both incidents list
     * the other ({@code linked}) with a line on their history, and the citizen follows the device's incident.
     */
    private Mono<Incident> linkToDevices(Incident created) {
        if (created.source() == Source.DEVICE || created.requestType() != RequestType.INCIDENT) {
            return Mono.just(created);
        }
        List<String> assets = new java.util.ArrayList<>();
        java.util.regex.Matcher named = ASSET.matcher(created.description() == null ? "" : created.description());
        while (named.find() && assets.size() < 5) {
            assets.add(named.group());
            assets.add(named.group().toUpperCase(java.util.Locale.ROOT));
        }
        Mono<List<Incident>> byAsset = assets.isEmpty() ? Mono.just(List.of())
                : mongo.find(query(where("source").is(Source.DEVICE.name()).and("assetId").in(assets)
                        .and("status").in(IncidentStatus.NEW.name(), IncidentStatus.IN_PROGRESS.name())),
                        Incident.class).collectList();
        Incident.Location l = created.location();
        Mono<List<Incident>> near = l == null || l.latitude() == null ? Mono.just(List.of())
                : nearby(created.category(), Source.DEVICE, l.latitude(), l.longitude(), DEVICE_LINK_METERS,
                        Instant.EPOCH).map(found -> found.map(List::of).orElse(List.<Incident>of()));
        return Mono.zip(byAsset, near).flatMap(t -> {
            java.util.Map<String, Incident> devices = new java.util.LinkedHashMap<>();
            t.getT1().forEach(i -> devices.put(i.id(), i));
            t.getT2().forEach(i -> devices.put(i.id(), i));
            if (devices.isEmpty()) {
                return Mono.just(created);
            }
            Instant now = clock.instant();
            return reactor.core.publisher.Flux.fromIterable(devices.values()).concatMap(device -> {
                org.springframework.data.mongodb.core.query.Update onDevice = new org.springframework.data.mongodb
                        .core.query.Update().addToSet("linked", created.code()).push("timeline",
                                new Incident.TimelineEntry(now, "LINK", "system", "Linked to " + created.code()
                                        + ", a citizen's report of the same problem"));
                if (created.conversationId() != null) {
                    onDevice.addToSet("followers", created.conversationId());
                }
                return mongo.updateFirst(query(where("_id").is(device.id())), onDevice, Incident.class)
                        .thenReturn(device.code());
            }).collectList().flatMap(codes -> mongo.findAndModify(query(where("_id").is(created.id())),
                    new org.springframework.data.mongodb.core.query.Update().addToSet("linked").each(codes.toArray())
                            .push("timeline", new Incident.TimelineEntry(now, "LINK", "system", "Linked to "
                                    + String.join(", ", codes) + ", reported by a device")),
                    org.springframework.data.mongodb.core.FindAndModifyOptions.options().returnNew(true),
                    Incident.class));
        });
    }

    static final double EARTH_RADIUS_METERS = 6_371_000;
    /** Open incidents in the box looked at, at most: a street of them is already more than staff want offered. */
    static final int NEARBY_CANDIDATES = 100;

    /** The great-circle distance between two points (haversine). */
    static double meters(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.pow(Math.sin(dLat / 2), 2)
                + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.pow(Math.sin(dLon / 2), 2);
        return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(a)));
    }

    /** The incident of a ref (its id); empty when there is none. */
    public Mono<Incident> byId(String id) {
        return mongo.findById(id, Incident.class);
    }

    public Mono<Incident> byCode(String code) {
        return mongo.findOne(query(where("code").is(code)), Incident.class);
    }

    private Mono<Reported> create(Report report) {
        Instant now = clock.instant();
        return located(report.location()).flatMap(location -> Mono.zip(codes.next(report.type(), now),
                        dueAt(report.category(), now), rule(report, location.orElse(null)))
                .flatMap(t -> {
                    Optional<Rule> rule = t.getT3();
                    Rule.Then then = rule.map(Rule::then).orElse(null);
                    List<Incident.TimelineEntry> timeline = new java.util.ArrayList<>(List.of(report.firstEntry()));
                    IncidentStatus status = IncidentStatus.NEW;
                    if (rule.isPresent()) {
                        timeline.add(new Incident.TimelineEntry(now, "RULE", "rule:" + rule.get().id(),
                                "routed by rule " + rule.get().id()));
                        if (then.status() == IncidentStatus.IN_PROGRESS) {
                            status = IncidentStatus.IN_PROGRESS;
                            timeline.add(new Incident.TimelineEntry(now, "STATUS", "rule:" + rule.get().id(),
                                    "NEW -> IN_PROGRESS", true, IncidentStatus.IN_PROGRESS.name(), null, null));
                        }
                    }
                    String department = report.department() != null ? report.department()
                            : then != null && then.department() != null ? then.department() : department(report);
                    String assignee = report.assignee() != null ? report.assignee()
                            : then == null ? null : then.assignee();
                    Priority priority = report.priority() != null ? report.priority()
                            : then == null ? null : then.priority();
                    return mongo.insert(new Incident(report.ref(), t.getT1(), status, null,
                                    report.category(), report.description(), location.orElse(null), report.photos(),
                                    report.source(), report.contactName(), report.channel(), report.conversationId(),
                                    report.deviceId(), department, assignee, now, now, timeline, PublicTokens.next(),
                                    List.of(), List.of(), report.possibleDuplicateOf(), null,
                                    report.type() == RequestType.INCIDENT ? null : report.type().name(),
                                    report.intake(), report.contact(), priority, t.getT2().orElse(null), null,
                                    List.of(), List.of(), then == null ? null : then.organisation(),
                                    report.assetId(), report.assetId() == null ? null : 1, List.of()))
                            .flatMap(created -> then != null && then.email()
                                    ? alerts.reached(created, created.department(), created.assignee(), "system")
                                            .onErrorResume(e -> Mono.empty()).thenReturn(created)
                                    : Mono.just(created))
                            .flatMap(created -> created.organisation() == null ? Mono.just(created)
                                    : alerts.passed(created, created.organisation(), "system")
                                            .onErrorResume(e -> Mono.empty()).thenReturn(created));
                }))
                .flatMap(created -> linkToDevices(created).defaultIfEmpty(created))
                .map(created -> new Reported(created, true))
                // Another instance created it between our read and our insert: theirs stands.
                .onErrorResume(DuplicateKeyException.class, e -> mongo.findById(report.ref(), Incident.class)
                        .map(existing -> new Reported(existing, false)));
    }

    private Mono<Optional<Rule>> rule(Report report, Incident.Location location) {
        return rules == null ? Mono.just(Optional.empty())
                : rules.firstMatch(report.category(), report.source(), report.description(), location);
    }

    /** When an incident of the category, created at {@code from}, should be closed by; empty when it has no service time. */
    public Mono<Optional<Instant>> dueAt(String category, Instant from) {
        if (categories == null || category == null) {
            return Mono.just(Optional.empty());
        }
        return categories.dueAt(category, from);
    }

    private String department(Report report) {
        if (report.department() != null) {
            return report.department();
        }
        // With rules on, the routing map only seeded them: a rule an admin removed must stay removed.
        return report.category() == null || rules != null ? null : departmentByCategory.get(report.category());
    }

    /** The location with coordinates when a typed address can be geocoded; empty when there is none. */
    /**
     * A location as it is kept: a typed address with the geocoder's coordinates, a pin with the address the geocoder
     * knows there; as given when the geocoder knows nothing (or is not set). Empty for none.
     */
    public Mono<Optional<Incident.Location>> located(Incident.Location location) {
        if (location != null && location.latitude() != null && location.longitude() != null
                && (location.address() == null || location.address().isBlank())) {
            // A pin: a readable address for staff, when the geocoder knows one.
            return geocoder.reverse(location.latitude(), location.longitude())
                    .onErrorResume(e -> Mono.just(Optional.empty()))
                    .defaultIfEmpty(Optional.empty())
                    .map(found -> Optional.of(found.map(address -> new Incident.Location(address,
                            location.latitude(), location.longitude(), location.origin())).orElse(location)));
        }
        if (location == null || location.latitude() != null || location.address() == null
                || "WRITTEN".equals(location.origin())) {
            // A pin, a place the map already gave, or an address the citizen said the map puts in the wrong place.
            return Mono.just(Optional.ofNullable(location));
        }
        // A geocoder that breaks its promise (fails, or answers nothing) must not lose the report.
        return geocoder.geocode(location.address())
                .onErrorResume(e -> Mono.just(Optional.empty()))
                .defaultIfEmpty(Optional.empty())
                .map(found -> Optional.of(found
                        .map(c -> new Incident.Location(location.address(), c.latitude(), c.longitude(), location.origin()))
                        .orElse(location)));
    }
}

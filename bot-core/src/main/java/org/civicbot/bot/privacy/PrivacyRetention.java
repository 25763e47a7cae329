package org.civicbot.bot.privacy;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.bson.Document;
import org.civicbot.bot.Periodic;
import org.civicbot.bot.inbound.InboundRecord;
import org.civicbot.bot.incident.IncidentStatus;
import org.civicbot.bot.media.PhotoStore;
import org.civicbot.bot.outbox.DeliveryStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The retention policy per class of personal data, applied once a day (GDPR Art. 5(1)(e): kept no longer than
 * needed). Each class has its own period ({@code civicbot.retention.*}, see {@link Policy}); a pass reports what it
 * removed, in the log and in the privacy audit. What is still needed is never touched, whatever its age: a message
 * waiting for its turn or a reply still to be sent, an open incident's description, photos and place, a contact with
 * an open incident, a booked appointment or a subscription.
 */
public class PrivacyRetention {

    private static final Logger log = LoggerFactory.getLogger(PrivacyRetention.class);
    /** Documents changed per round trip. */
    static final int BATCH = 500;
    /** A house number after a street name: "Carrer Major 12", "Major, 12", "Av. Catalunya 3-5 bis". */
    private static final Pattern HOUSE_NUMBER = Pattern.compile(
            "(?<=\\p{L})(?:\\s*,)?\\s+(?:(?:núm|num|nº|n°|n)\\.?\\s*)?\\d+[\\p{L}]?(?:\\s*[-–/]\\s*\\d+[\\p{L}]?)?(?:\\s+bis)?(?=\\s*(?:,|$))",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    private final ReactiveMongoTemplate mongo;
    private final ContactRecords contacts;
    private final PhotoStore photos;
    private final PrivacyRequests audit;
    private final Clock clock;
    private final Policy policy;
    private Periodic loop;

    /**
     * How long each class of personal data is kept.
     *
     * @param messageBodies what citizens wrote and were sent (texts, pins, captions): blanked after this, the record
     *     of the message kept for the statistics until the history period removes it
     * @param photos photos and attachments of closed incidents, counted from their last change
     * @param preciseLocations the exact place of closed incidents: rounded to about 100 m and the house number
     *     dropped (the street stays, for the statistics), counted from their last change
     * @param contacts the identity (phone number, chat id, name) of contacts who wrote nothing for this long and have
     *     no open incident, booked appointment or subscription: erased as on request
     * @param audit the lines of the privacy audit and of the access log
     */
    public record Policy(Duration messageBodies, Duration photos, Duration preciseLocations, Duration contacts,
            Duration audit) {

        public static final Policy DEFAULT = new Policy(Duration.ofDays(180), Duration.ofDays(365),
                Duration.ofDays(365), Duration.ofDays(730), Duration.ofDays(1825));

        /** The policy in words, per class, for the privacy page. */
        public Map<String, Duration> periods() {
            Map<String, Duration> periods = new LinkedHashMap<>();
            periods.put("message-bodies", messageBodies);
            periods.put("photos", photos);
            periods.put("precise-locations", preciseLocations);
            periods.put("contacts", contacts);
            periods.put("audit", audit);
            return periods;
        }
    }

    /** What one pass removed, per class. */
    public record Report(long messageBodies, long replyBodies, long eventTexts, long photos, long incidentsWithoutPhotos,
            long locations, long contacts, long auditLines) {

        public Map<String, Long> counts() {
            Map<String, Long> counts = new LinkedHashMap<>();
            counts.put("messageBodies", messageBodies);
            counts.put("replyBodies", replyBodies);
            counts.put("eventTexts", eventTexts);
            counts.put("photos", photos);
            counts.put("incidentsWithoutPhotos", incidentsWithoutPhotos);
            counts.put("locations", locations);
            counts.put("contacts", contacts);
            counts.put("auditLines", auditLines);
            return counts;
        }

        public long total() {
            return counts().values().stream().mapToLong(Long::longValue).sum();
        }
    }

    public PrivacyRetention(ReactiveMongoTemplate mongo, ContactRecords contacts, PhotoStore photos,
            PrivacyRequests audit, Clock clock, Policy policy) {
        this.mongo = mongo;
        this.contacts = contacts;
        this.photos = photos;
        this.audit = audit;
        this.clock = clock;
        this.policy = policy;
    }

    public Policy policy() {
        return policy;
    }

    /** Applies the policy now; records what it did in the audit. */
    public Mono<Report> apply() {
        Instant now = clock.instant();
        Mono<long[]> bodies = messageBodies(now.minus(policy.messageBodies()));
        return bodies.flatMap(b -> photos(now.minus(policy.photos()))
                .flatMap(p -> locations(now.minus(policy.preciseLocations()))
                        .flatMap(l -> contacts(now.minus(policy.contacts()), null)
                                .flatMap(c -> auditLines(now.minus(policy.audit()))
                                        .map(a -> new Report(b[0], b[1], b[2], p[0], p[1], l, c, a))))))
                .flatMap(report -> audit.record(PrivacyRequests.Kind.RETENTION, null, "system", null, report.counts())
                        .thenReturn(report))
                .doOnNext(report -> log.info("Privacy retention: {}", report.counts()));
    }

    /** Blanks the bodies of messages, replies and events older than the cutoff: {messages, replies, events}. */
    private Mono<long[]> messageBodies(Instant cutoff) {
        // A failed message stays whole until staff retry it or the history period removes it.
        Criteria inbound = where("receivedAt").lt(cutoff).and("status").is(InboundRecord.Status.PROCESSED)
                .and("content.erased").ne(true);
        Criteria outbox = where("createdAt").lt(cutoff).and("status").in(DeliveryStatus.SENT, DeliveryStatus.DELIVERED,
                DeliveryStatus.READ, DeliveryStatus.UNDELIVERED, DeliveryStatus.FAILED).and("text").ne(null);
        Criteria events = where("at").lt(cutoff).and("text").ne(null);
        return Mono.zip(update("inbound_messages", inbound, new Update()
                                .set("content", new Document("type", "text").append("erased", true))
                                .unset("displayName").unset("address")),
                        update("outbox", outbox, new Update().unset("text").unset("options").unset("contentVariables")
                                .unset("address")),
                        update("conversation_events", events, new Update().unset("text")),
                        // Deliveries set aside (unreadable, or refused) keep the provider's raw body: whole.
                        mongo.remove(query(where("at").lt(cutoff)), "set_aside_updates"))
                .map(t -> new long[] {t.getT1() + t.getT4().getDeletedCount(), t.getT2(), t.getT3()});
    }

    /**
     * Deletes the photos and attachments of incidents closed before the cutoff: {files, incidents}. The incident
     * keeps a line saying they went.
     */
    private Mono<long[]> photos(Instant cutoff) {
        Query closed = query(where("status").is(IncidentStatus.CLOSED).and("updatedAt").lt(cutoff)
                .orOperator(where("photos.0").exists(true), where("attachments.0").exists(true))).limit(BATCH);
        return mongo.find(closed, Document.class, "incidents").collectList().flatMap(batch -> {
            if (batch.isEmpty()) {
                return Mono.just(new long[] {0, 0});
            }
            return Flux.fromIterable(batch).concatMap(incident -> {
                List<String> files = new ArrayList<>();
                for (String field : List.of("photos", "attachments")) {
                    for (Document file : incident.getList(field, Document.class, List.of())) {
                        Object id = file.get("_id") != null ? file.get("_id") : file.get("id");
                        if (id != null) {
                            files.add(id instanceof org.bson.types.ObjectId o ? o.toHexString() : id.toString());
                        }
                    }
                }
                Instant now = clock.instant();
                return Flux.fromIterable(files).concatMap(photos::delete).filter(Boolean::booleanValue).count()
                        .flatMap(deleted -> mongo.updateFirst(query(where("_id").is(incident.get("_id"))),
                                        new Update().set("photos", List.of()).set("attachments", List.of())
                                                .push("timeline", new Document("at", now).append("type", "RETENTION")
                                                        .append("actor", "system")
                                                        .append("text", "Photos and files removed by the retention policy")
                                                        .append("published", false)),
                                        "incidents")
                                .thenReturn(deleted));
            }).reduce(0L, Long::sum).flatMap(deleted -> photos(cutoff)
                    .map(more -> new long[] {deleted + more[0], batch.size() + more[1]}));
        });
    }

    /** Rounds the places of incidents closed before the cutoff and drops their house numbers; how many. */
    private Mono<Long> locations(Instant cutoff) {
        Query closed = query(where("status").is(IncidentStatus.CLOSED).and("updatedAt").lt(cutoff)
                .and("location").ne(null).and("location.generalised").ne(true)).limit(BATCH);
        return mongo.find(closed, Document.class, "incidents").collectList().flatMap(batch -> {
            if (batch.isEmpty()) {
                return Mono.just(0L);
            }
            return Flux.fromIterable(batch).concatMap(incident -> {
                Document location = incident.get("location", Document.class);
                Document general = new Document(location).append("generalised", true);
                if (location.get("latitude") instanceof Number lat && location.get("longitude") instanceof Number lon) {
                    general.append("latitude", ContactRecords.round(lat.doubleValue()))
                            .append("longitude", ContactRecords.round(lon.doubleValue()));
                }
                if (location.getString("address") != null) {
                    general.append("address", streetOnly(location.getString("address")));
                }
                return mongo.updateFirst(query(where("_id").is(incident.get("_id"))),
                        new Update().set("location", general)
                                .set("timeline", ContactRecords.withoutPlacesOrWords(incident)), "incidents");
            }).count().flatMap(done -> locations(cutoff).map(more -> done + more));
        });
    }

    /** The address without its house number: "Carrer Major 12, Manresa" reads "Carrer Major, Manresa". */
    public static String streetOnly(String address) {
        return HOUSE_NUMBER.matcher(address).replaceAll("").strip();
    }

    /**
     * Erases contacts who wrote nothing since the cutoff and have nothing open: no incident they reported, joined or
     * follow still open, no open request staff entered for their number, no booked appointment, no subscription, no
     * person attending them, no message waiting for its turn. A batch at a time, in id order, so contacts kept for
     * what they have open never hide the others.
     */
    private Mono<Long> contacts(Instant cutoff, Object after) {
        Criteria inactive = where("status").in("BOT", "CLOSED").and("lastMessageAt").lt(cutoff).andOperator(
                new Criteria().orOperator(where("lastInboundAt").exists(false), where("lastInboundAt").lt(cutoff)),
                new Criteria().orOperator(where("inboxAt").exists(false), where("inboxAt").lt(cutoff)));
        if (after != null) {
            inactive = inactive.and("_id").gt(after);
        }
        Query batch = query(inactive).with(Sort.by("_id")).limit(BATCH);
        batch.fields().include("_id").include("channel").include("address").include("inbox").include("pendingTurn");
        return mongo.find(batch, Document.class, "conversations").collectList().flatMap(found -> {
            if (found.isEmpty()) {
                return Mono.just(0L);
            }
            Object last = found.get(found.size() - 1).get("_id");
            return Flux.fromIterable(found).filterWhen(this::nothingOpen)
                    .concatMap(conversation -> contacts.erase((String) conversation.get("_id")))
                    .count()
                    .flatMap(erased -> found.size() < BATCH ? Mono.just(erased)
                            : contacts(cutoff, last).map(more -> erased + more));
        });
    }

    private Mono<Boolean> nothingOpen(Document conversation) {
        String id = (String) conversation.get("_id");
        if (!conversation.getList("inbox", Object.class, List.of()).isEmpty() || conversation.get("pendingTurn") != null) {
            return Mono.just(false);
        }
        Criteria open = where("status").ne(IncidentStatus.CLOSED.name());
        Mono<Boolean> phoneRequest = Mono.just(false);
        String address = conversation.getString("address");
        if ("WHATSAPP".equals(conversation.getString("channel")) && address != null && address.startsWith("whatsapp:")) {
            phoneRequest = mongo.exists(query(where("status").ne(IncidentStatus.CLOSED.name()).and("conversationId")
                    .isNull().and("contact.phone").regex(ContactRecords.phonePattern(address.substring(9)))),
                    "incidents");
        }
        return Mono.zip(
                        mongo.exists(query(open.orOperator(where("conversationId").is(id), where("reporters").is(id),
                                where("followers").is(id))), "incidents"),
                        phoneRequest,
                        mongo.exists(query(where("conversationId").is(id).and("status").is("BOOKED")), "appointments"),
                        mongo.exists(query(where("conversationId").is(id)), "subscriptions"))
                .map(t -> !t.getT1() && !t.getT2() && !t.getT3() && !t.getT4());
    }

    private Mono<Long> auditLines(Instant cutoff) {
        return Mono.zip(mongo.remove(query(where("at").lt(cutoff)), PrivacyRequests.PrivacyRequest.class),
                        mongo.remove(query(where("at").lt(cutoff)), AccessLog.COLLECTION))
                .map(t -> t.getT1().getDeletedCount() + t.getT2().getDeletedCount());
    }

    /** Updates the matching documents a batch at a time; how many. */
    private Mono<Long> update(String collection, Criteria criteria, Update update) {
        Query batch = query(criteria).limit(BATCH);
        batch.fields().include("_id");
        return mongo.find(batch, Document.class, collection).map(doc -> doc.get("_id")).collectList()
                .flatMap(ids -> ids.isEmpty() ? Mono.just(0L)
                        : mongo.updateMulti(query(where("_id").in(ids)), update, collection)
                                .flatMap(result -> ids.size() < BATCH ? Mono.just(result.getModifiedCount())
                                        : update(collection, criteria, update)
                                                .map(more -> more + result.getModifiedCount())));
    }

    /** Applies the policy once a day, the first time two hours after start. */
    public synchronized void start() {
        if (loop == null) {
            loop = Periodic.start("Privacy retention", Duration.ofHours(2), Duration.ofDays(1), this::apply);
        }
    }

    public synchronized void stop() {
        if (loop != null) {
            loop.close();
            loop = null;
        }
    }
}

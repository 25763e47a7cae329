package org.civicbot.bot.announcement;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.civicbot.bot.Periodic;
import org.civicbot.bot.conversation.CitizenNotices;
import org.civicbot.bot.outbox.DeliveryStatus;
import org.civicbot.bot.outbox.OutboxEntry;
import org.civicbot.flows.Language;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Announcements to the subscribers of a topic: stored first (a 201 means it is on disk), then put in the outbox
 * one contact at a time when due, through {@link CitizenNotices} and so the outbound policy (WhatsApp's window and
 * its {@value #PURPOSE} template, opted-out contacts skipped, held while staff own a chat). The outbox paces the
 * sends within the providers' limits. Each contact's message has an id of its own, so an announcement sent again
 * after a crash in the middle reaches nobody twice.
 */
public class Announcements implements AutoCloseable {

    /** The WhatsApp template purpose for an announcement outside the 24-hour window ({{1}}: the topic). */
    public static final String PURPOSE = "announcement";
    /** A SENDING announcement this old was left by a stopped instance: it is sent again (idempotently). */
    static final Duration STALLED = Duration.ofMinutes(2);
    public static final int MAX_TEXT = 1200;

    private final ReactiveMongoTemplate mongo;
    private final Catalogue catalogue;
    private final Subscriptions subscriptions;
    private final CitizenNotices notices;
    private final Clock clock;
    private Periodic loop;

    public Announcements(ReactiveMongoTemplate mongo, Catalogue catalogue, Subscriptions subscriptions,
            CitizenNotices notices, Clock clock) {
        this.mongo = mongo;
        this.catalogue = catalogue;
        this.subscriptions = subscriptions;
        this.notices = notices;
        this.clock = clock;
    }

    /** Looks for announcements due every {@code every}. */
    public Announcements start(Duration every) {
        loop = Periodic.start("Announcements round", every, every, this::sendDue);
        return this;
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.close();
        }
    }

    /** What staff write. */
    public record Draft(String topic, String area, Map<String, String> text, String link, Instant sendAt,
            Instant validUntil) {}

    /** Stores the announcement, refused with the reason when it cannot go; it goes when due. */
    public Mono<Announcement> create(Draft draft, String staff) {
        return create(draft, staff, UUID.randomUUID().toString());
    }

    /**
     * As {@link #create(Draft, String)}, under {@code id}: made once however often it is asked (a device's alert
     * processed again).
     */
    public Mono<Announcement> create(Draft draft, String staff, String id) {
        Instant now = clock.instant();
        for (Language language : Language.values()) {
            String text = draft.text() == null ? null : draft.text().get(language.code());
            if (text == null || text.isBlank()) {
                return Mono.error(new Catalogue.Invalid("text needs ca, es and en; " + language.code() + " is missing"));
            }
            if (text.length() > MAX_TEXT) {
                return Mono.error(new Catalogue.Invalid("text in " + language.code() + " is longer than " + MAX_TEXT
                        + " characters"));
            }
        }
        if (draft.link() != null && !draft.link().isBlank() && !Pattern.matches("https?://\\S+", draft.link())) {
            return Mono.error(new Catalogue.Invalid("link must be an http(s) address"));
        }
        Instant sendAt = draft.sendAt() == null || draft.sendAt().isBefore(now) ? now : draft.sendAt();
        if (draft.validUntil() != null && !draft.validUntil().isAfter(sendAt)) {
            return Mono.error(new Catalogue.Invalid("validUntil must come after the time it is sent"));
        }
        Mono<Boolean> areaKnown = draft.area() == null ? Mono.just(true) : catalogue.area(draft.area()).hasElement();
        return catalogue.hasTopic(draft.topic()).zipWith(areaKnown).flatMap(known -> {
            if (!known.getT1()) {
                return Mono.error(new Catalogue.Invalid("no topic " + draft.topic()));
            }
            if (!known.getT2()) {
                return Mono.error(new Catalogue.Invalid("no area " + draft.area()));
            }
            return mongo.insert(new Announcement(id, draft.topic(), draft.area(),
                    draft.text(), blankToNull(draft.link()), draft.validUntil(), sendAt, Announcement.SCHEDULED, staff,
                    now, null, null))
                    .onErrorResume(org.springframework.dao.DuplicateKeyException.class, e -> find(id));
        });
    }

    /** The latest announcements, newest first. */
    public Flux<Announcement> recent(int limit) {
        return mongo.find(new org.springframework.data.mongodb.core.query.Query()
                .with(org.springframework.data.domain.Sort.by(org.springframework.data.domain.Sort.Direction.DESC,
                        "createdAt")).limit(limit), Announcement.class);
    }

    public Mono<Announcement> find(String id) {
        return mongo.findById(id, Announcement.class);
    }

    /** Sends every announcement that is due (and any a stopped instance left half sent). */
    public Mono<Void> sendDue() {
        Instant now = clock.instant();
        Criteria due = new Criteria().orOperator(
                where("status").is(Announcement.SCHEDULED).and("sendAt").lte(now),
                where("status").is(Announcement.SENDING).and("sendingSince").lte(now.minus(STALLED)));
        // One at a time, claimed atomically: two instances never send the same one at once.
        return mongo.findAndModify(query(due), new Update().set("status", Announcement.SENDING)
                                .set("sendingSince", now), FindAndModifyOptions.options().returnNew(true),
                        Announcement.class)
                .flatMap(claimed -> send(claimed).then(Mono.defer(this::sendDue)))
                .then();
    }

    /** Puts the announcement in the outbox for each subscriber, then marks it sent with how many it was for. */
    private Mono<Void> send(Announcement announcement) {
        Instant now = clock.instant();
        if (announcement.validUntil() != null && !announcement.validUntil().isAfter(now)) {
            return mongo.updateFirst(query(where("_id").is(announcement.id())),
                    new Update().set("status", Announcement.CANCELLED).set("recipients", 0), Announcement.class).then();
        }
        return catalogue.topic(announcement.topic()).flatMap(topic -> subscriptions
                        .audience(announcement.topic(), announcement.area())
                        .concatMap(conversation -> notices.deliver(conversation,
                                "announcement:" + announcement.id() + ":" + conversation, PURPOSE,
                                Map.of("1", topic.label(Language.DEFAULT)),
                                (texts, language) -> text(texts.announcement().in(language, Map.of("topic",
                                        topic.label(language), "text", announcement.text().getOrDefault(
                                                language.code(), announcement.text().get(Language.DEFAULT.code())))),
                                        announcement.link()), false))
                        .filter(outcome -> outcome != CitizenNotices.Outcome.OPTED_OUT
                                && outcome != CitizenNotices.Outcome.NO_CONVERSATION)
                        .count())
                .defaultIfEmpty(0L)
                .flatMap(count -> mongo.updateFirst(query(where("_id").is(announcement.id())),
                        new Update().set("status", Announcement.SENT).set("recipients", count.intValue()),
                        Announcement.class))
                .then();
    }

    private static String text(String body, String link) {
        return link == null ? body : body + "\n" + link;
    }

    /**
     * How an announcement is going: its status, how many contacts it is for, and where their messages stand in the
     * outbox ({@code held}: waiting for the contact to write, outside WhatsApp's window with no template).
     */
    public record Report(String status, int recipients, long queued, long sent, long delivered, long read,
            long failed, long held) {}

    public Mono<Report> report(Announcement announcement) {
        Pattern ours = Pattern.compile("^notice:announcement:" + Pattern.quote(announcement.id()) + ":");
        return mongo.find(query(where("_id").regex(ours)), OutboxEntry.class)
                .collectList()
                .map(entries -> {
                    Map<DeliveryStatus, Long> by = new EnumMap<>(DeliveryStatus.class);
                    entries.forEach(e -> by.merge(e.status(), 1L, Long::sum));
                    long queued = by.getOrDefault(DeliveryStatus.PENDING, 0L) + by.getOrDefault(DeliveryStatus.SENDING, 0L);
                    long read = by.getOrDefault(DeliveryStatus.READ, 0L);
                    long delivered = by.getOrDefault(DeliveryStatus.DELIVERED, 0L) + read;
                    long sent = by.getOrDefault(DeliveryStatus.SENT, 0L) + by.getOrDefault(DeliveryStatus.UNKNOWN, 0L)
                            + delivered;
                    long failed = by.getOrDefault(DeliveryStatus.FAILED, 0L)
                            + by.getOrDefault(DeliveryStatus.UNDELIVERED, 0L);
                    int recipients = announcement.recipients() == null ? 0 : announcement.recipients();
                    long contacts = entries.stream().map(e -> e.conversationId()).distinct().count();
                    return new Report(announcement.status(), recipients, queued, sent, delivered, read, failed,
                            Math.max(0, recipients - contacts));
                });
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}

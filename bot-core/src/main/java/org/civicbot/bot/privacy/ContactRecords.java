package org.civicbot.bot.privacy;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.ConversationIds;
import org.civicbot.bot.conversation.Satisfaction;
import org.civicbot.bot.inbound.InboundContent;
import org.civicbot.bot.inbound.InboundContentCodec;
import org.civicbot.bot.media.MediaFetcher;
import org.civicbot.bot.media.PhotoStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Everything the platform holds about one contact, found, exported and erased in one place (GDPR Arts. 15 and 17).
 *
 * <p>A contact is a citizen on one channel: one WhatsApp number or one Telegram chat. Its id is its conversation's
 * id, which names no phone number. What it holds: the conversation (with the engine's session and the consent
 * given), the messages it sent and was sent, the conversation's events, the incidents it reported (and the requests
 * staff entered for the same phone number), the ones it joined or follows, its subscriptions, appointments and
 * satisfaction answers, and the photos of all of these.
 *
 * <p>Erasure removes the conversation, its messages, events, subscriptions, answers and photos (and asks the
 * provider to delete the media it still holds, where its API allows); it keeps the incidents and appointments for
 * the statistics, with nothing left in them that names or locates the person: no description, contact, name,
 * phone, conversation, photo or comment, and the place rounded to about 100 m with no address. It can be run again
 * after a crash: each step finds what is left.
 */
public class ContactRecords {

    private static final Logger log = LoggerFactory.getLogger(ContactRecords.class);
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9]{6,15}");
    private static final Pattern CHAT_ID = Pattern.compile("-?[0-9]{1,20}");
    private static final JsonWriterSettings JSON = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED)
            .indent(true).build();
    /** What an erased incident says instead of the citizen's words. */
    public static final String ERASED = "—";

    private final ReactiveMongoTemplate mongo;
    private final ConversationIds ids;
    private final PhotoStore photos;
    private final List<MediaFetcher> providers;
    private final Clock clock;

    public ContactRecords(ReactiveMongoTemplate mongo, ConversationIds ids, PhotoStore photos,
            List<MediaFetcher> providers, Clock clock) {
        this.mongo = mongo;
        this.ids = ids;
        this.photos = photos;
        this.providers = List.copyOf(providers);
        this.clock = clock;
    }

    /**
     * A contact as staff who look for one see it: no phone number or chat id (they typed it).
     *
     * @param incidents how many incidents it reported
     */
    public record Summary(String contactId, Channel channel, String displayName, Instant firstSeen,
            Instant lastMessageAt, long incidents, long appointments, long subscriptions) {}

    /** What an erasure removed or anonymised, per kind of record. */
    public record Erasure(long conversations, long messages, long replies, long events, long subscriptions,
            long answers, long incidentsAnonymised, long incidentsUnfollowed, long appointments, long photos,
            long providerMedia, long providerMediaKept) {

        public Map<String, Long> counts() {
            Map<String, Long> counts = new LinkedHashMap<>();
            counts.put("conversations", conversations);
            counts.put("messages", messages);
            counts.put("replies", replies);
            counts.put("events", events);
            counts.put("subscriptions", subscriptions);
            counts.put("answers", answers);
            counts.put("incidentsAnonymised", incidentsAnonymised);
            counts.put("incidentsUnfollowed", incidentsUnfollowed);
            counts.put("appointments", appointments);
            counts.put("photos", photos);
            counts.put("providerMedia", providerMedia);
            counts.put("providerMediaKept", providerMediaKept);
            return counts;
        }
    }

    /**
     * The contacts a phone number ({@code +34600000001}, with or without {@code whatsapp:}, spaces or dashes) or a
     * Telegram chat id names: at most one per channel.
     */
    public Flux<Summary> find(String q) {
        return Flux.fromIterable(candidates(q)).concatMap(this::summary);
    }

    /** The conversation ids {@code q} may name, by channel. */
    List<String> candidates(String q) {
        if (q == null) {
            return List.of();
        }
        String text = q.strip().replaceAll("[\\s().-]", "");
        Set<String> found = new LinkedHashSet<>();
        String number = text.regionMatches(true, 0, "whatsapp:", 0, 9) ? text.substring(9) : text;
        if (PHONE.matcher(number).matches()) {
            found.add(ids.of(Channel.WHATSAPP, "whatsapp:" + (number.startsWith("+") ? number : "+" + number)));
        }
        if (CHAT_ID.matcher(text).matches()) {
            found.add(ids.of(Channel.TELEGRAM, text));
        }
        return List.copyOf(found);
    }

    /** The contact of that id, if the platform holds it. */
    public Mono<Summary> summary(String contactId) {
        return conversation(contactId).flatMap(c -> Mono.zip(
                        mongo.count(query(where("conversationId").is(contactId)), "incidents"),
                        mongo.count(query(where("conversationId").is(contactId)), "appointments"),
                        mongo.count(query(where("conversationId").is(contactId)), "subscriptions"))
                .map(n -> new Summary(contactId, Channel.valueOf(c.getString("channel")),
                        c.get("contact") instanceof Document contact ? contact.getString("displayName") : null,
                        c.get("createdAt", java.util.Date.class) == null ? null
                                : c.get("createdAt", java.util.Date.class).toInstant(),
                        c.get("lastMessageAt", java.util.Date.class) == null ? null
                                : c.get("lastMessageAt", java.util.Date.class).toInstant(),
                        n.getT1(), n.getT2(), n.getT3())));
    }

    private Mono<Document> conversation(String contactId) {
        return contactId == null ? Mono.empty()
                : mongo.findOne(query(where("_id").is(contactId)), Document.class, "conversations");
    }

    /**
     * A ZIP with {@code contact.json} (every record held about the contact, as stored) and {@code media/} (its
     * photos); empty when the contact is unknown. Incidents the contact only joined or follows are named, not
     * copied: they are another citizen's report.
     */
    public Mono<byte[]> export(String contactId) {
        return conversation(contactId).flatMap(c -> {
            String address = c.getString("address");
            Document export = new Document("contactId", contactId).append("exportedAt", clock.instant().toString())
                    .append("channel", c.getString("channel")).append("address", address)
                    .append("conversation", c);
            return Mono.zip(list("inbound_messages", where("conversationId").is(contactId)),
                            list("outbox", where("conversationId").is(contactId)),
                            list("conversation_events", where("conversationId").is(contactId)),
                            list("incidents", reportedBy(contactId, c)),
                            list("incidents", new Criteria().orOperator(where("reporters").is(contactId),
                                    where("followers").is(contactId))),
                            list("subscriptions", where("conversationId").is(contactId)),
                            list("appointments", appointmentsOf(contactId, c)),
                            list(Satisfaction.COLLECTION, where("conversationId").is(contactId)))
                    .flatMap(t -> {
                        export.append("messages", t.getT1()).append("replies", t.getT2()).append("events", t.getT3())
                                .append("incidents", t.getT4().stream().map(ContactRecords::withoutOthers).toList())
                                .append("followedIncidents", t.getT5().stream()
                                        .map(i -> new Document("code", i.getString("code")).append("as",
                                                contains(i, "reporters", contactId) ? "reporter" : "follower"))
                                        .toList())
                                .append("subscriptions", t.getT6()).append("appointments", t.getT7())
                                .append("satisfaction", t.getT8());
                        // Their own photos only: others who reported the same problem may have added theirs.
                        Set<String> photoIds = photoIds(t.getT1());
                        return Flux.fromIterable(photoIds).concatMap(photos::load).collectList()
                                .publishOn(Schedulers.boundedElastic())
                                .map(stored -> zip(export, stored));
                    });
        });
    }

    /** An incident the contact reported, without the ids of the others who reported or follow it: counts instead. */
    private static Document withoutOthers(Document incident) {
        Document copy = new Document(incident);
        copy.put("reporters", incident.getList("reporters", String.class, List.of()).size());
        copy.put("followers", incident.getList("followers", String.class, List.of()).size());
        if (copy.get("merge") instanceof Document merge) {
            Document counted = new Document(merge);
            counted.put("added", merge.getList("added", String.class, List.of()).size());
            copy.put("merge", counted);
        }
        return copy;
    }

    private static byte[] zip(Document export, List<PhotoStore.StoredPhoto> stored) {
        List<Document> media = new ArrayList<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            for (PhotoStore.StoredPhoto photo : stored) {
                String file = "media/" + photo.id() + extension(photo.contentType());
                media.add(new Document("id", photo.id()).append("file", file).append("contentType",
                        photo.contentType()));
                zip.putNextEntry(new ZipEntry(file));
                zip.write(photo.bytes());
                zip.closeEntry();
            }
            export.append("media", media);
            zip.putNextEntry(new ZipEntry("contact.json"));
            zip.write(export.toJson(JSON).getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static String extension(String contentType) {
        if (contentType == null) {
            return "";
        }
        return switch (contentType) {
            case "image/jpeg" -> ".jpg";
            case "image/png" -> ".png";
            case "image/webp" -> ".webp";
            case "image/gif" -> ".gif";
            case "application/pdf" -> ".pdf";
            default -> "";
        };
    }

    /**
     * Erases the contact: see the class's description. Empty when the contact is unknown (already erased, or never
     * known).
     */
    public Mono<Erasure> erase(String contactId) {
        return conversation(contactId).flatMap(c -> {
            Criteria reported = reportedBy(contactId, c);
            Criteria mine = where("conversationId").is(contactId);
            return Mono.zip(list("inbound_messages", mine), list("incidents", reported))
                    .flatMap(found -> {
                        List<Document> inbound = found.getT1();
                        List<Document> incidents = found.getT2();
                        Set<String> photoIds = photoIds(inbound);
                        return providerMedia(inbound).flatMap(provider -> Flux.fromIterable(photoIds)
                                .concatMap(photos::delete).filter(Boolean::booleanValue).count()
                                .flatMap(deleted -> photoIds.isEmpty() ? Mono.just(deleted)
                                        : mongo.updateMulti(query(where("photos._id").in(stored(photoIds))),
                                                new Update().pull("photos",
                                                        new Document("_id", new Document("$in", stored(photoIds)))),
                                                "incidents").thenReturn(deleted))
                                .flatMap(deletedPhotos -> Flux.fromIterable(incidents).concatMap(this::anonymise)
                                        .count()
                                        .flatMap(anonymised -> Mono.zip(
                                                        mongo.updateMulti(query(where("reporters").is(contactId)),
                                                                new Update().pull("reporters", contactId), "incidents"),
                                                        mongo.updateMulti(query(where("followers").is(contactId)),
                                                                new Update().pull("followers", contactId), "incidents")
                                                                .flatMap(followed -> mongo.updateMulti(
                                                                        query(where("merge.added").is(contactId)),
                                                                        new Update().pull("merge.added", contactId),
                                                                        "incidents").thenReturn(followed)),
                                                        mongo.updateMulti(query(appointmentsOf(contactId, c)),
                                                                new Update().unset("name")
                                                                        .unset("phone").unset("conversationId")
                                                                        .set("erasedAt", clock.instant()),
                                                                "appointments"),
                                                        remove("subscriptions", mine),
                                                        remove(Satisfaction.COLLECTION, mine),
                                                        remove("outbox_queue", mine).then(remove("outbox", mine)),
                                                        remove("conversation_events", mine),
                                                        remove("inbound_messages", mine))
                                                .flatMap(t -> remove("conversations", where("_id").is(contactId))
                                                        .map(conversations -> new Erasure(conversations,
                                                                t.getT8(), t.getT6(), t.getT7(), t.getT4(), t.getT5(),
                                                                anonymised,
                                                                Math.max(t.getT1().getModifiedCount(),
                                                                        t.getT2().getModifiedCount()),
                                                                t.getT3().getModifiedCount(), deletedPhotos,
                                                                provider[0], provider[1]))))));
                    });
        });
    }

    /** Incidents the contact reported, and requests staff entered for the same phone number. */
    private static Criteria reportedBy(String contactId, Document conversation) {
        return phoneOf(conversation).map(phone -> new Criteria().orOperator(where("conversationId").is(contactId),
                        where("conversationId").isNull().and("contact.phone").regex(phone)))
                .orElse(where("conversationId").is(contactId));
    }

    /** The contact's appointments: booked in the chat, or by staff for the same phone number. */
    private static Criteria appointmentsOf(String contactId, Document conversation) {
        return phoneOf(conversation).map(phone -> new Criteria().orOperator(where("conversationId").is(contactId),
                        where("conversationId").isNull().and("phone").regex(phone)))
                .orElse(where("conversationId").is(contactId));
    }

    /** A WhatsApp contact's number as staff may have typed it (see {@link #phonePattern}). */
    private static Optional<Pattern> phoneOf(Document conversation) {
        String address = conversation.getString("address");
        if ("WHATSAPP".equals(conversation.getString("channel")) && address != null && address.startsWith("whatsapp:")) {
            return Optional.of(phonePattern(address.substring("whatsapp:".length())));
        }
        return Optional.empty();
    }

    /**
     * A phone number as staff type it: with or without {@code +} or {@code 00} and the country code, with spaces,
     * dots, dashes or brackets anywhere ({@code +34 600 00 99 01}, {@code 600.009.901}). Without a country code it
     * is the number's last nine digits, a Spanish number's length.
     */
    static Pattern phonePattern(String number) {
        String digits = number.replaceAll("\\D", "");
        String national = digits.length() > 9 ? digits.substring(digits.length() - 9) : digits;
        return Pattern.compile("^\\D*(?:(?:00)?" + spaced(digits) + "|" + spaced(national) + ")\\D*$");
    }

    private static String spaced(String digits) {
        return String.join("\\D*", digits.split(""));
    }

    /** Asks the providers to delete the media the contact sent: {deleted, kept}. */
    private Mono<long[]> providerMedia(List<Document> inbound) {
        List<MediaPair> refs = new ArrayList<>();
        for (Document record : inbound) {
            Channel channel = Channel.valueOf(record.getString("channel"));
            if (record.get("content") instanceof Document content
                    && InboundContentCodec.read(content) instanceof InboundContent.Media media) {
                media.media().forEach(ref -> refs.add(new MediaPair(channel, ref)));
            }
        }
        return Flux.fromIterable(refs).concatMap(pair -> providers.stream()
                        .filter(p -> p.channel() == pair.channel()).findFirst()
                        .map(p -> p.erase(pair.ref()).onErrorResume(e -> {
                            log.warn("The provider did not delete a {} media file: {}", pair.channel(),
                                    e.getClass().getSimpleName());
                            return Mono.just(false);
                        }))
                        .orElse(Mono.just(false)))
                .collectList()
                .map(results -> new long[] {results.stream().filter(Boolean::booleanValue).count(),
                        results.stream().filter(r -> !r).count()});
    }

    private record MediaPair(Channel channel, InboundContent.MediaRef ref) {}

    /**
     * Takes out of an incident whatever names or locates its citizen; the rest (category, department, status, dates,
     * staff's steps) stays for the statistics.
     */
    private Mono<Long> anonymise(Document incident) {
        return anonymise(incident, 0);
    }

    /** Written only over the incident as read: a step staff took meanwhile is read again, not overwritten. */
    private Mono<Long> anonymise(Document incident, int attempt) {
        Instant now = clock.instant();
        Update update = new Update().set("description", ERASED).unset("contactName").unset("contact")
                .unset("conversationId").unset("publicToken")
                .unset("satisfaction.comment").set("updatedAt", now)
                .set("timeline", anonymisedTimeline(incident, now));
        if (incident.get("location") instanceof Document location) {
            Document rounded = new Document("origin", location.getString("origin"));
            if (location.get("latitude") instanceof Number lat && location.get("longitude") instanceof Number lon) {
                rounded.append("latitude", round(lat.doubleValue())).append("longitude", round(lon.doubleValue()));
            }
            update.set("location", rounded);
        }
        Object id = incident.get("_id");
        Criteria unchanged = incident.get("updatedAt") == null ? where("_id").is(id).and("updatedAt").exists(false)
                : where("_id").is(id).and("updatedAt").is(incident.get("updatedAt"));
        return mongo.updateFirst(query(unchanged), update, "incidents").flatMap(result -> {
            if (result.getModifiedCount() > 0 || attempt >= 5) {
                return Mono.just(result.getModifiedCount());
            }
            return mongo.findById(id, Document.class, "incidents").flatMap(again -> anonymise(again, attempt + 1))
                    .defaultIfEmpty(0L);
        });
    }

    /** The history without the values an edit of the description or place carried, and a line saying why. */
    private static List<Document> anonymisedTimeline(Document incident, Instant now) {
        List<Document> timeline = withoutPlacesOrWords(incident);
        timeline.add(new Document("at", now).append("type", "ANONYMISED").append("actor", "system")
                .append("text", "The citizen's personal data were erased").append("published", false));
        return timeline;
    }

    /** The history without the old and new values of the edits to the description, the address or the place. */
    static List<Document> withoutPlacesOrWords(Document incident) {
        List<Document> timeline = new ArrayList<>();
        for (Object line : incident.getList("timeline", Object.class, List.of())) {
            if (line instanceof Document entry) {
                Document copy = new Document(entry);
                if ("EDIT".equals(copy.getString("type"))
                        && Set.of("description", "location", "address").contains(copy.getString("field"))) {
                    copy.put("from", null);
                    copy.put("to", null);
                }
                timeline.add(copy);
            }
        }
        return timeline;
    }

    /** Three decimals: about 100 m, a street rather than a door. */
    public static double round(double degrees) {
        return Math.round(degrees * 1_000) / 1_000.0;
    }

    /** The photos the contact sent, as the store kept them from their messages. */
    private static Set<String> photoIds(List<Document> inbound) {
        Set<String> ids = new LinkedHashSet<>();
        inbound.forEach(record -> record.getList("photoIds", String.class, List.of()).forEach(ids::add));
        return ids;
    }

    private static List<Object> stored(Set<String> ids) {
        return ids.stream().<Object>map(id -> org.bson.types.ObjectId.isValid(id) ? new org.bson.types.ObjectId(id)
                : id).toList();
    }

    private static boolean contains(Document doc, String field, String value) {
        return doc.getList(field, String.class, List.of()).contains(value);
    }

    private Mono<List<Document>> list(String collection, Criteria criteria) {
        return mongo.find(query(criteria), Document.class, collection).collectList();
    }

    private Mono<Long> remove(String collection, Criteria criteria) {
        return mongo.remove(query(criteria), collection).map(result -> result.getDeletedCount());
    }
}

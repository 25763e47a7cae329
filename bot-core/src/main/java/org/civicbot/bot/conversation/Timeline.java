package org.civicbot.bot.conversation;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.civicbot.bot.inbound.InboundContent;
import org.civicbot.bot.inbound.InboundRecord;
import org.civicbot.bot.outbox.OutboxEntry;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import reactor.core.publisher.Mono;

/**
 * A conversation's whole story in time order: what the citizen sent, what the bot and staff answered
 * (with delivery status), and what happened in between (handoffs, takeovers, notices).
 */
public class Timeline {

    /** How many of the most recent items a timeline shows. */
    public static final int MAX_ITEMS = 500;

    private final ReactiveMongoTemplate mongo;
    private final ConversationEvents events;

    public Timeline(ReactiveMongoTemplate mongo, ConversationEvents events) {
        this.mongo = mongo;
        this.events = events;
    }

    /**
     * One line of a timeline.
     *
     * @param id the stored message's id (inbound or outbox), for staff actions on it; null for events
     * @param author CITIZEN, BOT, STAFF or SYSTEM
     * @param kind TEXT, LOCATION, PHOTO, CHOICE (a button), or the event type for SYSTEM items
     * @param staffUser who wrote it, for STAFF items and events caused by staff
     * @param status for outgoing messages: their delivery status
     */
    public record Item(String id, Instant at, String author, String kind, String text, List<String> options,
            List<String> photoIds, Double latitude, Double longitude, String staffUser, String status) {}

    /** An item with its place in the conversation's order, which breaks ties between items of one moment. */
    private record Placed(Item item, long seq) {}

    /**
     * The conversation's last items, oldest first. Items of the same moment (a turn's replies) stand in
     * the order they were sent in, which is the order the citizen received them.
     */
    public Mono<List<Item>> of(String conversationId) {
        Mono<List<Placed>> inbound = mongo.find(query(where("conversationId").is(conversationId))
                        .with(Sort.by(Sort.Direction.DESC, "receivedAt")).limit(MAX_ITEMS), InboundRecord.class)
                .map(record -> new Placed(citizen(record), record.seq()))
                .collectList();
        Mono<List<Placed>> outbound = mongo.find(query(where("conversationId").is(conversationId))
                        .with(Sort.by(Sort.Direction.DESC, "seq")).limit(MAX_ITEMS), OutboxEntry.class)
                .map(e -> new Placed(new Item(e.id(), e.createdAt(), e.author(), "TEXT", e.text(), e.options() == null
                        ? List.of() : e.options(), List.of(), null, null, e.staffUser(), e.status().name()), e.seq()))
                .collectList();
        Mono<List<Placed>> system = events.of(conversationId)
                .map(e -> new Placed(new Item(null, e.at(), "SYSTEM", e.type(), e.text(), List.of(), List.of(), null, null,
                        "system".equals(e.actor()) || "citizen".equals(e.actor()) ? null : e.actor(), null), 0L))
                .collectList();
        return Mono.zip(inbound, outbound, system).map(t -> {
            List<Placed> all = new ArrayList<>(t.getT1());
            all.addAll(t.getT2());
            all.addAll(t.getT3());
            all.sort(Comparator.comparing((Placed p) -> p.item().at()).thenComparingLong(Placed::seq));
            List<Item> items = all.stream().map(Placed::item).toList();
            return items.size() > MAX_ITEMS ? items.subList(items.size() - MAX_ITEMS, items.size()) : items;
        });
    }

    /** The citizen's last message in the conversation, if any (for the inbox's lines). */
    public Mono<Item> lastFromCitizen(String conversationId) {
        // By seq, the order the store gave the conversation's messages (and what its index covers).
        return mongo.findOne(query(where("conversationId").is(conversationId))
                        .with(Sort.by(Sort.Direction.DESC, "seq")).limit(1), InboundRecord.class)
                .map(Timeline::citizen);
    }

    private static Item citizen(InboundRecord record) {
        InboundContent content = record.decodedContent();
        // An incoming message shows a status only when it could not be processed (staff may retry it).
        String status = record.status() == InboundRecord.Status.FAILED ? "FAILED" : null;
        List<String> photos = record.photoIds() == null ? List.of() : record.photoIds();
        if (content instanceof InboundContent.Location l) {
            String text = l.address() != null ? l.address() : l.label();
            return new Item(record.id(), record.receivedAt(), "CITIZEN", "LOCATION", text, List.of(), photos,
                    l.latitude(), l.longitude(), null, status);
        }
        if (content instanceof InboundContent.Media m) {
            return new Item(record.id(), record.receivedAt(), "CITIZEN", "PHOTO", m.caption(), List.of(), photos,
                    null, null, null, status);
        }
        if (content instanceof InboundContent.Choice c) {
            return new Item(record.id(), record.receivedAt(), "CITIZEN", "CHOICE", c.data(), List.of(), photos, null,
                    null, null, status);
        }
        if (content instanceof InboundContent.Unsupported u) {
            return new Item(record.id(), record.receivedAt(), "CITIZEN", "UNSUPPORTED", u.kind(), List.of(), photos,
                    null, null, null, status);
        }
        // A text whose words the retention policy removed reads as no text.
        return new Item(record.id(), record.receivedAt(), "CITIZEN", "TEXT", ((InboundContent.Text) content).text(),
                List.of(), photos, null, null, null, status);
    }
}

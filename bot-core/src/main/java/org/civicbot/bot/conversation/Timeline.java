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
     * @param author CITIZEN, BOT, STAFF or SYSTEM
     * @param kind TEXT, LOCATION, PHOTO, CHOICE (a button), or the event type for SYSTEM items
     * @param staffUser who wrote it, for STAFF items and events caused by staff
     * @param status for outgoing messages: their delivery status
     */
    public record Item(Instant at, String author, String kind, String text, List<String> options,
            List<String> photoIds, Double latitude, Double longitude, String staffUser, String status) {}

    public Mono<List<Item>> of(String conversationId) {
        Mono<List<Item>> inbound = mongo.find(query(where("conversationId").is(conversationId))
                        .with(Sort.by(Sort.Direction.DESC, "seq")).limit(MAX_ITEMS), InboundRecord.class)
                .map(Timeline::citizen).collectList();
        Mono<List<Item>> outbound = mongo.find(query(where("conversationId").is(conversationId))
                        .with(Sort.by(Sort.Direction.DESC, "seq")).limit(MAX_ITEMS), OutboxEntry.class)
                .map(e -> new Item(e.createdAt(), e.author(), "TEXT", e.text(), e.options() == null ? List.of()
                        : e.options(), List.of(), null, null, e.staffUser(), e.status().name()))
                .collectList();
        Mono<List<Item>> system = events.of(conversationId)
                .map(e -> new Item(e.at(), "SYSTEM", e.type(), e.text(), List.of(), List.of(), null, null,
                        "system".equals(e.actor()) || "citizen".equals(e.actor()) ? null : e.actor(), null))
                .collectList();
        return Mono.zip(inbound, outbound, system).map(t -> {
            List<Item> all = new ArrayList<>(t.getT1());
            all.addAll(t.getT2());
            all.addAll(t.getT3());
            all.sort(Comparator.comparing(Item::at));
            return all.size() > MAX_ITEMS ? all.subList(all.size() - MAX_ITEMS, all.size()) : all;
        });
    }

    private static Item citizen(InboundRecord record) {
        InboundContent content = record.decodedContent();
        List<String> photos = record.photoIds() == null ? List.of() : record.photoIds();
        if (content instanceof InboundContent.Location l) {
            String text = l.address() != null ? l.address() : l.label();
            return new Item(record.receivedAt(), "CITIZEN", "LOCATION", text, List.of(), photos, l.latitude(),
                    l.longitude(), null, null);
        }
        if (content instanceof InboundContent.Media m) {
            return new Item(record.receivedAt(), "CITIZEN", "PHOTO", m.caption(), List.of(), photos, null, null,
                    null, null);
        }
        if (content instanceof InboundContent.Choice c) {
            return new Item(record.receivedAt(), "CITIZEN", "CHOICE", c.data(), List.of(), photos, null, null, null,
                    null);
        }
        return new Item(record.receivedAt(), "CITIZEN", "TEXT", ((InboundContent.Text) content).text(), List.of(),
                photos, null, null, null, null);
    }
}

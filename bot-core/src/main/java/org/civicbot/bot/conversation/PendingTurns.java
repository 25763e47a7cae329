package org.civicbot.bot.conversation;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.civicbot.bot.BulkWrites;
import org.civicbot.bot.Channel;
import org.civicbot.bot.engine.Event;
import org.civicbot.bot.inbound.InboundRecord;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.Incidents;
import org.civicbot.bot.incident.Source;
import org.civicbot.bot.live.LiveFeed;
import org.civicbot.bot.media.PhotoStore;
import org.civicbot.bot.outbox.Outbox;
import org.civicbot.bot.outbox.OutboxEntry;
import org.civicbot.flows.RequestType;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.data.mongodb.core.query.UpdateDefinition;
import org.springframework.data.util.Pair;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Carries out what a saved turn decided: creates its incidents, puts its messages in the outbox (with
 * the incident's code filled in), then clears the turn from the conversation. Every step is idempotent
 * (ids come from the turn), so a turn carried out twice, after a crash or by two instances, has its
 * effects once.
 */
public class PendingTurns {

    /** Room in the conversation's order for one turn: its inbound message and its replies. */
    static final long ORDERS_PER_TURN = 1_000;

    private final ReactiveMongoTemplate mongo;
    private final Incidents incidents;
    private final PhotoStore photos;
    private final Outbox outbox;
    private final Clock clock;
    private final LiveFeed feed;
    /** Messages marked processed together, in one command. */
    private final BulkWrites marks;
    /** Turns cleared from their conversations together, in one command. */
    private final BulkWrites cleared;
    /**
     * Turns this process carried out, by id: met again (the conversation not yet cleared of it, or read before it
     * was), such a turn is not carried out again.
     */
    private final Cache<String, Boolean> done =
            Caffeine.newBuilder().maximumSize(REMEMBERED).build();
    /**
     * Conversations to clear of the turn carried out, at the next clearing: the latest turn of each (by order), as a
     * staff turn and a lane's may finish in either order.
     */
    private final Map<String, Conversation.PendingTurn> toClear = new ConcurrentHashMap<>();
    private final AtomicBoolean clearing = new AtomicBoolean();
    /** Turns carried out that are remembered, at most: more than the conversations a busy minute sees. */
    static final int REMEMBERED = 20_000;
    /**
     * How long a carried-out turn stays on its conversation before it is cleared, with those of every other
     * conversation, in one command: the conversation's next turn usually replaces it before then. Well within the
     * sweeper's patience ({@code civicbot.sweeper.stalled-after}), which would carry out a turn left longer.
     */
    static final Duration CLEAR_AFTER = Duration.ofSeconds(1);

    public PendingTurns(ReactiveMongoTemplate mongo, Incidents incidents, PhotoStore photos, Outbox outbox,
            Clock clock, LiveFeed feed) {
        this.mongo = mongo;
        this.incidents = incidents;
        this.photos = photos;
        this.outbox = outbox;
        this.clock = clock;
        this.feed = feed;
        this.marks = new BulkWrites(mongo, InboundRecord.class);
        this.cleared = new BulkWrites(mongo, Conversation.class);
    }

    /**
     * Carries out the conversation's pending turn, if it has one: the conversation as it is then (with no pending
     * turn). The turn's replies and the mark on its message are written at once, each grouped with those of
     * other turns being carried out at the same time. The turn is cleared from the conversation a moment later,
     * with others, unless the conversation's next turn replaces it first; until then this process knows it is done,
     * and any other carries it out again to no effect (every step is idempotent).
     */
    public Mono<Conversation> complete(Conversation conversation) {
        Conversation.PendingTurn turn = conversation.pendingTurn();
        if (turn == null) {
            return Mono.just(conversation);
        }
        if (done.getIfPresent(turn.turnId()) != null) {
            // Carried out here, and still there: its clearing failed or was lost to a later turn's. Again.
            clearLater(conversation.id(), turn);
            return Mono.just(conversation.withoutPendingTurn());
        }
        return Flux.fromIterable(turn.incidents())
                .concatMap(pending -> pending.joins() != null ? join(conversation, pending)
                        : pending.addsPhotos() ? addPhotos(pending) : report(conversation, pending))
                .collectList()
                // The replies before the mark: a message is processed only once its replies are written.
                .flatMap(created -> outbox.enqueue(entries(conversation, turn, created)))
                .then(markProcessed(conversation, turn))
                .doOnSuccess(written -> {
                    done.put(turn.turnId(), true);
                    clearLater(conversation.id(), turn);
                    feed.publish(conversation.id(), "MESSAGE_QUEUED");
                })
                .thenReturn(conversation.withoutPendingTurn());
    }

    /**
     * Whether this process carried out the turn of that id (a message's turn has the message's id), as far as it
     * remembers ({@link #REMEMBERED} turns).
     */
    public boolean carriedOut(String turnId) {
        return done.getIfPresent(turnId) != null;
    }

    private void clearLater(String conversationId, Conversation.PendingTurn turn) {
        toClear.merge(conversationId, turn, (a, b) -> a.order() >= b.order() ? a : b);
        clearSoon();
    }

    private void clearSoon() {
        if (clearing.compareAndSet(false, true)) {
            Mono.delay(CLEAR_AFTER).then(Mono.defer(this::clear))
                    .doFinally(signal -> {
                        clearing.set(false);
                        if (!toClear.isEmpty()) {
                            clearSoon();
                        }
                    })
                    .subscribe();
        }
    }

    /**
     * Clears the turns carried out from their conversations, where still there: one command for all. A turn not
     * cleared (the app stopped first) is carried out again, to no effect, by whoever loads the conversation next.
     */
    Mono<Void> clear() {
        List<Map.Entry<String, Conversation.PendingTurn>> due = new ArrayList<>();
        toClear.forEach((conversationId, turn) -> {
            if (toClear.remove(conversationId, turn)) {
                due.add(Map.entry(conversationId, turn));
            }
        });
        return cleared.updateEach(due.stream().map(e -> Pair.of(
                        query(where("_id").is(e.getKey()).and("pendingTurn.turnId").is(e.getValue().turnId())),
                        (UpdateDefinition) new Update().unset("pendingTurn")))
                        .toList())
                // Not cleared (the store out of reach): at the next clearing.
                .onErrorResume(e -> Mono.fromRunnable(() -> due.forEach(d -> toClear.merge(d.getKey(), d.getValue(),
                        (a, b) -> a.order() >= b.order() ? a : b))));
    }

    /**
     * The inbound message this turn answered is processed; it takes the turn's place in the
     * conversation's order, just before the turn's replies.
     */
    private Mono<Void> markProcessed(Conversation conversation, Conversation.PendingTurn turn) {
        if (turn.inboundId() == null) {
            return Mono.empty();
        }
        return marks.updateOne(query(where("_id").is(turn.inboundId())), new Update()
                        .set("status", InboundRecord.Status.PROCESSED).set("processedAt", clock.instant())
                        .set("seq", order(turn, 0)))
                .doOnSuccess(r -> feed.publish(conversation.id(), "MESSAGE_RECEIVED"));
    }

    /** Place {@code n} in the conversation's order of the turn: the inbound message 0, its replies 1, 2... */
    static long order(Conversation.PendingTurn turn, int n) {
        return turn.order() * ORDERS_PER_TURN + n;
    }

    private List<OutboxEntry> entries(Conversation conversation, Conversation.PendingTurn turn,
            List<Incident> created) {
        String code = created.isEmpty() ? null : created.get(created.size() - 1).code();
        Instant now = clock.instant();
        List<OutboxEntry> entries = new ArrayList<>();
        for (int i = 0; i < turn.messages().size(); i++) {
            Conversation.PendingMessage message = turn.messages().get(i);
            String text = code == null ? message.text()
                    : message.text().replace(Event.MessageCreated.INCIDENT_CODE, code);
            entries.add(OutboxEntry.pending(turn.turnId() + "/" + i, conversation.id(), conversation.channel(),
                    conversation.address(), text, message.options(), order(turn, i + 1), message.author(),
                    message.staffUser(), now).withMenu(message.menu()).withTemplate(message.contentSid(), Map.of()));
        }
        return entries;
    }

    private Mono<List<Incident.Photo>> photosOf(Conversation.PendingIncident pending) {
        List<String> ids = pending.photoIds() == null ? List.of() : pending.photoIds();
        return Flux.fromIterable(ids)
                .concatMap(id -> photos.contentType(id).defaultIfEmpty("image/jpeg").map(t -> new Incident.Photo(id, t)))
                .collectList();
    }

    /** Photos for an incident made in an earlier turn; adding the same photo twice adds it once. */
    private Mono<Incident> addPhotos(Conversation.PendingIncident pending) {
        return photosOf(pending).flatMap(photoList -> incidents.addPhotos(pending.ref(), photoList));
    }

    /** The contact reported the same problem as an open incident: one more reporter, with their photos. */
    private Mono<Incident> join(Conversation conversation, Conversation.PendingIncident pending) {
        return photosOf(pending).flatMap(photoList -> incidents.join(pending.joins(), conversation.id(), photoList,
                conversation.channel()));
    }

    private Mono<Incident> report(Conversation conversation, Conversation.PendingIncident pending) {
        return photosOf(pending)
                .flatMap(photoList -> {
                    Incident.Location location = pending.address() == null && pending.latitude() == null ? null
                            : new Incident.Location(pending.address(), pending.latitude(), pending.longitude(),
                                    pending.origin());
                    String name = conversation.contact() == null ? null : conversation.contact().displayName();
                    Incident.TimelineEntry created = new Incident.TimelineEntry(clock.instant(), "CREATED", "citizen",
                            "Reported on " + conversation.channel());
                    return incidents.report(new Incidents.Report(pending.ref(), pending.category(),
                            pending.description(), location, photoList, source(conversation.channel()), name,
                            conversation.channel(), conversation.id(), null, null, created,
                            pending.possibleDuplicateOf(), pending.type() == null ? RequestType.INCIDENT
                                    : RequestType.valueOf(pending.type())));
                });
    }

    private static Source source(Channel channel) {
        return channel == Channel.WHATSAPP ? Source.WHATSAPP : Source.TELEGRAM;
    }
}

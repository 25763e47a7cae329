package org.civicbot.bot.history;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.bson.Document;
import org.civicbot.bot.Periodic;
import org.civicbot.bot.inbound.InboundRecord;
import org.civicbot.bot.outbox.DeliveryStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import reactor.core.publisher.Mono;

/**
 * Trims the message path's history older than the retention period: processed and failed inbound
 * messages, outbox entries in a final state, the timeline's events and set-aside updates. What is still
 * to be done (a message waiting for its turn, a reply to send or whose send is in doubt) is never
 * touched, whatever its age. It deletes in batches, so the store serves the message path meanwhile.
 */
public class HistoryRetention {

    private static final Logger log = LoggerFactory.getLogger(HistoryRetention.class);
    /** Documents deleted per round trip. */
    static final int BATCH = 2_000;

    private final ReactiveMongoTemplate mongo;
    private final Clock clock;
    private final Duration keep;
    private Periodic loop;

    /** @param keep how long history is kept after it was done with */
    public HistoryRetention(ReactiveMongoTemplate mongo, Clock clock, Duration keep) {
        this.mongo = mongo;
        this.clock = clock;
        this.keep = keep;
    }

    /** What one pass deleted, per collection. */
    public record Trimmed(long inbound, long outbox, long events, long setAside) {

        public long total() {
            return inbound + outbox + events + setAside;
        }
    }

    /** Deletes what is older than the retention period now. */
    public Mono<Trimmed> trim() {
        Instant cutoff = clock.instant().minus(keep);
        Criteria inbound = new Criteria().orOperator(
                where("status").is(InboundRecord.Status.PROCESSED).and("processedAt").lt(cutoff),
                where("status").is(InboundRecord.Status.FAILED).and("receivedAt").lt(cutoff));
        // UNKNOWN stays until staff decide; a FAILED reply is kept as long as any other history.
        Criteria outbox = where("status").in(DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.READ,
                DeliveryStatus.UNDELIVERED, DeliveryStatus.FAILED).and("createdAt").lt(cutoff);
        return Mono.zip(delete("inbound_messages", inbound), delete("outbox", outbox),
                        delete("conversation_events", where("at").lt(cutoff)),
                        delete("set_aside_updates", where("at").lt(cutoff)))
                .map(t -> new Trimmed(t.getT1(), t.getT2(), t.getT3(), t.getT4()))
                .doOnNext(trimmed -> {
                    if (trimmed.total() > 0) {
                        log.info("Retention ({} kept): deleted {} inbound messages, {} replies, {} events, "
                                + "{} set-aside updates", keep, trimmed.inbound(), trimmed.outbox(), trimmed.events(),
                                trimmed.setAside());
                    }
                });
    }

    /** Deletes the matching documents a batch at a time; how many. */
    private Mono<Long> delete(String collection, Criteria criteria) {
        Query batch = query(criteria).limit(BATCH);
        batch.fields().include("_id");
        return mongo.find(batch, Document.class, collection).map(doc -> doc.get("_id")).collectList()
                .flatMap(ids -> ids.isEmpty() ? Mono.just(0L)
                        : mongo.remove(query(where("_id").in(ids)), collection)
                                .flatMap(result -> result.getDeletedCount() < BATCH ? Mono.just(result.getDeletedCount())
                                        : delete(collection, criteria).map(more -> more + result.getDeletedCount())));
    }

    /** Trims once a day, the first time an hour after start (not in the middle of a restart's recovery). */
    public synchronized void start() {
        if (loop == null) {
            loop = Periodic.start("Retention pass", Duration.ofHours(1), Duration.ofDays(1), this::trim);
        }
    }

    public synchronized void stop() {
        if (loop != null) {
            loop.close();
            loop = null;
        }
    }
}

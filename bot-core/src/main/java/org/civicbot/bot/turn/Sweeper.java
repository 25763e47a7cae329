package org.civicbot.bot.turn;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.bson.Document;
import org.civicbot.bot.PathMetrics;
import org.civicbot.bot.inbound.InboundLog;
import org.civicbot.bot.inbound.InboundRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Nothing waits for ever: every so often, whatever has waited longer than it should is driven again,
 * by any instance, without a restart. A conversation whose inbox has not moved, or whose saved turn was
 * not carried out, gets its lane run; a stored message that never reached its conversation's inbox (the
 * app stopped between storing and queuing it) is queued. Each of these is safe to repeat.
 */
public class Sweeper {

    private static final Logger log = LoggerFactory.getLogger(Sweeper.class);
    /** At most this many stored messages are queued again per sweep; the next sweep takes the rest. */
    static final int MAX_REQUEUED = 1_000;

    private final ReactiveMongoTemplate mongo;
    private final InboundLog inbound;
    private final ConversationLanes lanes;
    private final Clock clock;
    private final PathMetrics metrics;
    private Disposable loop;

    public Sweeper(ReactiveMongoTemplate mongo, InboundLog inbound, ConversationLanes lanes, Clock clock,
            PathMetrics metrics) {
        this.metrics = metrics;
        this.mongo = mongo;
        this.inbound = inbound;
        this.lanes = lanes;
        this.clock = clock;
    }

    /**
     * Drives again what has waited longer than {@code stalledAfter} (zero: everything, as at start).
     *
     * @return how many conversations and messages it drove
     */
    public Mono<Long> sweep(Duration stalledAfter) {
        Instant before = clock.instant().minus(stalledAfter).plusNanos(1);
        Query stalled = query(new Criteria().orOperator(
                where("inbox.0").exists(true).and("inboxAt").lt(before),
                new Criteria().andOperator(where("pendingTurn").ne(null), new Criteria().orOperator(
                        where("pendingTurn.savedAt").lt(before), where("pendingTurn.savedAt").exists(false)))));
        stalled.fields().include("_id");
        Flux<String> conversations = mongo.find(stalled, Document.class, "conversations")
                .map(doc -> doc.getString("_id"))
                .doOnNext(lanes::arrived);
        Flux<InboundRecord> unqueued = mongo.find(query(where("status").is(InboundRecord.Status.RECEIVED)
                        .and("receivedAt").lt(before)).limit(MAX_REQUEUED), InboundRecord.class)
                .concatMap(record -> inbound.queue(record).thenReturn(record));
        Query queued = query(where("inbox.0").exists(true));
        queued.fields().include("inbox");
        Mono<Void> backlog = mongo.find(queued, Document.class, "conversations")
                .map(doc -> (long) doc.getList("inbox", String.class).size())
                .reduce(0L, Long::sum)
                .doOnNext(metrics::inboundBacklog)
                .then();
        return backlog.thenMany(Flux.concat(conversations, unqueued)).count()
                .doOnNext(n -> {
                    if (n > 0) {
                        log.info("Sweeper drove {} stalled conversations and messages again", n);
                    }
                });
    }

    public synchronized void start(Duration every, Duration stalledAfter) {
        if (loop == null) {
            loop = Flux.interval(every, every)
                    .onBackpressureDrop()
                    .concatMap(tick -> sweep(stalledAfter).onErrorResume(e -> {
                        log.warn("Sweep failed: {}", e.toString());
                        return Mono.empty();
                    }), 1)
                    .subscribe();
        }
    }

    public synchronized void stop() {
        if (loop != null) {
            loop.dispose();
            loop = null;
        }
    }
}

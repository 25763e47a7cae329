package org.civicbot.bot.turn;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bson.Document;
import org.civicbot.bot.PathMetrics;
import org.civicbot.bot.Periodic;
import org.civicbot.bot.inbound.InboundLog;
import org.civicbot.bot.inbound.InboundRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import reactor.core.publisher.Mono;

/**
 * Nothing waits for ever: every so often, whatever has waited longer than it should is driven again,
 * by any instance, without a restart. A conversation whose inbox has not moved, or whose saved turn was
 * not carried out, gets its lane run; a stored message that never reached its conversation's inbox (the
 * app stopped between storing and queuing it) is queued, at start and seldom after. Each of these is
 * safe to repeat.
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
    private Periodic loop;
    private volatile Instant lastUnqueuedScan;
    private volatile Duration unqueuedEvery = Duration.ofHours(1);

    public Sweeper(ReactiveMongoTemplate mongo, InboundLog inbound, ConversationLanes lanes, Clock clock,
            PathMetrics metrics) {
        this.metrics = metrics;
        this.mongo = mongo;
        this.inbound = inbound;
        this.lanes = lanes;
        this.clock = clock;
    }

    /**
     * Drives again what has waited longer than {@code stalledAfter} (zero: everything, as at start, whatever the
     * times it was stored with say, since the clock may have been stepped back across a restart), including stored
     * messages never queued: on the embedded store all of them, before any new message is taken, so that none goes
     * ahead of them; on a MongoDB that instances share, where a message is queued before its provider is answered and
     * only a crash in between leaves one unqueued, at most {@link #MAX_REQUEUED}.
     *
     * @return how many conversations and messages it drove
     */
    public Mono<Long> sweep(Duration stalledAfter) {
        return sweep(stalledAfter, inbound.soleReceiver() ? Integer.MAX_VALUE : MAX_REQUEUED);
    }

    /**
     * @param unqueuedAtMost how many stored messages never queued to look for too, oldest first (0: none). That
     *     reads the whole inbound log, so the periodic sweep does it seldom (see {@link #start})
     */
    Mono<Long> sweep(Duration stalledAfter, int unqueuedAtMost) {
        boolean everything = stalledAfter.isZero();
        Instant before = clock.instant().minus(stalledAfter).plusNanos(1);
        // One read of the conversations with work: the stalled ones are driven, and the backlog counted.
        Query withWork = query(new Criteria().orOperator(where("inbox.0").exists(true), where("pendingTurn").ne(null)));
        withWork.fields().include("inbox").include("inboxAt").include("pendingTurn");
        Set<String> queued = new HashSet<>();
        Mono<Long> conversations = mongo.find(withWork, Document.class, "conversations").collectList().map(docs -> {
            long backlog = 0;
            long driven = 0;
            for (Document doc : docs) {
                List<String> inbox = doc.getList("inbox", String.class);
                int waiting = inbox == null ? 0 : inbox.size();
                backlog += waiting;
                if (inbox != null) {
                    queued.addAll(inbox);
                }
                boolean inboxStalled = waiting > 0 && (everything || !after(doc.getDate("inboxAt"), before));
                Document turn = doc.get("pendingTurn", Document.class);
                boolean turnStalled = turn != null && (everything || !after(turn.getDate("savedAt"), before));
                if (inboxStalled || turnStalled) {
                    lanes.arrived(doc.getString("_id"));
                    driven++;
                }
            }
            metrics.inboundBacklog(backlog + lanes.held());
            return driven;
        });
        Criteria stored = where("status").is(InboundRecord.Status.RECEIVED);
        if (!everything) {
            stored = stored.and("receivedAt").lt(before);
        }
        Query unqueuedQuery = query(stored).with(Sort.by("receivedAt")).limit(unqueuedAtMost);
        // What an inbox holds already is left to its lane, driven above.
        Mono<Long> unqueued = unqueuedAtMost == 0 ? Mono.just(0L)
                : mongo.find(unqueuedQuery, InboundRecord.class)
                        .filter(record -> !queued.contains(record.id()))
                        .concatMap(record -> inbound.queue(record).thenReturn(record))
                        .count();
        return conversations.flatMap(driven -> unqueued.map(n -> driven + n))
                .doOnNext(n -> {
                    if (n > 0) {
                        log.info("Sweeper drove {} stalled conversations and messages again", n);
                    }
                });
    }

    private static boolean after(Date at, Instant before) {
        return at != null && !at.toInstant().isBefore(before);
    }

    /** Whether the periodic sweep should read the inbound log this time. */
    private boolean unqueuedScanDue() {
        Instant now = clock.instant();
        Instant last = lastUnqueuedScan;
        if (last != null && now.isBefore(last.plus(unqueuedEvery))) {
            return false;
        }
        lastUnqueuedScan = now;
        return true;
    }

    /**
     * @param every how often to look for stalled conversations
     * @param stalledAfter how long work may wait before it counts as stalled
     * @param unqueuedEvery how often to look for stored messages never queued too. They come only from a
     *     crash between storing and queuing (the start-up sweep finds those) or a queuing that failed
     *     after the store took the message (the provider was answered 503, and most retry): rare, and the
     *     search reads the whole inbound log.
     */
    public synchronized void start(Duration every, Duration stalledAfter, Duration unqueuedEvery) {
        if (loop == null) {
            this.unqueuedEvery = unqueuedEvery;
            // The start-up sweep has just read the inbound log.
            lastUnqueuedScan = clock.instant();
            loop = Periodic.start("Sweep", every, every, () -> sweep(stalledAfter, unqueuedScanDue() ? MAX_REQUEUED : 0));
        }
    }

    public synchronized void stop() {
        if (loop != null) {
            loop.close();
            loop = null;
        }
    }
}

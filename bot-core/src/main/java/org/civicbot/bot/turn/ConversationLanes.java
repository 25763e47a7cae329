package org.civicbot.bot.turn;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.conversation.ConversationStore;
import org.civicbot.bot.inbound.InboundLog;
import org.civicbot.bot.inbound.InboundRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * One lane per conversation with work: at most one drain of a conversation's stored messages runs at a
 * time in this process, and a message that arrives while it runs makes it go round once more. Lanes
 * with no work are dropped, so memory follows the conversations active now, not all there ever were.
 * Across processes, the conversation's version keeps turns from interleaving. A message stored by this process
 * is handed to its lane as stored, so its turn need not read it back. A message stored but not queued yet (see
 * {@link InboundLog}) is queued by its lane's next drain, before any turn, with those that came before it.
 */
public class ConversationLanes implements InboundLog.WorkSignal {

    private static final Logger log = LoggerFactory.getLogger(ConversationLanes.class);

    /** The longest wait between two tries at queuing stored messages the store refused. */
    static final Duration QUEUE_RETRY_MAX = Duration.ofSeconds(5);

    private final TurnProcessor processor;
    private final ConversationStore conversations;
    private final Clock clock;
    private final Scheduler scheduler;
    private volatile boolean closed;
    private final AtomicInteger held = new AtomicInteger();
    /** Per conversation: signals not yet served. Changed only inside {@code compute}, which is atomic per key. */
    private final ConcurrentMap<String, Lane> pending = new ConcurrentHashMap<>();

    /**
     * Signals not yet served, the messages stored here they came with, those of them still to queue (in arrival
     * order), and the newest state of the conversation this process has seen (as queuing or the last turn left it),
     * for the next drain to start from.
     */
    private record Lane(int signals, List<InboundRecord> arrived, List<InboundRecord> unqueued,
            Conversation latest) {

        static final Lane NONE = new Lane(0, List.of(), List.of(), null);

        Lane plus(InboundRecord record, boolean fresh, boolean toQueue, Conversation seen) {
            return new Lane(signals + 1, fresh ? with(arrived, record) : arrived,
                    toQueue ? with(unqueued, record) : unqueued, newer(latest, seen));
        }

        /** What a drain about to start takes: the signals stay counted, the rest goes with the drain. */
        Lane served() {
            return new Lane(signals, List.of(), List.of(), null);
        }

        /** The records and this one after them, unless they hold it already (handed again by the sweeper). */
        private static List<InboundRecord> with(List<InboundRecord> records, InboundRecord record) {
            if (records.stream().anyMatch(r -> r.id().equals(record.id()))) {
                return records;
            }
            List<InboundRecord> more = new ArrayList<>(records.size() + 1);
            more.addAll(records);
            more.add(record);
            return more;
        }

        /**
         * The later of two states: the higher version; at the same version the longer inbox, since between two
         * turns messages are mostly added to its end (one taken off without a turn is dropped again by its lane,
         * which reads its record).
         */
        static Conversation newer(Conversation a, Conversation b) {
            if (a == null || b == null) {
                return a == null ? b : a;
            }
            if (a.version() != b.version()) {
                return a.version() > b.version() ? a : b;
            }
            return a.queued().size() >= b.queued().size() ? a : b;
        }
    }

    public ConversationLanes(TurnProcessor processor, ConversationStore conversations, Clock clock) {
        this(processor, conversations, clock, Schedulers.boundedElastic());
    }

    ConversationLanes(TurnProcessor processor, ConversationStore conversations, Clock clock, Scheduler scheduler) {
        this.processor = processor;
        this.conversations = conversations;
        this.clock = clock;
        this.scheduler = scheduler;
    }

    @Override
    public void arrived(String conversationId) {
        arrived(conversationId, null, false, false, null);
    }

    @Override
    public void arrived(InboundRecord record, Conversation queuedOn) {
        arrived(record.conversationId(), record, true, false, queuedOn);
    }

    @Override
    public void stored(InboundRecord record, boolean fresh) {
        arrived(record.conversationId(), record, fresh, true, null);
    }

    private void arrived(String conversationId, InboundRecord record, boolean fresh, boolean toQueue,
            Conversation seen) {
        Lane[] started = {null};
        pending.compute(conversationId, (id, lane) -> {
            Lane before = lane == null ? Lane.NONE : lane;
            Lane now = before.plus(record, fresh && record != null, toQueue && record != null, seen);
            held.addAndGet(now.unqueued().size() - before.unqueued().size());
            started[0] = lane == null ? now : null;
            return lane == null ? now.served() : now;
        });
        if (started[0] != null) {
            drain(conversationId, started[0]);
        }
    }

    /** Stops trying again to queue what the store refused: the app is stopping. */
    public void close() {
        closed = true;
    }

    /**
     * Stored messages this process's lanes hold and have not queued yet: part of the inbound backlog that no inbox
     * shows (a moment's worth, unless the store refuses the queuing).
     */
    public int held() {
        return held.get();
    }

    /** Whether any lane is draining now (for tests). */
    public boolean idle() {
        return pending.isEmpty();
    }

    /**
     * Queues, in this order and in one command, messages stored but not queued yet: the conversation as it is then.
     * A store that refuses the write (a primary being elected, a full disk being freed) is tried again and again, at
     * most every {@link #QUEUE_RETRY_MAX}, with the lane held meanwhile, so that nothing arriving later goes ahead of
     * them: the provider was answered, and will not deliver them again. Whatever the error, since none is the
     * messages' fault (their ids are the only thing written), and a conversation held for ever is in the log.
     */
    private Mono<Conversation> queue(List<InboundRecord> unqueued) {
        InboundRecord first = unqueued.get(0);
        List<String> ids = unqueued.stream().map(InboundRecord::id).toList();
        return Mono.defer(() -> conversations.queue(first.conversationId(), first.channel(), first.address(),
                        first.displayName(), ids, clock.instant()))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100)).maxBackoff(QUEUE_RETRY_MAX)
                        // Stopped: the next start's sweep queues what is stored.
                        .filter(e -> !closed)
                        .doBeforeRetry(retry -> {
                            if (retry.totalRetries() % 10 == 0) {
                                log.warn("Queuing {} stored messages failed {} times; trying again: {}", ids.size(),
                                        retry.totalRetries() + 1, retry.failure().toString());
                            }
                        }));
    }

    private void drain(String conversationId, Lane served) {
        Conversation[] last = {null};
        // Counted as held until queued, or until the drain ends without queuing them (left to the sweeper).
        AtomicInteger holding = new AtomicInteger(served.unqueued().size());
        Mono.defer(() -> served.unqueued().isEmpty()
                        ? processor.processPending(conversationId, served.arrived(), served.latest())
                        : queue(served.unqueued())
                                .doOnNext(queued -> held.addAndGet(-holding.getAndSet(0)))
                                .flatMap(queued -> processor.processPending(conversationId, served.arrived(), queued)))
                .doOnNext(conversation -> last[0] = conversation)
                .subscribeOn(scheduler)
                .onErrorResume(e -> {
                    log.warn("Lane {} stopped: {}", conversationId, e.toString());
                    return Mono.empty();
                })
                .doFinally(signal -> {
                    held.addAndGet(-holding.getAndSet(0));
                    Lane[] more = {null};
                    pending.compute(conversationId, (id, lane) -> {
                        int left = lane.signals() - served.signals();
                        more[0] = left == 0 ? null : new Lane(left, lane.arrived(), lane.unqueued(),
                                Lane.newer(lane.latest(), last[0]));
                        return left == 0 ? null : more[0].served();
                    });
                    if (more[0] != null) {
                        drain(conversationId, more[0]);
                    }
                })
                .subscribe();
    }
}

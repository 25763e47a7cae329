package org.civicbot.bot.turn;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.inbound.InboundLog;
import org.civicbot.bot.inbound.InboundRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * One lane per conversation with work: at most one drain of a conversation's stored messages runs at a
 * time in this process, and a message that arrives while it runs makes it go round once more. Lanes
 * with no work are dropped, so memory follows the conversations active now, not all there ever were.
 * Across processes, the conversation's version keeps turns from interleaving. A message stored by this process
 * is handed to its lane as stored, so its turn need not read it back.
 */
public class ConversationLanes implements InboundLog.WorkSignal {

    private static final Logger log = LoggerFactory.getLogger(ConversationLanes.class);

    private final TurnProcessor processor;
    private final Scheduler scheduler;
    /** Per conversation: signals not yet served. Changed only inside {@code compute}, which is atomic per key. */
    private final ConcurrentMap<String, Lane> pending = new ConcurrentHashMap<>();

    /**
     * Signals not yet served, the messages stored here they came with, and the newest state of the conversation this
     * process has seen (as queuing or the last turn left it), for the next drain to start from.
     */
    private record Lane(int signals, List<InboundRecord> arrived, Conversation latest) {

        Lane plus(InboundRecord record, Conversation seen) {
            List<InboundRecord> more = arrived;
            if (record != null) {
                more = new ArrayList<>(arrived);
                more.add(record);
            }
            return new Lane(signals + 1, more, newer(latest, seen));
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

    public ConversationLanes(TurnProcessor processor) {
        this(processor, Schedulers.boundedElastic());
    }

    ConversationLanes(TurnProcessor processor, Scheduler scheduler) {
        this.processor = processor;
        this.scheduler = scheduler;
    }

    @Override
    public void arrived(String conversationId) {
        arrived(conversationId, null, null);
    }

    @Override
    public void arrived(InboundRecord record, Conversation queuedOn) {
        arrived(record.conversationId(), record, queuedOn);
    }

    private void arrived(String conversationId, InboundRecord record, Conversation seen) {
        Lane[] started = {null};
        pending.compute(conversationId, (id, lane) -> {
            Lane now = (lane == null ? new Lane(0, List.of(), null) : lane).plus(record, seen);
            started[0] = lane == null ? now : null;
            return lane == null ? new Lane(now.signals(), List.of(), null) : now;
        });
        if (started[0] != null) {
            drain(conversationId, started[0]);
        }
    }

    /** Whether any lane is draining now (for tests and shutdown). */
    public boolean idle() {
        return pending.isEmpty();
    }

    private void drain(String conversationId, Lane served) {
        Conversation[] last = {null};
        Mono.defer(() -> processor.processPending(conversationId, served.arrived(), served.latest()))
                .doOnNext(conversation -> last[0] = conversation)
                .subscribeOn(scheduler)
                .onErrorResume(e -> {
                    log.warn("Lane {} stopped: {}", conversationId, e.toString());
                    return Mono.empty();
                })
                .doFinally(signal -> {
                    Lane[] more = {null};
                    pending.compute(conversationId, (id, lane) -> {
                        int left = lane.signals() - served.signals();
                        more[0] = left == 0 ? null : new Lane(left, lane.arrived(), Lane.newer(lane.latest(), last[0]));
                        return left == 0 ? null : new Lane(left, List.of(), null);
                    });
                    if (more[0] != null) {
                        drain(conversationId, more[0]);
                    }
                })
                .subscribe();
    }
}

package org.civicbot.bot.turn;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.civicbot.bot.inbound.InboundLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * One lane per conversation with work: at most one drain of a conversation's stored messages runs at a
 * time in this process, and a message that arrives while it runs makes it go round once more. Lanes
 * with no work are dropped, so memory follows the conversations active now, not all there ever were.
 * Across processes, the conversation's version keeps turns from interleaving.
 */
public class ConversationLanes implements InboundLog.WorkSignal {

    private static final Logger log = LoggerFactory.getLogger(ConversationLanes.class);

    private final TurnProcessor processor;
    private final Scheduler scheduler;
    /** Per conversation: signals not yet served. Changed only inside {@code compute}, which is atomic per key. */
    private final ConcurrentMap<String, Integer> pending = new ConcurrentHashMap<>();

    public ConversationLanes(TurnProcessor processor) {
        this(processor, Schedulers.boundedElastic());
    }

    ConversationLanes(TurnProcessor processor, Scheduler scheduler) {
        this.processor = processor;
        this.scheduler = scheduler;
    }

    @Override
    public void arrived(String conversationId) {
        boolean[] start = {false};
        pending.compute(conversationId, (id, signals) -> {
            start[0] = signals == null;
            return signals == null ? 1 : signals + 1;
        });
        if (start[0]) {
            drain(conversationId, 1);
        }
    }

    /** Whether any lane is draining now (for tests and shutdown). */
    public boolean idle() {
        return pending.isEmpty();
    }

    private void drain(String conversationId, int served) {
        Mono.defer(() -> processor.processPending(conversationId))
                .subscribeOn(scheduler)
                .onErrorResume(e -> {
                    log.warn("Lane {} stopped: {}", conversationId, e.toString());
                    return Mono.empty();
                })
                .doFinally(signal -> {
                    int[] more = {0};
                    pending.compute(conversationId, (id, signals) -> {
                        int left = signals - served;
                        more[0] = left;
                        return left == 0 ? null : left;
                    });
                    if (more[0] > 0) {
                        drain(conversationId, more[0]);
                    }
                })
                .subscribe();
    }
}

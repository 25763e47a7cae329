package org.civicbot.bot.turn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

class ConversationLanesTests {

    /**
     * A TurnProcessor whose drains the test finishes by hand. It has no store: the lanes only call these
     * three methods.
     */
    static final class HeldProcessor extends TurnProcessor {
        final List<String> drains = new CopyOnWriteArrayList<>();
        /** What each drain was handed: the messages stored here, and the conversation to start from. */
        final List<Drain> handed = new CopyOnWriteArrayList<>();

        record Drain(List<String> arrived, org.civicbot.bot.conversation.Conversation latest) {}
        final Map<String, Sinks.Empty<Void>> running = new ConcurrentHashMap<>();

        HeldProcessor() {
            super(null, null, null, null, null, List.of(), null, null, null, null, null, null, null, null, null, "1");
        }

        @Override
        public Mono<org.civicbot.bot.conversation.Conversation> processPending(String conversationId,
                List<org.civicbot.bot.inbound.InboundRecord> arrived, org.civicbot.bot.conversation.Conversation latest) {
            handed.add(new Drain(arrived.stream().map(org.civicbot.bot.inbound.InboundRecord::id).toList(), latest));
            drains.add(conversationId);
            Sinks.Empty<Void> drain = Sinks.empty();
            running.put(conversationId, drain);
            return drain.asMono().then(Mono.empty());
        }

        void finish(String conversationId) {
            running.remove(conversationId).tryEmitEmpty();
        }

        void fail(String conversationId) {
            running.remove(conversationId).tryEmitError(new IllegalStateException("store down"));
        }
    }

    HeldProcessor processor = new HeldProcessor();
    ConversationLanes lanes = new ConversationLanes(processor, null, null, Schedulers.immediate());

    @Test
    void drainsAConversationOnceAtATimeAndOnceMoreForWhatArrivedMeanwhile() {
        lanes.arrived("a");
        lanes.arrived("a");
        lanes.arrived("a");
        assertThat(processor.drains).containsExactly("a");

        processor.finish("a");
        assertThat(processor.drains).containsExactly("a", "a");
        assertThat(lanes.idle()).isFalse();

        processor.finish("a");
        assertThat(processor.drains).containsExactly("a", "a");
        assertThat(lanes.idle()).isTrue();
    }

    @Test
    void drainsTwoConversationsAtTheSameTime() {
        lanes.arrived("a");
        lanes.arrived("b");

        assertThat(processor.drains).containsExactly("a", "b");

        processor.finish("b");
        processor.finish("a");
        assertThat(lanes.idle()).isTrue();
    }

    @Test
    void keepsALaneWorkingAfterAFailedDrain() {
        lanes.arrived("a");
        processor.fail("a");
        assertThat(lanes.idle()).isTrue();

        lanes.arrived("a");
        assertThat(processor.drains).containsExactly("a", "a");
        processor.finish("a");
        assertThat(lanes.idle()).isTrue();
    }
}

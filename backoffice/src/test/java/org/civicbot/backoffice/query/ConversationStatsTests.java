package org.civicbot.backoffice.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.civicbot.bot.conversation.ConversationEvent;
import org.junit.jupiter.api.Test;

/** The wait for a person runs from asking to the next takeover, per conversation, in whatever order events come. */
class ConversationStatsTests {

    private static final Instant T = Instant.parse("2026-11-30T09:00:00Z");

    @Test
    void theWaitForAPersonRunsFromAskingToTheNextTakeover() {
        java.util.Set<String> seen = java.util.Set.of("a", "b", "c");
        List<ConversationEvent> events = List.of(
                event("b", 600, "TAKEN_OVER"), event("a", 0, "HANDOFF_REQUESTED"), event("a", 120, "TAKEN_OVER"),
                event("b", 0, "HANDOFF_REQUESTED"),
                // Asked twice before anyone took it over: the wait counts from the first time.
                event("c", 0, "HANDOFF_REQUESTED"), event("c", 60, "HANDOFF_REQUESTED"),
                event("c", 1800, "TAKEN_OVER"),
                // A conversation the staff member may not see counts for nothing.
                event("hidden", 0, "HANDOFF_REQUESTED"), event("hidden", 9000, "TAKEN_OVER"));
        ConversationStats.Figures figures = ConversationStats.figures(seen, 3, 1, List.of(), List.of(), events);
        assertThat(figures.handoffs()).isEqualTo(4);
        assertThat(figures.takeovers()).isEqualTo(3);
        assertThat(figures.medianMinutesToTakeover()).isEqualTo(10.0);
        assertThat(figures.p90MinutesToTakeover()).isEqualTo(30.0);
        assertThat(figures.conversations()).isEqualTo(3);
        assertThat(figures.waitingNow()).isEqualTo(1);
    }

    private static ConversationEvent event(String conversation, long seconds, String type) {
        return new ConversationEvent(conversation + type + seconds, conversation, T.plusSeconds(seconds), type,
                "anna", null);
    }
}

package org.civicbot.bot.conversation;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.civicbot.bot.outbox.DeliveryStatus;
import org.civicbot.bot.outbox.Outbox;
import org.civicbot.bot.outbox.OutboxEntry;
import org.civicbot.flows.Commands;
import org.civicbot.flows.FlowBundle;
import org.civicbot.flows.Language;
import reactor.core.publisher.Mono;

/**
 * Messages the platform sends a citizen on its own (an incident's steps, a queue notice), in their
 * language and in the words of the flows in force ({@code commands.notices}), once per key. Never while staff own the conversation, and never to a contact who opted out:
 * those are kept on the timeline as held, for staff to see.
 */
public class CitizenNotices {

    private final ConversationStore conversations;
    private final ConversationEvents events;
    private final Outbox outbox;
    private final Supplier<FlowBundle> flows;
    private final Clock clock;

    public CitizenNotices(ConversationStore conversations, ConversationEvents events, Outbox outbox,
            Supplier<FlowBundle> flows, Clock clock) {
        this.conversations = conversations;
        this.events = events;
        this.outbox = outbox;
        this.flows = flows;
        this.clock = clock;
    }

    /** The notice texts of the flows in force. */
    public Commands.NoticeTexts texts() {
        return flows.get().commands().notices();
    }

    /**
     * Sends the notice unless it must be held.
     *
     * @param key what the notice is about (e.g. {@code incident-closed:INC-2026-000001:3}); the same key
     *     twice sends once
     * @return whether it was sent (queued in the outbox)
     */
    public Mono<Boolean> send(String conversationId, String key,
            BiFunction<Commands.NoticeTexts, Language, String> text) {
        return conversations.find(conversationId).flatMap(conversation -> {
            Language language = SessionCodec.read(conversation.session(), Language.DEFAULT).language();
            boolean optedOut = SessionCodec.read(conversation.session(), Language.DEFAULT).optedOut();
            String body = text.apply(texts(), language);
            Instant now = clock.instant();
            if (conversation.status() == ConversationStatus.AGENT || optedOut) {
                String why = optedOut ? "the citizen opted out" : "staff own the conversation";
                return events.record(new ConversationEvent("notice:" + key, conversationId, now, "NOTICE_HELD",
                        "system", "Not sent (" + why + "): " + body)).thenReturn(false);
            }
            return conversations.nextOrder(conversationId).flatMap(order -> {
                OutboxEntry entry = new OutboxEntry("notice:" + key, conversationId, conversation.channel(),
                        conversation.address(), body, List.of(), order * PendingTurns.ORDERS_PER_TURN,
                        "SYSTEM", null, DeliveryStatus.PENDING, 0, null, null, null, null, now, null, now, null);
                return outbox.enqueue(List.of(entry));
            }).thenReturn(true);
        }).defaultIfEmpty(false);
    }
}

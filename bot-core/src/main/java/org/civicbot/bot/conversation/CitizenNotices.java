package org.civicbot.bot.conversation;

import java.time.Clock;
import java.time.Instant;
import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.civicbot.bot.outbox.Outbox;
import org.civicbot.bot.outbox.OutboxEntry;
import org.civicbot.flows.Commands;
import org.civicbot.flows.FlowBundle;
import org.civicbot.flows.Language;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.publisher.Mono;

/**
 * Messages the platform sends a citizen on its own (an incident's steps, a queue notice), in their
 * language and in the words of the flows in force ({@code commands.notices}), once per key, within the
 * {@link OutboundPolicy}.
 */
public class CitizenNotices {

    private final ConversationStore conversations;
    private final ConversationEvents events;
    private final Outbox outbox;
    private final Supplier<FlowBundle> flows;
    private final OutboundPolicy policy;
    private final ReactiveMongoTemplate mongo;
    private final Clock clock;

    public CitizenNotices(ReactiveMongoTemplate mongo, ConversationStore conversations, ConversationEvents events,
            Outbox outbox, Supplier<FlowBundle> flows, OutboundPolicy policy, Clock clock) {
        this.mongo = mongo;
        this.policy = policy;
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

    /** Sends a notice of the platform's (a queue notice), held when it cannot go now. */
    public Mono<Boolean> send(String conversationId, String key,
            BiFunction<Commands.NoticeTexts, Language, String> text) {
        return send(conversationId, key, OutboundPolicy.REPLY, Map.of(), text);
    }

    /**
     * Sends the notice if it may go now; otherwise keeps it on the conversation, to go first as soon as it can.
     * Nothing goes to a contact who opted out (staff see it on the timeline). While staff own the conversation,
     * it waits for the bot to have it back. Outside WhatsApp's 24-hour window, the approved template of
     * {@code purpose} goes instead, if there is one, and the full text waits for the citizen's next message.
     *
     * @param key what the notice is about (e.g. {@code incident-status:INC-2026-000001:3}); the same key
     *     twice sends once
     * @param variables the template's variables ({@code {"1": code}})
     * @return whether it went out (queued in the outbox) now
     */
    public Mono<Boolean> send(String conversationId, String key, String purpose, Map<String, String> variables,
            BiFunction<Commands.NoticeTexts, Language, String> text) {
        return send(conversationId, key, purpose, variables, text, false);
    }

    /**
     * As {@link #send(String, String, String, Map, BiFunction)}, but also while staff own the conversation when
     * {@code fromStaff}: a notice of what the staff member in the chat just did (an incident they registered).
     */
    public Mono<Boolean> send(String conversationId, String key, String purpose, Map<String, String> variables,
            BiFunction<Commands.NoticeTexts, Language, String> text, boolean fromStaff) {
        return deliver(conversationId, key, purpose, variables, text, fromStaff)
                .map(outcome -> outcome == Outcome.SENT || outcome == Outcome.TEMPLATE);
    }

    /** What became of a notice. */
    public enum Outcome {
        /** In the outbox. */
        SENT,
        /** The template went; the text waits for the contact's next message. */
        TEMPLATE,
        /** Kept on the conversation until it can go. */
        HELD,
        /** Not sent: the contact opted out. */
        OPTED_OUT,
        /** No such conversation. */
        NO_CONVERSATION
    }

    /** As {@link #send(String, String, String, Map, BiFunction, boolean)}, saying what became of it. */
    public Mono<Outcome> deliver(String conversationId, String key, String purpose, Map<String, String> variables,
            BiFunction<Commands.NoticeTexts, Language, String> text, boolean fromStaff) {
        return conversations.find(conversationId).flatMap(conversation -> {
            Language language = SessionCodec.read(conversation.session(), Language.DEFAULT).language();
            boolean optedOut = SessionCodec.read(conversation.session(), Language.DEFAULT).optedOut();
            String body = text.apply(texts(), language);
            Instant now = clock.instant();
            String id = "notice:" + key;
            if (optedOut) {
                return event(conversationId, id, now, "Not sent (the citizen opted out): " + body)
                        .thenReturn(Outcome.OPTED_OUT);
            }
            if (conversation.status() == ConversationStatus.AGENT && !fromStaff) {
                return hold(conversation, id, body, Conversation.Release.BOT_SPEAKS, "staff own the conversation", now)
                        .thenReturn(Outcome.HELD);
            }
            OutboundPolicy.Way way = policy.way(conversation, now, purpose, language);
            if (way instanceof OutboundPolicy.Way.Template template) {
                return enqueue(conversation, id + ":template", "WhatsApp template " + purpose + " ("
                                + template.contentSid() + ") " + variables
                                + "; the full message waits for the citizen's reply", template.contentSid(),
                        variables, now)
                        .then(hold(conversation, id, body, Conversation.Release.CITIZEN_WRITES,
                                "outside WhatsApp's 24-hour window; the " + purpose + " template went instead", now))
                        .thenReturn(Outcome.TEMPLATE);
            }
            if (way instanceof OutboundPolicy.Way.Hold hold) {
                return hold(conversation, id, body, Conversation.Release.CITIZEN_WRITES, hold.reason(), now)
                        .thenReturn(Outcome.HELD);
            }
            return enqueue(conversation, id, body, null, Map.of(), now).thenReturn(Outcome.SENT);
        }).defaultIfEmpty(Outcome.NO_CONVERSATION);
    }

    private Mono<Void> enqueue(Conversation conversation, String id, String text, String contentSid,
            Map<String, String> variables, Instant now) {
        return conversations.nextOrder(conversation.id()).flatMap(order -> outbox.enqueue(List.of(OutboxEntry.pending(id,
                conversation.id(), conversation.channel(), conversation.address(), text, List.of(),
                order * PendingTurns.ORDERS_PER_TURN, "SYSTEM", null, now).withTemplate(contentSid, variables))));
    }

    /** Keeps the message on the conversation (once per id) and says so on its timeline. */
    Mono<Void> hold(Conversation conversation, String id, String body, Conversation.Release release, String reason,
            Instant now) {
        Conversation.HeldMessage held = new Conversation.HeldMessage(id, body, "SYSTEM", null, now, release, reason);
        return mongo.updateFirst(query(where("_id").is(conversation.id()).and("held.key").ne(id)),
                        // The version moves, so a turn saved meanwhile learns of it (it releases what is held).
                        new Update().push("held", held).inc("version", 1L), Conversation.class)
                .then(event(conversation.id(), id, now, "Held (" + reason + "): " + body));
    }

    private Mono<Void> event(String conversationId, String id, Instant now, String text) {
        return events.record(new ConversationEvent(id, conversationId, now, "NOTICE_HELD", "system", text));
    }
}

package org.civicbot.bot.conversation;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.civicbot.bot.engine.Engine;
import org.civicbot.bot.engine.Session;
import org.civicbot.bot.engine.Turn;
import org.civicbot.bot.engine.TurnContext;
import org.civicbot.flows.Language;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.publisher.Mono;

/**
 * What staff do with a conversation: take it over, reply, hand it back to the bot, close it. Each is one
 * atomic update, so of two staff who take over at once exactly one wins, and the other learns who.
 */
public class StaffDesk {

    private final ReactiveMongoTemplate mongo;
    private final ConversationStore conversations;
    private final PendingTurns pendingTurns;
    private final Supplier<Engine> engine;
    private final ConversationEvents events;
    private final OutboundPolicy policy;
    private final Clock clock;
    private final Satisfaction satisfaction;

    public StaffDesk(ReactiveMongoTemplate mongo, ConversationStore conversations, PendingTurns pendingTurns,
            Supplier<Engine> engine, ConversationEvents events, OutboundPolicy policy, Clock clock) {
        this(mongo, conversations, pendingTurns, engine, events, policy, clock, null);
    }

    /** @param satisfaction asks a citizen whose chat with staff is closed how satisfied they are; null: nobody */
    public StaffDesk(ReactiveMongoTemplate mongo, ConversationStore conversations, PendingTurns pendingTurns,
            Supplier<Engine> engine, ConversationEvents events, OutboundPolicy policy, Clock clock,
            Satisfaction satisfaction) {
        this.satisfaction = satisfaction;
        this.mongo = mongo;
        this.policy = policy;
        this.conversations = conversations;
        this.pendingTurns = pendingTurns;
        this.engine = engine;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Who acts: a staff member, and whether they may act on a conversation a colleague owns (supervisors
     * and admins may close or hand back someone else's conversation).
     */
    public record Actor(String username, boolean supervisor) {

        public static Actor staff(String username) {
            return new Actor(username, false);
        }
    }

    /** Someone else owns the conversation, or it is not in a state that allows the action. */
    public static final class Conflict extends RuntimeException {
        private final String owner;

        public Conflict(String message, String owner) {
            super(message);
            this.owner = owner;
        }

        public String owner() {
            return owner;
        }
    }

    /**
     * Free text cannot go to this WhatsApp conversation: the citizen last wrote more than 24 hours ago. Staff may
     * send the approved reply template instead, and their text then waits for the citizen's answer.
     */
    public static final class OutsideWindow extends RuntimeException {
        private final java.time.Instant closedAt;

        public OutsideWindow(java.time.Instant closedAt) {
            super("the citizen last wrote more than 24 hours ago, so WhatsApp only takes an approved template: send"
                    + " the reply with \"template\": true and it will wait for the citizen's answer");
            this.closedAt = closedAt;
        }

        public java.time.Instant closedAt() {
            return closedAt;
        }
    }

    /** No conversation with that id. */
    public static final class NotFound extends RuntimeException {
        public NotFound(String id) {
            super("no conversation " + id);
        }
    }

    /** Takes the conversation over for {@code staff}; the bot is silent from now on. */
    public Mono<Conversation> takeOver(String conversationId, String staff) {
        Update update = new Update().set("status", ConversationStatus.AGENT).set("assignee", staff)
                .set("claimedAt", clock.instant()).unset("awaitingSince").inc("version", 1L);
        return mongo.findAndModify(query(where("_id").is(conversationId).and("status").in(
                                ConversationStatus.BOT, ConversationStatus.AWAITING_AGENT, ConversationStatus.CLOSED)),
                        update, FindAndModifyOptions.options().returnNew(true), Conversation.class)
                .flatMap(taken -> event(taken, "TAKEN_OVER", staff, null).thenReturn(taken))
                .switchIfEmpty(Mono.defer(() -> conversations.find(conversationId)
                        .switchIfEmpty(Mono.error(new NotFound(conversationId)))
                        .flatMap(current -> staff.equals(current.assignee())
                                ? Mono.just(current)
                                : Mono.error(new Conflict("taken over by " + current.assignee(), current.assignee())))));
    }

    /**
     * Sends a staff message through the citizen's channel. The same idempotency key again sends nothing
     * more and returns the first message's id.
     */
    public Mono<String> reply(String conversationId, String staff, String text, String idempotencyKey) {
        return reply(conversationId, staff, text, idempotencyKey, false);
    }

    /**
     * Sends a staff message; outside WhatsApp's 24-hour window, refused unless {@code template}, in which case
     * the approved reply template goes now and the text waits for the citizen's answer (delivered first).
     */
    public Mono<String> reply(String conversationId, String staff, String text, String idempotencyKey,
            boolean template) {
        return owned(conversationId, staff).flatMap(conversation -> {
            String turnId = "staff:" + conversationId + ":" + idempotencyKey;
            Instant now = clock.instant();
            if (!policy.windowOpen(conversation, now)) {
                if (!template) {
                    return Mono.error(new OutsideWindow(policy.windowClosesAt(conversation).orElse(now)));
                }
                return replyOutsideWindow(conversation, staff, text, turnId, now);
            }
            Conversation.PendingTurn turn = Conversation.PendingTurn.of(turnId,
                    List.of(new Conversation.PendingMessage(text, List.of(), "STAFF", staff)),
                    conversation.nextVersion(), now);
            return save(conversation, new Update().set("pendingTurn", turn).set("lastMessageAt", now))
                    .thenReturn(turnId + "/0");
        });
    }

    private Mono<String> replyOutsideWindow(Conversation conversation, String staff, String text, String turnId,
            Instant now) {
        Language language = SessionCodec.read(conversation.session(), Language.DEFAULT).language();
        OutboundPolicy.Way way = policy.way(conversation, now, OutboundPolicy.REPLY, language);
        if (!(way instanceof OutboundPolicy.Way.Template template)) {
            return Mono.error(new Conflict(((OutboundPolicy.Way.Hold) way).reason(), conversation.assignee()));
        }
        Conversation.PendingTurn turn = Conversation.PendingTurn.of(turnId, List.of(new Conversation.PendingMessage(
                "WhatsApp template " + OutboundPolicy.REPLY + " (" + template.contentSid() + "); the reply waits for"
                        + " the citizen's answer", List.of(), "STAFF", staff, null, template.contentSid())),
                conversation.nextVersion(), now);
        Conversation.HeldMessage held = new Conversation.HeldMessage(turnId + "/held", text, "STAFF", staff, now,
                Conversation.Release.CITIZEN_WRITES, "outside WhatsApp's 24-hour window");
        return save(conversation, new Update().set("pendingTurn", turn).set("lastMessageAt", now).push("held", held))
                .thenReturn(turnId + "/0");
    }

    /**
     * Hands the conversation back to the bot, at {@code nodeRef} ({@code flow/node}) or at the main menu,
     * after an optional note to the citizen.
     */
    public Mono<Conversation> release(String conversationId, String staff, Optional<String> nodeRef,
            Optional<String> note) {
        return release(conversationId, Actor.staff(staff), nodeRef, note);
    }

    public Mono<Conversation> release(String conversationId, Actor actor, Optional<String> nodeRef,
            Optional<String> note) {
        String staff = actor.username();
        if (nodeRef.isPresent() && !engine.get().hasNode(nodeRef.get())) {
            return Mono.error(new IllegalArgumentException("no node " + nodeRef.get() + " in the flows"));
        }
        return owned(conversationId, actor).flatMap(conversation -> {
            Instant now = clock.instant();
            String turnId = "release:" + conversationId + ":" + conversation.version();
            Session session = SessionCodec.read(conversation.session(), Language.DEFAULT);
            Turn turn = engine.get().jumpTo(session, nodeRef, new TurnContext(turnId, now));
            List<Conversation.PendingMessage> messages = new ArrayList<>();
            // What waited for the bot to have the conversation back goes first.
            List<Conversation.HeldMessage> waiting = conversation.heldMessages().stream()
                    .filter(h -> h.release() == Conversation.Release.BOT_SPEAKS).toList();
            waiting.forEach(h -> messages.add(new Conversation.PendingMessage(h.text(), List.of(), h.author(),
                    h.staffUser())));
            note.filter(n -> !n.isBlank())
                    .ifPresent(n -> messages.add(new Conversation.PendingMessage(n, List.of(), "STAFF", staff)));
            messages.addAll(Conversation.PendingTurn.of(turnId, turn, 0, null, now).messages());
            // The department stays: the chat remains within the scope of the department that handled it.
            Update update = new Update().set("status", ConversationStatus.BOT).unset("assignee")
                    .set("session", SessionCodec.write(turn.session()));
            if (policy.windowOpen(conversation, now)) {
                update.set("pendingTurn", Conversation.PendingTurn.of(turnId, messages, conversation.nextVersion(), now));
                if (!waiting.isEmpty()) {
                    update.pullAll("held", waiting.toArray());
                }
            } else {
                // WhatsApp's window is closed: all of it waits for the citizen's next message.
                for (int i = waiting.size(); i < messages.size(); i++) {
                    Conversation.PendingMessage m = messages.get(i);
                    update.push("held", new Conversation.HeldMessage(turnId + "/" + i, m.text(), m.author(),
                            m.staffUser(), now, Conversation.Release.CITIZEN_WRITES, "outside WhatsApp's 24-hour window"));
                }
            }
            return save(conversation, update)
                    .flatMap(saved -> event(saved, "RELEASED", staff, nodeRef.orElse("main menu")).thenReturn(saved));
        });
    }

    /** Closes the conversation; the citizen's next message starts again with the bot. */
    public Mono<Conversation> close(String conversationId, String staff) {
        return close(conversationId, Actor.staff(staff));
    }

    /** Closes the conversation, unless a colleague owns it and the actor is no supervisor. */
    public Mono<Conversation> close(String conversationId, Actor actor) {
        return current(conversationId)
                .flatMap(conversation -> {
                    if (conversation.status() == ConversationStatus.AGENT && !actor.supervisor()
                            && !actor.username().equals(conversation.assignee())) {
                        return Mono.error(new Conflict("taken over by " + conversation.assignee(),
                                conversation.assignee()));
                    }
                    Session session = SessionCodec.read(conversation.session(), Language.DEFAULT);
                    Update update = new Update().set("status", ConversationStatus.CLOSED).unset("assignee")
                            .unset("awaitingSince")
                            .set("session", SessionCodec.write(Session.fresh(session.language())
                                    .withContactFacts(session)));
                    boolean attended = conversation.status() == ConversationStatus.AGENT;
                    return save(conversation, update)
                            .flatMap(saved -> event(saved, "CLOSED", actor.username(), null)
                                    .then(attended && satisfaction != null ? satisfaction.ask(saved.id(),
                                            "chat:" + saved.id() + ":" + saved.version(),
                                            (texts, language) -> texts.satisfactionChat().in(language))
                                            : Mono.just(false))
                                    .thenReturn(saved));
                });
    }

    private Mono<Conversation> owned(String conversationId, String staff) {
        return owned(conversationId, Actor.staff(staff));
    }

    private Mono<Conversation> owned(String conversationId, Actor actor) {
        return current(conversationId)
                .flatMap(conversation -> conversation.status() == ConversationStatus.AGENT
                        && (actor.username().equals(conversation.assignee()) || actor.supervisor())
                        ? Mono.just(conversation)
                        : Mono.error(new Conflict("take the conversation over first", conversation.assignee())));
    }

    /**
     * The conversation with any turn that was saved but not carried out carried out first, so that a
     * staff change, which saves a turn of its own, never overwrites one.
     */
    private Mono<Conversation> current(String conversationId) {
        return conversations.find(conversationId)
                .switchIfEmpty(Mono.error(new NotFound(conversationId)))
                .flatMap(pendingTurns::complete);
    }

    private Mono<Void> event(Conversation conversation, String type, String staff, String text) {
        return events.record(new ConversationEvent(type.toLowerCase(Locale.ROOT) + ":" + conversation.id()
                + ":" + conversation.version(), conversation.id(), clock.instant(), type, staff, text));
    }

    private Mono<Conversation> save(Conversation conversation, Update update) {
        return conversations.update(conversation, update)
                .switchIfEmpty(Mono.error(new Conflict("the conversation changed meanwhile; reload it",
                        conversation.assignee())))
                .flatMap(pendingTurns::complete);
    }
}

package org.civicbot.bot.conversation;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.civicbot.bot.engine.Engine;
import org.civicbot.bot.engine.Event;
import org.civicbot.bot.engine.Session;
import org.civicbot.bot.outbox.Outbox;
import org.civicbot.bot.outbox.OutboxEntry;
import org.civicbot.flows.Commands;
import org.civicbot.flows.FlowBundle;
import org.civicbot.flows.Language;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.publisher.Mono;

/**
 * "How satisfied are you?", once an incident a citizen reported is closed and once staff close their chat: one
 * short question with five buttons (the flows' {@code satisfaction_scale}), then an optional comment. Asked once
 * per contact and subject; never to a contact who opted out, nor while staff are talking with them, nor outside
 * WhatsApp's 24-hour window (a template to ask for an opinion would be worth less than the silence). Answers are
 * kept in {@value #COLLECTION}, and on the incident for its first reporter's.
 */
public class Satisfaction {

    public static final String COLLECTION = "satisfaction";

    private final ReactiveMongoTemplate mongo;
    private final ConversationStore conversations;
    private final ConversationEvents events;
    private final Outbox outbox;
    private final Supplier<FlowBundle> flows;
    private final OutboundPolicy policy;
    private final Clock clock;

    public Satisfaction(ReactiveMongoTemplate mongo, ConversationStore conversations, ConversationEvents events,
            Outbox outbox, Supplier<FlowBundle> flows, OutboundPolicy policy, Clock clock) {
        this.mongo = mongo;
        this.conversations = conversations;
        this.events = events;
        this.outbox = outbox;
        this.flows = flows;
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * A question asked, and its answer once it comes.
     *
     * @param id {@code about|conversationId}: one question per subject and contact
     * @param about {@code incident:<code>} or {@code chat:<conversation>:<n>}
     */
    @Document(COLLECTION)
    public record Answer(@Id String id, String about, String conversationId, Instant askedAt, Integer score,
            String comment, Instant answeredAt) {}

    /** What an incident's question is about. */
    public static String aboutIncident(String code) {
        return "incident:" + code;
    }

    /**
     * Asks the contact, if they may be asked now and never were about this.
     *
     * @return whether the question went out
     */
    public Mono<Boolean> ask(String conversationId, String about,
            BiFunction<Commands.NoticeTexts, Language, String> question) {
        Instant now = clock.instant();
        return conversations.find(conversationId).flatMap(conversation -> {
            if (conversation.session() == null) {
                return Mono.just(false);
            }
            Session session = SessionCodec.read(conversation.session(), Language.DEFAULT);
            Language language = session.language();
            if (session.optedOut() || conversation.status() == ConversationStatus.AGENT
                    || !(policy.way(conversation, now, OutboundPolicy.REPLY, language)
                            instanceof OutboundPolicy.Way.FreeText)) {
                return Mono.just(false);
            }
            String id = about + "|" + conversationId;
            Commands commands = flows.get().commands();
            String text = question.apply(commands.notices(), language);
            return mongo.insert(new Answer(id, about, conversationId, now, null, null, null))
                    .then(mongo.findAndModify(query(where("_id").is(conversationId)),
                            new Update().inc("version", 1L).set("session.survey",
                                    SessionCodec.survey(new Session.Survey(about, false))),
                            FindAndModifyOptions.options().returnNew(true), Conversation.class))
                    .flatMap(asked -> outbox.enqueue(List.of(OutboxEntry.pending("survey:" + id, conversationId,
                                    asked.channel(), asked.address(), text, commands.satisfactionScale().in(language),
                                    asked.version() * PendingTurns.ORDERS_PER_TURN, "SYSTEM", null, now)
                                    .withMenu(Engine.SURVEY_MENU)))
                            .then(events.record(new ConversationEvent("survey:" + id, conversationId, now,
                                    "SATISFACTION_ASKED", "system", about))))
                    .thenReturn(true)
                    // Asked before (this instance or another): once is enough.
                    .onErrorResume(DuplicateKeyException.class, e -> Mono.just(false));
        }).defaultIfEmpty(false);
    }

    /** Keeps a score or a comment the contact gave; an incident's first reporter's goes on the incident too. */
    public Mono<Void> record(String conversationId, Event event) {
        Instant now = clock.instant();
        String about;
        Update update = new Update().set("answeredAt", now);
        if (event instanceof Event.SatisfactionGiven given) {
            about = given.about();
            update.set("score", given.score());
        } else if (event instanceof Event.SatisfactionCommented commented) {
            about = commented.about();
            update.set("comment", commented.comment());
        } else {
            return Mono.empty();
        }
        Mono<Void> onIncident = Mono.empty();
        if (about.startsWith("incident:")) {
            String code = about.substring("incident:".length());
            Update incident = event instanceof Event.SatisfactionGiven given
                    ? new Update().set("satisfaction.score", given.score())
                    : new Update().set("satisfaction.comment", ((Event.SatisfactionCommented) event).comment());
            onIncident = mongo.updateFirst(query(where("code").is(code).and("conversationId").is(conversationId)),
                    incident, org.civicbot.bot.incident.Incident.class).then();
        }
        return mongo.updateFirst(query(where("_id").is(about + "|" + conversationId)), update, Answer.class)
                .then(onIncident);
    }
}

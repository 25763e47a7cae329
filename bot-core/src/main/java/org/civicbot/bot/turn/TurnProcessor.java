package org.civicbot.bot.turn;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.civicbot.bot.Channel;
import org.civicbot.bot.PathMetrics;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.conversation.ConversationStatus;
import org.civicbot.bot.conversation.ConversationEvent;
import org.civicbot.bot.conversation.ConversationEvents;
import org.civicbot.bot.conversation.ConversationStore;
import org.civicbot.bot.conversation.QueuePolicy;
import org.civicbot.bot.conversation.QueueWatch;
import org.civicbot.bot.conversation.PendingTurns;
import org.civicbot.bot.conversation.SessionCodec;
import org.civicbot.bot.conversation.Satisfaction;
import org.civicbot.bot.announcement.Subscriptions;
import org.civicbot.bot.engine.Engine;
import org.civicbot.bot.engine.Event;
import org.civicbot.bot.engine.Input;
import org.civicbot.bot.engine.Session;
import org.civicbot.bot.engine.Turn;
import org.civicbot.bot.engine.TurnContext;
import org.civicbot.bot.inbound.InboundContent;
import org.civicbot.bot.inbound.InboundRecord;
import org.civicbot.bot.live.LiveFeed;
import org.civicbot.bot.media.MediaFetcher;
import org.civicbot.bot.media.PhotoStore;
import org.civicbot.bot.incident.StatusAnswers;
import org.civicbot.flows.Language;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Applies a conversation's queued inbound messages in inbox order: starts from the conversation as queuing
 * returned it (or reads it), calls the engine unless staff own it, saves session and effects in one version-checked update that also takes
 * the message off the inbox, then carries the effects out (which marks the message processed). No
 * message is marked processed without its turn, and none is applied twice.
 */
public class TurnProcessor {

    private static final Logger log = LoggerFactory.getLogger(TurnProcessor.class);
    /** Version conflicts in a row before a message is left for a later try. */
    static final int MAX_CONFLICTS = 8;
    /** Failed tries before a message is set aside as FAILED, so it cannot block its conversation. */
    static final int MAX_ATTEMPTS = 3;

    private final ReactiveMongoTemplate mongo;
    private final ConversationStore conversations;
    private final PendingTurns pendingTurns;
    private final Supplier<Engine> engine;
    private final PhotoStore photos;
    private final Map<Channel, MediaFetcher> fetchers = new EnumMap<>(Channel.class);
    private final LiveFeed feed;
    private final ConversationEvents events;
    private final QueuePolicy queue;
    private final Clock clock;
    private final PathMetrics metrics;
    private final StatusAnswers statusAnswers;
    private final Lookups lookups;
    private final Satisfaction satisfaction;
    private final Subscriptions subscriptions;
    /** Lookups one turn may need, at most; past it the engine is told nothing more is found. */
    static final int MAX_LOOKUPS = 4;
    /** How a contact accepts the terms with the default notice: by writing again after reading it. */
    static final String CONTINUED_USE = "continued use";

    /** The version of the privacy terms in force ({@code civicbot.privacy.terms-version}). */
    private final String termsVersion;
    public TurnProcessor(ReactiveMongoTemplate mongo, ConversationStore conversations, PendingTurns pendingTurns,
            Supplier<Engine> engine, PhotoStore photos, List<MediaFetcher> fetchers, LiveFeed feed,
            ConversationEvents events, QueuePolicy queue, Clock clock, PathMetrics metrics,
            StatusAnswers statusAnswers, Lookups lookups, Satisfaction satisfaction, Subscriptions subscriptions,
            String termsVersion) {
        this.termsVersion = termsVersion;
        this.subscriptions = subscriptions;
        this.satisfaction = satisfaction;
        this.lookups = lookups;
        this.metrics = metrics;
        this.statusAnswers = statusAnswers;
        this.mongo = mongo;
        this.conversations = conversations;
        this.pendingTurns = pendingTurns;
        this.engine = engine;
        this.photos = photos;
        fetchers.forEach(f -> this.fetchers.put(f.channel(), f));
        this.feed = feed;
        this.events = events;
        this.queue = queue;
        this.clock = clock;
    }

    /**
     * Applies the conversation's queued messages, in the order its inbox holds them (first whatever turn was saved
     * and not carried out, then one message at a time), told the messages this process stored for it since its lane
     * last ran, as stored, and the newest state
     * of the conversation it saw (null: none), so that neither needs reading back; the conversation as the last turn
     * left it. Each saved turn returns the conversation as saved, and the next message is taken from that. A state
     * that is not the newest any more is safe to start from. A turn computed from it is refused (the version moved)
     * and the conversation read again. Queuing adds at the inbox's end, so a message queued meanwhile elsewhere never
     * jumps ahead. A message taken off without a turn (set aside, failed, or queued again after its turn) is one whose
     * stored record says so: it is read, not taken from {@code arrived}, unless this process has just stored it.
     */
    public Mono<Conversation> processPending(String conversationId, List<InboundRecord> arrived, Conversation latest) {
        Map<String, InboundRecord> stored = new HashMap<>();
        arrived.forEach(record -> stored.put(record.id(), record));
        return (latest != null ? Mono.just(latest) : conversations.find(conversationId))
                .flatMap(conversation -> next(conversation, stored, 0));
    }

    /** Runs the lane until no message waits; the conversation as last saved (or read). */
    private Mono<Conversation> next(Conversation read, Map<String, InboundRecord> stored, int conflicts) {
        return pendingTurns.complete(read).flatMap(conversation -> {
            if (conversation.queued().isEmpty()) {
                return Mono.just(conversation);
            }
            String head = conversation.queued().get(0);
            InboundRecord known = stored.remove(head);
            if (known != null && pendingTurns.carriedOut(head)) {
                // Its turn was taken, by this process, since the copy was stored: only the store says what it is now.
                known = null;
            }
            return (known != null ? Mono.just(known) : mongo.findById(head, InboundRecord.class))
                    .filter(record -> record.status() == InboundRecord.Status.RECEIVED)
                    .flatMap(record -> apply(conversation, record)
                            .onErrorResume(e -> failed(record, e).then(conversations.find(conversation.id())
                                    .map(Optional::of))))
                    // Not waiting any more (set aside, or its turn was carried out): off the inbox.
                    .switchIfEmpty(Mono.defer(() -> conversations.unqueue(conversation.id(), head)
                            .then(conversations.find(conversation.id())).map(Optional::of)))
                    .flatMap(saved -> {
                        if (saved.isPresent()) {
                            return next(saved.get(), stored, 0);
                        }
                        if (conflicts + 1 >= MAX_CONFLICTS) {
                            return Mono.error(new IllegalStateException("conversation kept changing; try later"));
                        }
                        // Changed meanwhile (by staff, another instance): read again, the message too, which may
                        // have had its turn elsewhere.
                        return conversations.find(conversation.id())
                                .flatMap(fresh -> next(fresh, stored, conflicts + 1));
                    });
        });
    }

    /** Saves the turn for this message: the conversation as saved, empty when it changed since it was read. */
    private Mono<Optional<Conversation>> apply(Conversation conversation, InboundRecord record) {
        long started = System.nanoTime();
        Engine current = engine.get();
        return input(record).flatMap(input -> turn(current, conversation, record, input)
                        .flatMap(turn -> save(conversation, record, current, turn)))
                .doOnNext(saved -> {
                    if (saved.isPresent()) {
                        metrics.turn(Duration.ofNanos(System.nanoTime() - started));
                    }
                });
    }

    /**
     * The engine's turn for the message, when the bot speaks in this conversation: run again with what it asked to
     * look up (the engine does no I/O) until it needs nothing more. Empty when staff own the conversation.
     */
    private Mono<Optional<Turn>> turn(Engine engine, Conversation conversation, InboundRecord record, Input input) {
        boolean botSpeaks = switch (conversation.status()) {
            case BOT, CLOSED -> true;
            case AWAITING_AGENT -> engine.restarts(input);
            case AGENT -> false;
        };
        if (!botSpeaks) {
            return Mono.just(Optional.empty());
        }
        Session session = session(conversation, record);
        if (session.privacyNoticeShown() && (conversation.consent() == null
                || !conversation.consent().shown(termsVersion))) {
            // The terms changed since the contact read them (or their reading was never recorded): again.
            session = session.withNoticeToShowAgain();
        }
        return resume(engine, conversation, session, input,
                new TurnContext(record.id(), record.receivedAt()), 0).map(Optional::of);
    }

    /**
     * The engine runs on the CPU-bound workers, not on the store driver's threads that deliver the conversation:
     * those also deliver every webhook's insert, which must not wait behind a turn's work.
     */
    private Mono<Turn> resume(Engine engine, Conversation conversation, Session session, Input input,
            TurnContext context, int lookups) {
        return Mono.fromCallable(() -> engine.resume(session, input,
                        lookups >= MAX_LOOKUPS ? context.withoutLookups() : context))
                .subscribeOn(Schedulers.parallel())
                .flatMap(turn -> turn.needs().isEmpty() ? Mono.just(turn)
                        : this.lookups.find(turn.needs().get(), conversation.id(), conversation.channel())
                                .flatMap(found -> resume(engine, conversation, session, input,
                                        context.with(turn.needs().get(), found), lookups + 1)));
    }

    private static Session session(Conversation conversation, InboundRecord record) {
        return SessionCodec.read(conversation.session(), record.language() == null ? Language.DEFAULT
                : Language.fromCode(record.language()).orElse(Language.DEFAULT));
    }

    private Mono<Optional<Conversation>> save(Conversation conversation, InboundRecord record, Engine current,
            Optional<Turn> botTurn) {
        Instant now = clock.instant();
        long order = conversation.nextVersion();
        // The message leaves the inbox in the same atomic update that saves its turn: applied exactly once.
        Update update = new Update().pull("inbox", record.id()).set("lastMessageAt", record.receivedAt())
                .set("lastInboundAt", record.receivedAt());
        if (record.displayName() != null && !record.displayName().isBlank()) {
            update.set("contact.displayName", record.displayName());
        }
        boolean botSpeaks = botTurn.isPresent();
        if (botTurn.isPresent() && !botTurn.get().eventsOf(Event.PrivacyNoticeShown.class).isEmpty()) {
            update.set("consent", new Conversation.Consent(termsVersion, now, null, null));
        } else if (conversation.consent() != null && conversation.consent().acceptedAt() == null
                && conversation.consent().shown(termsVersion)) {
            // Writing again after the notice is the acceptance the default notice asks for.
            update.set("consent.acceptedAt", record.receivedAt()).set("consent.how", CONTINUED_USE);
        }
        List<Event.HandoffRequested> handoffs = List.of();
        Conversation.PendingTurn effects =
                new Conversation.PendingTurn(record.id(), List.of(), List.of(), order, record.id(), now);
        Mono<Optional<String>> status = Mono.just(Optional.empty());
        int statusAt = 0;
        if (botSpeaks) {
            Turn turn = botTurn.get();
            Optional<Event> asked = turn.events().stream()
                    .filter(e -> e instanceof Event.StatusRequested || e instanceof Event.FollowRequested).findFirst();
            if (asked.isPresent()) {
                status = answer(conversation.id(), asked.get(), current.flows(), turn.session().language())
                        .map(Optional::of);
                // The answer goes where the question was: before the errand's question asked again.
                int index = turn.events().indexOf(asked.get());
                statusAt = (int) turn.events().subList(0, index).stream()
                        .filter(Event.MessageCreated.class::isInstance).count();
            }
            handoffs = turn.eventsOf(Event.HandoffRequested.class);
            update.set("session", SessionCodec.write(turn.session()));
            effects = Conversation.PendingTurn.of(record.id(), turn, order, record.id(), now);
            if (handoffs.isEmpty()) {
                // The department stays: a chat once handed to a department stays within its scope.
                update.set("status", ConversationStatus.BOT).unset("awaitingSince").unset("waitNoticeAt");
            } else {
                update.set("status", ConversationStatus.AWAITING_AGENT)
                        .set("department", handoffs.get(handoffs.size() - 1).department())
                        .set("awaitingSince", record.receivedAt());
                // Outside office hours the citizen learns at once when someone will answer.
                Optional<String> closed = QueueWatch.closedNotice(queue, record.receivedAt(),
                        current.flows().commands().notices(), turn.session().language());
                if (closed.isPresent()) {
                    List<Conversation.PendingMessage> messages = new ArrayList<>(effects.messages());
                    messages.add(new Conversation.PendingMessage(closed.get(), List.of(), "SYSTEM", null));
                    effects = effects.withMessages(messages);
                    update.set("waitNoticeAt", record.receivedAt());
                } else {
                    update.unset("waitNoticeAt");
                }
            }
        }
        // The citizen wrote: what was held for their next message goes first (WhatsApp's window is open again),
        // and what waited for the bot goes too, unless staff own the conversation.
        List<Conversation.HeldMessage> releasing = conversation.heldMessages().stream()
                .filter(h -> h.release() == Conversation.Release.CITIZEN_WRITES
                        || conversation.status() != ConversationStatus.AGENT)
                .toList();
        if (!releasing.isEmpty()) {
            update.pullAll("held", releasing.toArray());
            List<Conversation.PendingMessage> messages = new ArrayList<>();
            releasing.forEach(h -> messages.add(new Conversation.PendingMessage(h.text(), List.of(), h.author(),
                    h.staffUser())));
            messages.addAll(effects.messages());
            effects = effects.withMessages(messages);
            statusAt += releasing.size();
        }
        List<Event.HandoffRequested> asked = handoffs;
        Conversation.PendingTurn turnEffects = effects;
        int answerAt = statusAt;
        // A satisfaction answer is kept before the turn is saved: keeping it twice (a retried turn) keeps it once.
        // So are the contact's subscriptions: the same change twice is the same.
        Mono<Void> answers = botTurn.map(turn -> Flux.fromIterable(turn.events())
                .concatMap(e -> keep(conversation.id(), e)).then()).orElse(Mono.empty());
        return answers.then(status).flatMap(answer -> {
            Conversation.PendingTurn withAnswer = turnEffects;
            if (answer.isPresent()) {
                List<Conversation.PendingMessage> messages = new ArrayList<>(turnEffects.messages());
                messages.add(Math.min(answerAt, messages.size()),
                        new Conversation.PendingMessage(answer.get(), List.of(), "BOT", null));
                withAnswer = turnEffects.withMessages(messages);
            }
            update.set("pendingTurn", withAnswer);
            return conversations.update(conversation, update);
        })
                .flatMap(saved -> handoffEvent(saved, record, asked).then(pendingTurns.complete(saved)))
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty());
    }

    /** Keeps what a turn says of the contact beyond the conversation: a satisfaction answer, a subscription. */
    private Mono<Void> keep(String conversationId, Event event) {
        if (event instanceof Event.SatisfactionGiven || event instanceof Event.SatisfactionCommented) {
            return satisfaction.record(conversationId, event);
        }
        if (event instanceof Event.Subscribed s) {
            return subscriptions.subscribe(conversationId, s.topic(), s.area()).then();
        }
        if (event instanceof Event.Unsubscribed u) {
            return subscriptions.unsubscribe(conversationId, u.topic(), u.area());
        }
        if (event instanceof Event.UnsubscribedAll) {
            return subscriptions.unsubscribeAll(conversationId);
        }
        return Mono.empty();
    }

    /** The host's answer to what the engine could not answer alone: a status question, a request to follow. */
    private Mono<String> answer(String conversationId, Event asked, org.civicbot.flows.FlowBundle flows,
            Language language) {
        if (asked instanceof Event.StatusRequested status) {
            return statusAnswers.answer(conversationId, status.code(), flows, language);
        }
        Event.FollowRequested follow = (Event.FollowRequested) asked;
        return statusAnswers.follow(conversationId, follow.code(), follow.follow(), flows, language);
    }

    private Mono<Void> handoffEvent(Conversation conversation, InboundRecord record,
            List<Event.HandoffRequested> asked) {
        if (asked.isEmpty()) {
            return Mono.empty();
        }
        return events.record(new ConversationEvent("handoff:" + record.id(), conversation.id(), record.receivedAt(),
                "HANDOFF_REQUESTED", "citizen", asked.get(asked.size() - 1).department()));
    }

    /** The engine's input for a stored message; media is fetched and stored first. */
    private Mono<Input> input(InboundRecord record) {
        InboundContent content = record.decodedContent();
        if (content instanceof InboundContent.Text t) {
            return Mono.just(new Input.Text(t.text()));
        }
        if (content instanceof InboundContent.Location l) {
            String address = l.address() != null ? l.address() : l.label();
            return Mono.just(new Input.Location(l.latitude(), l.longitude(), address));
        }
        if (content instanceof InboundContent.Choice c) {
            return Mono.just(new Input.Choice(c.data()));
        }
        if (content instanceof InboundContent.Unsupported u) {
            return Mono.just(new Input.Unsupported(u.kind()));
        }
        InboundContent.Media media = (InboundContent.Media) content;
        MediaFetcher fetcher = fetchers.get(record.channel());
        List<InboundContent.MediaRef> refs = media.media();
        // The first photo that says where it was taken: read before the store drops what it says.
        java.util.concurrent.atomic.AtomicReference<org.civicbot.bot.media.ImageMetadata.Position> taken =
                new java.util.concurrent.atomic.AtomicReference<>();
        return Flux.range(0, refs.size())
                // Kept already by a try of this turn that did not finish: the provider may have deleted its copy.
                .concatMap(i -> fetcher == null ? Mono.<String>empty() : photos.named(record.id() + "/" + i)
                        .switchIfEmpty(Mono.defer(() -> fetcher.fetch(refs.get(i))
                        .flatMap(f -> {
                            org.civicbot.bot.media.ImageMetadata.position(f.bytes())
                                    .ifPresent(p -> taken.compareAndSet(null, p));
                            return photos.store(record.id() + "/" + i, f.bytes(), f.contentType());
                        })
                        .doOnNext(stored -> forgetAtProvider(fetcher, refs.get(i)))))
                        .onErrorResume(e -> {
                            // The citizen is asked again for a photo; the reason stays in the log for staff.
                            log.info("Media {} of {} not kept: {}", i, record.id(), e.getMessage());
                            return Mono.empty();
                        }))
                .collectList()
                .flatMap(ids -> ids.isEmpty() ? Mono.just(ids) : mongo.updateFirst(query(where("_id").is(record.id())),
                        new Update().set("photoIds", ids), InboundRecord.class).thenReturn(ids))
                .map(ids -> ids.isEmpty() && media.caption() != null && !media.caption().isBlank()
                        ? new Input.Text(media.caption())
                        : new Input.Photos(ids, media.caption(), taken.get() == null ? null : taken.get().latitude(),
                                taken.get() == null ? null : taken.get().longitude()));
    }

    /**
     * Once the photo is kept here, the provider's copy is deleted where its API allows (Twilio keeps media until the
     * account deletes them): in the background, as it changes nothing for the turn; a failure is only logged, and an
     * erasure asks again.
     */
    private static void forgetAtProvider(MediaFetcher fetcher, InboundContent.MediaRef ref) {
        fetcher.erase(ref).subscribe(deleted -> { }, e -> log.info("The provider's copy of a {} media file was not "
                + "deleted: {}", fetcher.channel(), e.getClass().getSimpleName()));
    }

    private Mono<Void> failed(InboundRecord record, Throwable error) {
        int attempts = record.attempts() + 1;
        log.error("Processing inbound {} failed (attempt {})", record.id(), attempts, error);
        Update update = new Update().inc("attempts", 1).set("note", error.getClass().getSimpleName());
        if (attempts >= MAX_ATTEMPTS) {
            // Set aside for staff, who may retry it; the conversation's later messages go on.
            update.set("status", InboundRecord.Status.FAILED);
            feed.publish(record.conversationId(), "MESSAGE_FAILED");
        }
        return mongo.updateFirst(query(where("_id").is(record.id())), update, InboundRecord.class)
                .then(attempts >= MAX_ATTEMPTS ? Mono.empty() : Mono.error(error));
    }
}

package org.civicbot.bot.outbox;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.civicbot.bot.BulkWrites;
import org.civicbot.bot.Channel;
import org.civicbot.bot.Durability;
import org.civicbot.bot.PathMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.data.mongodb.core.query.UpdateDefinition;
import org.springframework.data.util.Pair;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Sends outbox entries through their channel: in order within a conversation (an entry waits while an
 * earlier one of its conversation is unsent), conversations and channels independently of each other,
 * retrying what is retryable with backoff.
 * <ul>
 *   <li>Each channel has its own rounds, so one provider's outage or slowness never holds another's
 *       messages back.</li>
 *   <li>A round reads the channel's queue ({@link SendQueue}: pending work only, however long the
 *       history), takes the first entry of each conversation, and serves the conversations that have
 *       waited longest first: a chatty conversation sends one entry per round like any other.</li>
 *   <li>Sends run in the background, a few per channel at once; a round never waits for a slow one.</li>
 *   <li>An entry is claimed (PENDING to SENDING) and the claim made durable before its one send attempt;
 *       a send whose outcome is unknown (no answer in time, the connection lost after sending, the app
 *       stopped mid-send) is never repeated: it is marked UNKNOWN for staff to see and send again.</li>
 * </ul>
 */
public class Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    /** The most queue entries one round of a channel reads; more than that wait for later rounds. */
    static final int MAX_QUEUE_READ = 20_000;
    /** From this many entries claimed at once on, one update for all and one read (two commands) cost less. */
    static final int BULK_CLAIM = 3;
    /** The field an entry's claim is marked with, when several are claimed in one update. */
    static final String CLAIM = "claim";
    /** Sends in flight at once per channel, at least and at most. */
    static final int MIN_PARALLEL_SENDS = 8;
    static final int MAX_PARALLEL_SENDS = 64;

    /**
     * Sends in flight at once on a channel allowed {@code maxPerSecond}: enough for its rate when each send waits
     * about a tenth of a second for the provider's answer (8 at the free tiers' 30 and 80 a second, 64 from 640).
     */
    static int parallelSends(int maxPerSecond) {
        return Math.max(MIN_PARALLEL_SENDS, Math.min(MAX_PARALLEL_SENDS, maxPerSecond / 10));
    }
    /**
     * Tries again to record a send's outcome the store refused: after 0.2 s, doubling up to 10 s between tries (with
     * jitter), seven times, about 23 s of waits in all, and never past {@link #recordBudget}.
     */
    static final int RECORD_RETRIES = 7;
    static final Duration RECORD_FIRST_RETRY = Duration.ofMillis(200);
    static final Duration RECORD_MAX_WAIT = Duration.ofSeconds(10);
    /** How long to wait before another round when the rate limit held entries back. */
    static final Duration THROTTLED_PAUSE = Duration.ofMillis(100);

    private final ReactiveMongoTemplate mongo;
    private final SendQueue queue;
    private final Durability durability;
    private final Map<Channel, ChannelSender> senders = new EnumMap<>(Channel.class);
    private final Map<Channel, RateLimit> limits = new EnumMap<>(Channel.class);
    private final Clock clock;
    private final Settings settings;
    private final PathMetrics metrics;
    /** Entries this instance is sending now, with their channel: not to be looked at as interrupted. */
    private final Map<String, Channel> inFlight = new ConcurrentHashMap<>();
    /**
     * Entries the provider accepted from this instance whose outcome is still being recorded and whose place is still
     * in the queue: their conversation's next entry need not wait for those two writes, since the provider has this
     * one already. Left out of every read of the queue until then.
     */
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final Map<Channel, Sinks.Many<Boolean>> wakeups = new EnumMap<>(Channel.class);
    /** Per channel, whether the last round saw entries it did not claim (waiting behind others, or for room). */
    private final Map<Channel, Boolean> moreWaiting = new ConcurrentHashMap<>();
    /**
     * Per channel, the queue in the store as last read, less the entries sent since: a send's end looks at it instead
     * of reading the queue again. What was queued since comes with its own wake-up, which reads; entries are queued in
     * their conversation's order (a turn is carried out before the next is saved), so what follows a sent entry in the
     * copy is what follows it in the store. Anything else that changes the queue (a retry, a stale place) drops the
     * copy. A queue kept in memory is read every round instead.
     */
    private final Map<Channel, QueueCopy> copies = new ConcurrentHashMap<>();
    /** Per channel, whether the next round must read the queue (new entries, a poll) rather than use its copy. */
    private final Map<Channel, AtomicBoolean> readNext = new EnumMap<>(Channel.class);
    /**
     * Per channel, how many times the copy was dropped as wrong (a retry moved a place, a place was stale): a read
     * under way then may hold the place as it was, so its result is not used and the queue is read again.
     */
    private final Map<Channel, java.util.concurrent.atomic.AtomicLong> drops = new EnumMap<>(Channel.class);

    /** The queue as read, and the entries of it sent since. */
    private record QueueCopy(List<QueuedEntry> queued, Set<String> sent) {

        List<QueuedEntry> now() {
            return queued.stream().filter(entry -> !sent.contains(entry.id())).toList();
        }
    }
    private final List<Disposable> loops = new ArrayList<>();
    /** Outcomes of sends finishing together, recorded in one command. */
    private final BulkWrites outcomes;
    /** Claims of several entries, in one command. */
    private final BulkWrites claims;

    /**
     * @param pollInterval how often to look for due entries when nothing wakes the dispatcher
     * @param sendTimeout how long one send may wait for the provider's answer before its outcome counts
     *     as unknown
     * @param interruptedAfter a SENDING entry older than this was interrupted (must exceed sendTimeout)
     * @param backoff the retry schedule
     */
    public record Settings(Duration pollInterval, Duration sendTimeout, Duration interruptedAfter, Backoff backoff) {

        public static final Settings DEFAULT =
                new Settings(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(2), Backoff.DEFAULT);
    }

    /** A dispatcher whose queue is in the store ({@link StoredQueue}), as for instances sharing a MongoDB. */
    public Dispatcher(ReactiveMongoTemplate mongo, Durability durability, List<ChannelSender> senders, Clock clock,
            Settings settings, PathMetrics metrics) {
        this(mongo, new StoredQueue(mongo), durability, senders, clock, System::nanoTime, settings, metrics);
    }

    /** @param queue where the outbox's unsent entries wait: the outbox's ({@link Outbox}) */
    public Dispatcher(ReactiveMongoTemplate mongo, SendQueue queue, Durability durability, List<ChannelSender> senders,
            Clock clock, Settings settings, PathMetrics metrics) {
        this(mongo, queue, durability, senders, clock, System::nanoTime, settings, metrics);
    }

    /** @param nanoTime the rates' monotonic tick; tests pass their own */
    Dispatcher(ReactiveMongoTemplate mongo, Durability durability, List<ChannelSender> senders, Clock clock,
            LongSupplier nanoTime, Settings settings, PathMetrics metrics) {
        this(mongo, new StoredQueue(mongo), durability, senders, clock, nanoTime, settings, metrics);
    }

    private Dispatcher(ReactiveMongoTemplate mongo, SendQueue queue, Durability durability, List<ChannelSender> senders,
            Clock clock, LongSupplier nanoTime, Settings settings, PathMetrics metrics) {
        this.metrics = metrics;
        this.mongo = mongo;
        this.queue = queue;
        this.outcomes = new BulkWrites(mongo, OutboxEntry.class);
        this.claims = new BulkWrites(mongo, OutboxEntry.class);
        this.durability = durability;
        senders.forEach(s -> {
            this.senders.put(s.channel(), s);
            this.limits.put(s.channel(), new RateLimit(nanoTime, s.maxPerSecond()));
        });
        for (Channel channel : Channel.values()) {
            wakeups.put(channel, Sinks.many().multicast().directBestEffort());
            moreWaiting.put(channel, true);
            readNext.put(channel, new AtomicBoolean(true));
            drops.put(channel, new java.util.concurrent.atomic.AtomicLong());
        }
        this.clock = clock;
        this.settings = settings;
    }

    public synchronized void start() {
        if (!loops.isEmpty()) {
            return;
        }
        for (Channel channel : Channel.values()) {
            Sinks.Many<Boolean> wake = wakeups.get(channel);
            loops.add(Flux.merge(Flux.interval(Duration.ZERO, settings.pollInterval())
                                    .map(t -> readNext.get(channel).getAndSet(true)), wake.asFlux())
                    .onBackpressureDrop()
                    .concatMap(tick -> round(channel).onErrorResume(e -> {
                        log.warn("Dispatch round for {} failed: {}", channel, e.toString());
                        return Mono.just(Round.IDLE);
                    }), 1)
                    .subscribe(round -> {
                        if (round == Round.THROTTLED) {
                            // Rounds back to back would only query the store until the bucket refills.
                            Mono.delay(THROTTLED_PAUSE).subscribe(t -> wake(channel));
                        }
                    }));
        }
    }

    public synchronized void stop() {
        loops.forEach(Disposable::dispose);
        loops.clear();
    }

    /** Reads {@code channel}'s queue and looks for work on it now: entries were queued on it. */
    private void wake(Channel channel) {
        readNext.get(channel).set(true);
        wakeups.get(channel).tryEmitNext(true);
    }

    /** Places were just queued, by this instance: the dispatcher reads their channels' queues and looks at them now. */
    public void placed(List<QueuedEntry> queued) {
        queued.stream().map(QueuedEntry::channel).distinct().forEach(this::wake);
    }

    /** The copy of the channel's queue is wrong now: the next round reads, and a read under way is not used. */
    private void dropCopy(Channel channel) {
        drops.get(channel).incrementAndGet();
        copies.remove(channel);
    }

    /** A send ended: the next round may use the queue's copy, unless something else asked for a read meanwhile. */
    private void sendEnded(Channel channel) {
        wakeups.get(channel).tryEmitNext(true);
    }

    private int parallel(Channel channel) {
        ChannelSender sender = senders.get(channel);
        return sender == null ? MIN_PARALLEL_SENDS : parallelSends(sender.maxPerSecond());
    }

    /** What a round did: whether the rate limit held entries back, for when the next round should come. */
    enum Round { IDLE, STARTED, THROTTLED }

    /** An entry claimed for one send, and the place in the queue it was claimed from. */
    private record Claim(OutboxEntry entry, QueuedEntry place) {}

    /** The entries a round claimed, and whether the rate limit held others back. */
    private record Claimed(List<Claim> claims, boolean throttled) {}

    /**
     * One pass over every channel, waiting for the sends it starts (for tests, which drive rounds by hand).
     *
     * @return how many sends it started
     */
    public Mono<Long> round() {
        readNext.values().forEach(read -> read.set(true));
        return Flux.fromArray(Channel.values())
                .concatMap(channel -> claimDue(channel, clock.instant())
                        .flatMap(claimed -> durability.sync().thenMany(Flux.fromIterable(claimed.claims())
                                .flatMap(this::send, parallel(channel))).count()))
                .reduce(0L, Long::sum);
    }

    /** One pass over a channel: claims its due entries and starts their sends, without waiting for them. */
    Mono<Round> round(Channel channel) {
        return claimDue(channel, clock.instant()).flatMap(claimed -> {
            if (claimed.claims().isEmpty()) {
                return Mono.just(claimed.throttled() ? Round.THROTTLED : Round.IDLE);
            }
            // The claims (and all written before them: the turns, the entries) are on disk before any send,
            // so a crash after it can never send one of these entries again.
            return durability.sync()
                    .doOnSuccess(done -> claimed.claims().forEach(claim -> send(claim)
                            // A send's end makes room: worth a round only if anything else was waiting.
                            .doFinally(signal -> {
                                if (moreWaiting.get(channel)) {
                                    sendEnded(channel);
                                }
                            })
                            // What failed was logged where it failed, by class only: a store's error may quote a key.
                            .subscribe(recorded -> { }, e -> log.debug("Send of outbox entry {} ended in error: {}",
                                    claim.entry().id(), e.getClass().getSimpleName()))))
                    .thenReturn(claimed.throttled() ? Round.THROTTLED : Round.STARTED);
        });
    }

    /**
     * Claims the first due entry of each conversation on the channel, longest waiting first, within the rate: one
     * read of the queue (or its copy), and one claim for each entry, or one for several (see {@link #claimAll}). Notes
     * whether anything else waits, for the sends' ends to look again.
     */
    private Mono<Claimed> claimDue(Channel channel, Instant now) {
        int room = parallel(channel) - (int) inFlight.values().stream().filter(c -> c == channel).count();
        if (room <= 0) {
            // Whatever was woken for waits for room: a send's end must look again.
            moreWaiting.put(channel, true);
            return Mono.just(new Claimed(List.of(), false));
        }
        RateLimit limit = limits.get(channel);
        QueueCopy copy = copies.get(channel);
        boolean read = readNext.get(channel).getAndSet(false) || copy == null || queue.inMemory();
        long dropped = drops.get(channel).get();
        Mono<List<QueuedEntry>> current = !read ? Mono.just(copy.now())
                : queue.read(channel, MAX_QUEUE_READ).map(queued -> {
                    if (drops.get(channel).get() != dropped) {
                        // A place a retry moved while this read ran may be in it as it was (due now): read again.
                        metrics.outboxBacklog(channel, queued.size());
                        wake(channel);
                        return List.of();
                    }
                    List<QueuedEntry> unsent = queued.stream().filter(place -> !accepted.contains(place.id())).toList();
                    if (!queue.inMemory()) {
                        copies.put(channel, new QueueCopy(unsent, ConcurrentHashMap.newKeySet()));
                    }
                    metrics.outboxBacklog(channel, queued.size());
                    return unsent;
                });
        return current.flatMap(queued -> {
            List<QueuedEntry> heads = heads(queued, now).stream().filter(head -> !inFlight.containsKey(head.id()))
                    .toList();
            boolean rated = limit != null && limit.available() < room;
            int fits = rated ? limit.available() : room;
            long waiting = queued.stream().filter(q -> !inFlight.containsKey(q.id())).count();
            Map<String, QueuedEntry> places = new java.util.HashMap<>();
            heads.forEach(head -> places.put(head.id(), head));
            return claimUpTo(heads, fits, now).doOnNext(entries -> {
                if (limit != null) {
                    // Only a claim that succeeds takes from the rate: a stale place costs no send.
                    entries.forEach(entry -> limit.take());
                }
                moreWaiting.put(channel, waiting > entries.size());
            }).map(entries -> new Claimed(entries.stream().map(entry -> new Claim(entry, places.get(entry.id())))
                    .toList(), rated && heads.size() > entries.size()));
        });
    }

    /**
     * Claims up to {@code wanted} of the heads, in their order: when a claim finds its entry taken (sent, or being sent
     * by another instance), the next heads are tried in its place.
     */
    private Mono<List<OutboxEntry>> claimUpTo(List<QueuedEntry> heads, int wanted, Instant now) {
        if (wanted <= 0 || heads.isEmpty()) {
            return Mono.just(List.of());
        }
        List<QueuedEntry> chunk = heads.subList(0, Math.min(wanted, heads.size()));
        List<QueuedEntry> rest = heads.subList(chunk.size(), heads.size());
        Mono<List<OutboxEntry>> claimed = chunk.size() < BULK_CLAIM
                ? Flux.fromIterable(chunk).concatMap(head -> claim(head, now)).collectList()
                : claimAll(chunk, now);
        return claimed.flatMap(got -> got.size() == chunk.size() || rest.isEmpty() ? Mono.just(got)
                : claimUpTo(rest, wanted - got.size(), now).map(more -> {
                    List<OutboxEntry> all = new ArrayList<>(got);
                    all.addAll(more);
                    return all;
                }));
    }

    /**
     * The first entry of each conversation, if it is due: the conversations that have waited longest
     * first. An entry retrying later holds its conversation's later entries back.
     */
    static List<QueuedEntry> heads(List<QueuedEntry> queued, Instant now) {
        Map<String, QueuedEntry> first = new LinkedHashMap<>();
        for (QueuedEntry entry : queued) {
            first.merge(entry.conversationId(), entry, (a, b) -> a.seq() <= b.seq() ? a : b);
        }
        return first.values().stream()
                .filter(entry -> entry.nextAttemptAt() == null || !entry.nextAttemptAt().isAfter(now))
                .sorted(Comparator.comparing(QueuedEntry::createdAt, Comparator.nullsFirst(Comparator.naturalOrder())))
                .toList();
    }

    /**
     * Claims the entry for one send. When it is not PENDING any more its place in the queue is stale
     * (sent, failed, or being sent by another instance): dropped, or, if its send was interrupted long
     * ago, marked UNKNOWN.
     */
    private Mono<OutboxEntry> claim(QueuedEntry head, Instant now) {
        Update claim = new Update().set("status", DeliveryStatus.SENDING).set("sendingSince", now).inc("attempts", 1);
        return mongo.findAndModify(query(where("_id").is(head.id()).and("status").is(DeliveryStatus.PENDING)), claim,
                        FindAndModifyOptions.options().returnNew(true), OutboxEntry.class)
                .switchIfEmpty(Mono.defer(() -> stale(head, now).then(Mono.empty())));
    }

    /**
     * Claims several entries in two commands: one update with a conditional statement for each (each served by the
     * {@code _id} and {@code status} index, on the embedded store too), marked with this claim's token, then one read
     * of them by {@code _id}. The entries carrying the token are this claim's; the others' places are stale.
     */
    private Mono<List<OutboxEntry>> claimAll(List<QueuedEntry> heads, Instant now) {
        String token = UUID.randomUUID().toString();
        List<Pair<Query, UpdateDefinition>>
                statements = heads.stream().map(head -> Pair.of(
                        query(where("_id").is(head.id()).and("status").is(DeliveryStatus.PENDING)),
                        (UpdateDefinition) new Update()
                                .set("status", DeliveryStatus.SENDING).set("sendingSince", now).set(CLAIM, token)
                                .inc("attempts", 1)))
                .toList();
        List<String> ids = heads.stream().map(QueuedEntry::id).toList();
        return claims.updateEach(statements)
                // The claim may have been applied though its answer was lost: what carries this token was never
                // sent, so it goes back to wait.
                .onErrorResume(e -> mongo.updateMulti(query(where("_id").in(ids).and(CLAIM).is(token)
                                        .and("status").is(DeliveryStatus.SENDING)),
                                new Update().set("status", DeliveryStatus.PENDING).unset("sendingSince"), OutboxEntry.class)
                        .then(Mono.<Void>error(e)))
                .then(mongo.find(query(where("_id").in(ids)), org.bson.Document.class, "outbox").collectList())
                .flatMap(documents -> {
                    Set<String> mine = new HashSet<>();
                    List<OutboxEntry> entries = new ArrayList<>();
                    for (org.bson.Document document : documents) {
                        if (token.equals(document.getString(CLAIM))
                                && DeliveryStatus.SENDING.name().equals(document.getString("status"))) {
                            OutboxEntry entry = mongo.getConverter().read(OutboxEntry.class, document);
                            mine.add(entry.id());
                            entries.add(entry);
                        }
                    }
                    // In the order of the heads: longest waiting first.
                    entries.sort(Comparator.comparingInt(entry -> ids.indexOf(entry.id())));
                    return Flux.fromIterable(heads).filter(head -> !mine.contains(head.id()))
                            .concatMap(head -> stale(head, now)).then(Mono.just(entries));
                });
    }

    private Mono<Void> stale(QueuedEntry head, Instant now) {
        dropCopy(head.channel());
        return mongo.findById(head.id(), OutboxEntry.class)
                .flatMap(entry -> {
                    if (entry.status() == DeliveryStatus.PENDING) {
                        return Mono.empty(); // back to wait (another instance's retry): its place stays
                    }
                    if (entry.status() != DeliveryStatus.SENDING) {
                        return queue.remove(head);
                    }
                    if (entry.sendingSince() != null && entry.sendingSince().isBefore(now.minus(settings.interruptedAfter()))) {
                        log.warn("Outbox entry {} was interrupted mid-send; marked unknown, not sent again", entry.id());
                        return mongo.updateFirst(query(where("_id").is(entry.id()).and("status").is(DeliveryStatus.SENDING)
                                        .and("sendingSince").is(entry.sendingSince())), Outbox.interrupted(now),
                                        OutboxEntry.class)
                                .then(queue.remove(head));
                    }
                    return Mono.empty(); // another instance is sending it now
                })
                .switchIfEmpty(Mono.defer(() -> mongo.exists(query(where("_id").is(head.id())), OutboxEntry.class)
                        .flatMap(exists -> exists ? Mono.empty() : queue.remove(head))));
    }

    /** Sends a claimed entry once and records the outcome; true once recorded. */
    private Mono<Boolean> send(Claim claim) {
        OutboxEntry entry = claim.entry();
        ChannelSender sender = senders.get(entry.channel());
        if (sender == null) {
            return persisted(entry, finish(claim, new Update().set("status", DeliveryStatus.FAILED)
                    .set("statusAt", clock.instant()).set("lastError", "channel " + entry.channel() + " is not configured")));
        }
        inFlight.put(entry.id(), entry.channel());
        return sender.send(entry.toMessage())
                .timeout(settings.sendTimeout())
                .onErrorResume(TimeoutException.class, e -> Mono.just(new SendOutcome.Unknown(
                        "no answer within " + settings.sendTimeout() + "; not repeated, as the provider may have it")))
                .onErrorResume(e -> Mono.just(new SendOutcome.Retryable(e.getClass().getSimpleName(), Optional.empty())))
                .doOnNext(outcome -> {
                    if (outcome instanceof SendOutcome.Sent) {
                        accepted(entry);
                    }
                })
                .flatMap(outcome -> persisted(entry, record(claim, outcome)))
                // Before the send's end is signalled, not after: whoever learns it ended (a round waiting for it, the next
                // round it starts) finds the entry no longer in flight.
                .doOnTerminate(() -> released(entry))
                .doOnCancel(() -> released(entry));
    }

    /** The entry is no longer being sent by this instance. */
    private void released(OutboxEntry entry) {
        accepted.remove(entry.id());
        inFlight.remove(entry.id());
    }

    /**
     * The provider has the entry: its conversation's next entry may go now, while this one's outcome is recorded and
     * its place taken off the queue. Order holds, as the provider accepted this one first; a crash before the record
     * leaves it SENDING, and so UNKNOWN, as a crash right after any send does.
     */
    private void accepted(OutboxEntry entry) {
        accepted.add(entry.id());
        QueueCopy copy = copies.get(entry.channel());
        if (copy != null) {
            copy.sent().add(entry.id());
        }
        if (moreWaiting.get(entry.channel())) {
            sendEnded(entry.channel());
        }
    }

    /**
     * Counts and logs the outcome, once, and returns the writes that record it, to be made (again, if the store
     * refuses) by {@link #persisted}.
     */
    private Mono<Boolean> record(Claim claim, SendOutcome outcome) {
        OutboxEntry entry = claim.entry();
        Instant now = clock.instant();
        int attempts = entry.attempts();
        if (outcome instanceof SendOutcome.Sent sent) {
            log.debug("Outbox entry {} sent", entry.id());
            metrics.sendOutcome(entry.channel(), "sent");
            if (entry.createdAt() != null) {
                metrics.replyLatency(entry.channel(), Duration.between(entry.createdAt(), now));
            }
            return finish(claim, new Update().set("status", DeliveryStatus.SENT)
                    .set("providerMessageId", sent.providerMessageId()).set("sentAt", now).set("statusAt", now)
                    .unset("sendingSince"));
        }
        if (outcome instanceof SendOutcome.Retryable retry && attempts < settings.backoff().maxAttempts()) {
            Duration delay = settings.backoff().delay(attempts, retry.retryAfter().orElse(null));
            // Up to the millisecond, as the store keeps times: a place due by then is due by its next claim's time too.
            Instant next = upToTheMillisecond(now.plus(delay));
            log.info("Outbox entry {} will be retried in {}: {}", entry.id(), delay, retry.reason());
            metrics.sendOutcome(entry.channel(), "retried");
            // The place first: a round reading between the two writes sees the entry still SENDING, never PENDING
            // with a place that says it is due now. The copy of the queue goes after both.
            return queue.retryAt(entry.id(), next, entry.sendingSince())
                    .then(outcomes.updateOne(claimed(entry), new Update().set("status", DeliveryStatus.PENDING)
                            .set("nextAttemptAt", next).set("lastError", retry.reason()).unset("sendingSince")))
                    .doOnSuccess(done -> dropCopy(entry.channel()))
                    .thenReturn(true);
        }
        if (outcome instanceof SendOutcome.Unknown unknown) {
            log.warn("Outbox entry {} may or may not have been sent: {}", entry.id(), unknown.reason());
            metrics.sendOutcome(entry.channel(), "unknown");
            return finish(claim, new Update().set("status", DeliveryStatus.UNKNOWN)
                    .set("statusAt", now).set("lastError", unknown.reason()).unset("sendingSince"));
        }
        String reason = outcome instanceof SendOutcome.Permanent p ? p.reason()
                : "gave up after " + attempts + " attempts: " + ((SendOutcome.Retryable) outcome).reason();
        log.warn("Outbox entry {} failed: {}", entry.id(), reason);
        metrics.sendOutcome(entry.channel(), "failed");
        return finish(claim, new Update().set("status", DeliveryStatus.FAILED).set("statusAt", now)
                .set("lastError", reason).unset("sendingSince"));
    }

    private static Instant upToTheMillisecond(Instant exact) {
        Instant truncated = exact.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        return truncated.isBefore(exact) ? truncated.plusMillis(1) : truncated;
    }

    /**
     * Writes a send's outcome, again while the store refuses (a replica set electing a new primary takes about ten
     * seconds): the provider has answered, and an outcome not written would leave the entry SENDING, to be taken for an
     * interrupted send and shown to staff as in doubt though its fate is known, while it holds its conversation's next
     * replies back. Every write of an outcome may be repeated: each applies only to an entry still SENDING, and taking a
     * place off the queue twice takes it once (the writes are made anew at each try), and none lands on a later claim
     * or place ({@link #claimed}; the place claimed, by its {@code queuedAt}; a retry's time only on a place due by
     * the claim). Gives up before the claim would count as interrupted ({@link #recordBudget}); the entry then stays
     * SENDING, as after a crash.
     */
    private Mono<Boolean> persisted(OutboxEntry entry, Mono<Boolean> writes) {
        return writes.retryWhen(reactor.util.retry.Retry.backoff(RECORD_RETRIES, RECORD_FIRST_RETRY)
                        .maxBackoff(RECORD_MAX_WAIT)
                        // A write the store refused as invalid is refused again.
                        .filter(e -> !(e instanceof org.springframework.dao.DataIntegrityViolationException))
                        .doBeforeRetry(retry -> log.warn("Recording the outcome of outbox entry {} failed ({}); trying"
                                + " again", entry.id(), retry.failure().getClass().getSimpleName())))
                // Each try may itself wait for the store; all of them end before another instance would take the
                // entry for an interrupted send.
                .timeout(recordBudget(entry))
                .doOnError(e -> log.error("The outcome of outbox entry {} could not be recorded ({}); it stays SENDING"
                        + " and will be taken for an interrupted send", entry.id(), e.getClass().getSimpleName()));
    }

    /**
     * How long a send's outcome may take to record, tries included: until its claim would count as interrupted
     * ({@code sendingSince} plus {@code interruptedAfter}).
     */
    private Duration recordBudget(OutboxEntry entry) {
        Instant since = entry.sendingSince() != null ? entry.sendingSince() : clock.instant();
        Duration left = Duration.between(clock.instant(), since.plus(settings.interruptedAfter()));
        return left.compareTo(RECORD_FIRST_RETRY) > 0 ? left : RECORD_FIRST_RETRY;
    }

    /** Records a final outcome (one the dispatcher will not act on again) and takes the entry off the queue. */
    private Mono<Boolean> finish(Claim claim, Update update) {
        OutboxEntry entry = claim.entry();
        return outcomes.updateOne(claimed(entry), update)
                // The place claimed, not one staff queued again since (the entry sent again while this was recorded).
                .then(queue.remove(claim.place()))
                .doOnSuccess(done -> {
                    QueueCopy copy = copies.get(entry.channel());
                    if (copy != null) {
                        copy.sent().add(entry.id());
                    }
                })
                .thenReturn(true);
    }

    /**
     * The entry as this send claimed it: still SENDING, and, on a store instances share, by this claim (its
     * {@code sendingSince}), so that an outcome written late (tried again) never lands on a claim another instance made
     * since. On the embedded store no other instance claims, and a query naming more than the {@code _id} and
     * {@code status} index's fields would read the whole outbox.
     */
    private Query claimed(OutboxEntry entry) {
        org.springframework.data.mongodb.core.query.Criteria claim =
                where("_id").is(entry.id()).and("status").is(DeliveryStatus.SENDING);
        return query(queue.inMemory() || entry.sendingSince() == null ? claim
                : claim.and("sendingSince").is(entry.sendingSince()));
    }
}

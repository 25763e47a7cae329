package org.civicbot.bot.outbox;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.civicbot.bot.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Sends outbox entries through their channel: in order within a conversation (an entry waits while an
 * earlier one of its conversation is unsent), conversations in parallel, retrying what is retryable
 * with backoff. An entry is claimed (PENDING to SENDING) before its one send attempt; an attempt that was
 * interrupted (the app stopped mid-send) is never repeated blindly, since the provider may have taken it:
 * it is marked FAILED for staff to see.
 */
public class Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    /** How many unsent entries one round looks at; more wait for the next round. */
    static final int ROUND_SIZE = 500;
    static final int PARALLEL_CONVERSATIONS = 8;

    private final ReactiveMongoTemplate mongo;
    private final Map<Channel, ChannelSender> senders = new EnumMap<>(Channel.class);
    private final Map<Channel, RateLimit> limits = new EnumMap<>(Channel.class);
    private final Clock clock;
    private final Settings settings;
    private final Sinks.Many<Boolean> wakeups = Sinks.many().multicast().directBestEffort();
    private Disposable loop;
    /** When interrupted sends were last looked for: a few times per interruption window is enough. */
    private volatile Instant interruptedCheckedAt = Instant.MIN;
    /** Whether the last round left due entries for the rate limit: the next one should not come at once. */
    private volatile boolean throttled;
    /** How long to wait before another round when the rate limit held entries back. */
    static final Duration THROTTLED_PAUSE = Duration.ofMillis(100);

    /**
     * @param pollInterval how often to look for due entries when nothing wakes the dispatcher
     * @param sendTimeout how long one send may take before it counts as a retryable failure
     * @param interruptedAfter a SENDING entry older than this was interrupted (must exceed sendTimeout)
     * @param backoff the retry schedule
     */
    public record Settings(Duration pollInterval, Duration sendTimeout, Duration interruptedAfter, Backoff backoff) {

        public static final Settings DEFAULT =
                new Settings(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(2), Backoff.DEFAULT);
    }

    public Dispatcher(ReactiveMongoTemplate mongo, List<ChannelSender> senders, Clock clock, Settings settings) {
        this.mongo = mongo;
        senders.forEach(s -> {
            this.senders.put(s.channel(), s);
            this.limits.put(s.channel(), new RateLimit(clock, s.maxPerSecond()));
        });
        this.clock = clock;
        this.settings = settings;
    }

    public synchronized void start() {
        if (loop != null) {
            return;
        }
        loop = Flux.merge(Flux.interval(Duration.ZERO, settings.pollInterval()).map(t -> true), wakeups.asFlux())
                .onBackpressureDrop()
                .concatMap(tick -> round().onErrorResume(e -> {
                    log.warn("Dispatch round failed: {}", e.toString());
                    return Mono.just(0L);
                }), 1)
                .subscribe(sent -> {
                    if (throttled) {
                        // Rounds back to back would only query the store until the bucket refills.
                        Mono.delay(THROTTLED_PAUSE).subscribe(t -> wake());
                    } else if (sent > 0) {
                        wake();
                    }
                });
    }

    public synchronized void stop() {
        if (loop != null) {
            loop.dispose();
            loop = null;
        }
    }

    /** Looks for work now rather than at the next poll. */
    public void wake() {
        wakeups.tryEmitNext(true);
    }

    /** One pass: marks interrupted sends, then sends the first due entry of each conversation. */
    public Mono<Long> round() {
        Instant now = clock.instant();
        throttled = false;
        return markInterrupted(now)
                .thenMany(mongo.find(query(where("status").in(DeliveryStatus.PENDING, DeliveryStatus.SENDING))
                        .with(Sort.by("seq")).limit(ROUND_SIZE), OutboxEntry.class))
                .collectList()
                .flatMapMany(entries -> Flux.fromIterable(firstDuePerConversation(entries, now)))
                // Within the provider's rate: what does not fit waits, PENDING, for the next round.
                .filter(entry -> {
                    boolean fits = !limits.containsKey(entry.channel()) || limits.get(entry.channel()).tryAcquire();
                    throttled |= !fits;
                    return fits;
                })
                .flatMap(this::sendOne, PARALLEL_CONVERSATIONS)
                .filter(Boolean::booleanValue)
                .count();
    }

    static List<OutboxEntry> firstDuePerConversation(List<OutboxEntry> unsent, Instant now) {
        Map<String, OutboxEntry> first = new LinkedHashMap<>();
        for (OutboxEntry entry : unsent) {
            first.putIfAbsent(entry.conversationId(), entry);
        }
        List<OutboxEntry> due = new ArrayList<>();
        for (OutboxEntry entry : first.values()) {
            boolean ready = entry.nextAttemptAt() == null || !entry.nextAttemptAt().isAfter(now);
            if (entry.status() == DeliveryStatus.PENDING && ready) {
                due.add(entry);
            }
        }
        return due;
    }

    private Mono<Void> markInterrupted(Instant now) {
        if (now.isBefore(interruptedCheckedAt.plus(settings.interruptedAfter().dividedBy(4)))) {
            return Mono.empty();
        }
        interruptedCheckedAt = now;
        Query stale = query(where("status").is(DeliveryStatus.SENDING)
                .and("sendingSince").lt(now.minus(settings.interruptedAfter())));
        Update failed = new Update().set("status", DeliveryStatus.FAILED).set("statusAt", now)
                .set("lastError", "interrupted while sending; not repeated, as the provider may have it already");
        return mongo.updateMulti(stale, failed, OutboxEntry.class)
                .doOnNext(r -> {
                    if (r.getModifiedCount() > 0) {
                        log.warn("{} outbox entries were interrupted mid-send and marked failed", r.getModifiedCount());
                    }
                })
                .then();
    }

    /** Claims the entry and tries it once; true when the round did something with it. */
    private Mono<Boolean> sendOne(OutboxEntry entry) {
        ChannelSender sender = senders.get(entry.channel());
        Instant now = clock.instant();
        if (sender == null) {
            return finish(entry.id(), DeliveryStatus.PENDING, new Update().set("status", DeliveryStatus.FAILED)
                    .set("statusAt", now).set("lastError", "channel " + entry.channel() + " is not configured"));
        }
        Update claim = new Update().set("status", DeliveryStatus.SENDING).set("sendingSince", now).inc("attempts", 1);
        return mongo.updateFirst(query(where("_id").is(entry.id()).and("status").is(DeliveryStatus.PENDING)), claim,
                        OutboxEntry.class)
                .flatMap(claimed -> {
                    if (claimed.getModifiedCount() == 0) {
                        return Mono.just(false);
                    }
                    return sender.send(entry.toMessage())
                            .timeout(settings.sendTimeout())
                            .onErrorResume(e -> Mono.just(new SendOutcome.Retryable(e.getClass().getSimpleName(),
                                    Optional.empty())))
                            .flatMap(outcome -> record(entry, entry.attempts() + 1, outcome));
                });
    }

    private Mono<Boolean> record(OutboxEntry entry, int attempts, SendOutcome outcome) {
        Instant now = clock.instant();
        if (outcome instanceof SendOutcome.Sent sent) {
            log.debug("Outbox entry {} sent", entry.id());
            return finish(entry.id(), DeliveryStatus.SENDING, new Update().set("status", DeliveryStatus.SENT)
                    .set("providerMessageId", sent.providerMessageId()).set("sentAt", now).set("statusAt", now)
                    .unset("sendingSince"));
        }
        if (outcome instanceof SendOutcome.Retryable retry && attempts < settings.backoff().maxAttempts()) {
            Duration delay = settings.backoff().delay(attempts, retry.retryAfter().orElse(null));
            log.info("Outbox entry {} will be retried in {}: {}", entry.id(), delay, retry.reason());
            return finish(entry.id(), DeliveryStatus.SENDING, new Update().set("status", DeliveryStatus.PENDING)
                    .set("nextAttemptAt", now.plus(delay)).set("lastError", retry.reason()).unset("sendingSince"));
        }
        String reason = outcome instanceof SendOutcome.Permanent p ? p.reason()
                : "gave up after " + attempts + " attempts: " + ((SendOutcome.Retryable) outcome).reason();
        log.warn("Outbox entry {} failed: {}", entry.id(), reason);
        return finish(entry.id(), DeliveryStatus.SENDING, new Update().set("status", DeliveryStatus.FAILED)
                .set("statusAt", now).set("lastError", reason).unset("sendingSince"));
    }

    private Mono<Boolean> finish(String id, DeliveryStatus expected, Update update) {
        return mongo.updateFirst(query(where("_id").is(id).and("status").is(expected)), update, OutboxEntry.class)
                .thenReturn(true);
    }
}

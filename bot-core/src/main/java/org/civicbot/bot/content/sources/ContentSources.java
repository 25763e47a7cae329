package org.civicbot.bot.content.sources;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.civicbot.bot.Periodic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The town's live information sources ({@code civicbot.content.sources.<name>}): news, the agenda, the pharmacies on
 * duty. Each is read from its URL every {@code refresh}, within {@code timeout}; what a good read gave is kept in the
 * store and served until the next good one, so a source that fails goes on serving its last content, with its date,
 * and editors see the failure ({@code GET /api/v1/sources}).
 */
public class ContentSources implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ContentSources.class);
    /** A source's body, at most: a town's feed is kilobytes. */
    static final int MAX_BODY = 5 * 1024 * 1024;

    private final ReactiveMongoTemplate mongo;
    private final WebClient client;
    private final Map<String, Source> sources;
    private final Clock clock;
    private final ZoneId zone;
    private final List<Periodic> loops = new ArrayList<>();
    /**
     * What each source served when last read from the store or refreshed here: a turn that shows a source (the news,
     * the agenda, the pharmacies on duty) reads it from here, and from the store once {@link #KEPT} has passed, so
     * that what another instance read reaches this one's citizens that much later at most.
     */
    private final com.github.benmanes.caffeine.cache.Cache<String, SourceState> served;
    /** How long a source's content is served from memory before it is read from the store again. */
    static final Duration KEPT = Duration.ofSeconds(10);

    /**
     * A configured source.
     *
     * @param refresh how often it is read
     * @param timeout how long a read may take before it counts as failed
     */
    public record Source(String name, String url, SourceKind kind, Duration refresh, Duration timeout) {}

    public ContentSources(ReactiveMongoTemplate mongo, WebClient.Builder builder, Map<String, Source> sources,
            Clock clock, ZoneId zone) {
        this.mongo = mongo;
        this.client = builder.codecs(c -> c.defaultCodecs().maxInMemorySize(MAX_BODY)).build();
        this.sources = new TreeMap<>(sources);
        this.clock = clock;
        this.zone = zone;
        this.served = com.github.benmanes.caffeine.cache.Caffeine.newBuilder().expireAfterWrite(KEPT)
                .ticker(() -> {
                    Instant now = clock.instant();
                    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
                })
                .build();
    }

    /** Reads every source now and then every {@code refresh}. */
    public synchronized void start() {
        for (Source source : sources.values()) {
            loops.add(Periodic.start("Source " + source.name(), Duration.ZERO, source.refresh(),
                    () -> refresh(source.name())));
        }
    }

    public Map<String, Source> configured() {
        return sources;
    }

    /** Every configured source's state; one never read yet has no items and no success. */
    public Flux<SourceState> states() {
        return mongo.findAll(SourceState.class).collectMap(SourceState::name).flatMapMany(stored -> Flux.fromIterable(
                sources.values()).map(s -> stored.getOrDefault(s.name(), new SourceState(s.name(),
                s.kind().name(), List.of(), null, null, null, null))));
    }

    /** What a source serves now: its last good read (maybe stale, with its date). Empty for an unknown source. */
    public Mono<SourceState> content(String name) {
        if (!sources.containsKey(name)) {
            return Mono.empty();
        }
        SourceState known = served.getIfPresent(name);
        return known != null ? Mono.just(known)
                : mongo.findById(name, SourceState.class).doOnNext(state -> served.put(name, state));
    }

    /** Reads the source now: a good read replaces its items; a failure is recorded and the items stay. */
    public Mono<SourceState> refresh(String name) {
        Source source = sources.get(name);
        if (source == null) {
            return Mono.empty();
        }
        Instant now = clock.instant();
        return client.get().uri(source.url()).retrieve().bodyToMono(byte[].class)
                .timeout(source.timeout())
                // Parsing is work for a worker thread, and whatever a parser throws (an Error too) is a failed read.
                .publishOn(reactor.core.scheduler.Schedulers.boundedElastic())
                .flatMap(body -> Mono.fromCallable(() -> read(source, body)))
                .flatMap(items -> mongo.findAndModify(query(where("_id").is(name)), new Update()
                                .set("kind", source.kind().name()).set("items", items).set("lastSuccess", now)
                                .unset("lastError").unset("lastErrorAt").set("lastAttemptAt", now),
                        FindAndModifyOptions.options().upsert(true).returnNew(true), SourceState.class))
                .onErrorResume(e -> {
                    String why = why(e);
                    log.warn("Source {} could not be read: {}", name, why);
                    return mongo.findAndModify(query(where("_id").is(name)), new Update()
                                    .set("kind", source.kind().name()).set("lastError", why).set("lastErrorAt", now)
                                    .set("lastAttemptAt", now),
                            FindAndModifyOptions.options().upsert(true).returnNew(true), SourceState.class);
                })
                .doOnNext(state -> served.put(name, state));
    }

    private List<org.civicbot.bot.content.sources.SourceItem> read(Source source, byte[] body) {
        try {
            return source.kind().read(body, zone);
        } catch (SourceKind.Unreadable e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            throw new SourceKind.Unreadable("the " + source.kind().name().toLowerCase(java.util.Locale.ROOT)
                    + " source could not be read: " + e.getClass().getSimpleName(), e);
        }
    }

    private static String why(Throwable e) {
        if (e instanceof java.util.concurrent.TimeoutException) {
            return "no answer within the timeout";
        }
        if (e instanceof org.springframework.web.reactive.function.client.WebClientResponseException r) {
            return "the source answered " + r.getStatusCode().value();
        }
        if (e instanceof SourceKind.Unreadable u) {
            return u.getMessage();
        }
        return "the source could not be reached (" + e.getClass().getSimpleName() + ")";
    }

    @Override
    public synchronized void close() {
        loops.forEach(Periodic::close);
        loops.clear();
    }
}

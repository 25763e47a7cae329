package org.civicbot.bot.content;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.civicbot.bot.FlowRuntime;
import org.civicbot.bot.Periodic;
import org.civicbot.flows.FlowBundle;
import org.civicbot.flows.FlowSource;
import org.civicbot.flows.Flows;
import org.civicbot.flows.InvalidFlowsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Keeps this instance's flows on the newest revision in the store: at start (the built-in flows become revision 1 of
 * an empty store), then by looking every few seconds at the newest number, one small read, and loading a newer one.
 * A revision this build cannot load (a release that reads an older spec differently, a file edited in the store by
 * hand) is logged and skipped for the newest one it can: the app never refuses to start because of stored content.
 */
public class FlowSync implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FlowSync.class);

    private final FlowRevisions revisions;
    private final FlowRuntime runtime;
    private final AtomicLong current = new AtomicLong();
    /** The newest revision found unloadable: not read again at every look. */
    private final AtomicLong skipped = new AtomicLong();
    private Periodic loop;

    public FlowSync(FlowRevisions revisions, FlowRuntime runtime) {
        this.revisions = revisions;
        this.runtime = runtime;
    }

    /** The revision this instance serves; 0 while it serves the files it started with. */
    public long current() {
        return current.get();
    }

    /** The flows this instance serves now. */
    public org.civicbot.flows.FlowBundle served() {
        return runtime.get().flows();
    }

    /**
     * Seeds an empty store with {@code builtIn}, serves the newest revision it can load, and looks for newer ones
     * every {@code every}.
     */
    public Mono<Long> start(List<FlowSource> builtIn, String origin, Duration every) {
        return revisions.seed(builtIn, origin).then(refresh()).doOnSuccess(n -> {
            synchronized (this) {
                if (loop == null && !every.isZero()) {
                    loop = Periodic.start("Flow revisions", every, every, this::refresh);
                }
            }
        });
    }

    /** Loads the newest revision if it is newer than the one served; answers the one served after. */
    public Mono<Long> refresh() {
        return revisions.latestNumber().flatMap(newest -> newest <= Math.max(current.get(), skipped.get())
                ? Mono.just(current.get()) : serveNewestFrom(newest));
    }

    /** Serves a revision just published here, at once, without waiting for the next look. */
    public void serve(FlowRevision revision, FlowBundle bundle) {
        synchronized (this) {
            if (revision.number() > current.get()) {
                runtime.publish(bundle);
                current.set(revision.number());
                log.info("Serving flow revision {}", revision.number());
            }
        }
    }

    private Mono<Long> serveNewestFrom(long number) {
        if (number <= current.get() || number < 1) {
            return Mono.just(current.get());
        }
        return revisions.find(number).flatMap(revision -> {
            try {
                serve(revision, Flows.load(revision.sources()));
                return Mono.just(current.get());
            } catch (InvalidFlowsException e) {
                skipped.accumulateAndGet(number, Math::max);
                log.error("Flow revision {} cannot be loaded by this build; serving an earlier one:\n{}", number,
                        e.getMessage());
                return serveNewestFrom(number - 1);
            }
        }).switchIfEmpty(Mono.defer(() -> serveNewestFrom(number - 1)));
    }

    @Override
    public synchronized void close() {
        if (loop != null) {
            loop.close();
            loop = null;
        }
    }
}

package org.civicbot.bot;

import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A task the app runs every so often while it runs (a sweep, a clean-up): one run at a time, a tick
 * that comes while a run is still going is skipped, and a run that fails is logged (its class only)
 * while the next one comes as usual. Closing it stops it.
 */
public final class Periodic implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Periodic.class);

    private final Disposable loop;

    private Periodic(Disposable loop) {
        this.loop = loop;
    }

    /**
     * @param name what it does, for the log
     * @param first when the first run comes
     * @param every how often the later ones come
     */
    public static Periodic start(String name, Duration first, Duration every, Supplier<Mono<?>> task) {
        return new Periodic(Flux.interval(first, every)
                .onBackpressureDrop()
                .concatMap(tick -> Mono.defer(task).onErrorResume(e -> {
                    log.warn("{} failed: {}", name, e.getClass().getName());
                    return Mono.empty();
                }), 1)
                .subscribe());
    }

    @Override
    public void close() {
        loop.dispose();
    }
}

package org.civicbot.app;

import de.bwaldvogel.mongo.MongoServer;
import java.time.Duration;
import org.civicbot.bot.live.LiveFeed;
import org.civicbot.bot.live.StoreChanges;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

/**
 * The live feed across instances ({@code civicbot.live.change-streams}: {@code auto}, {@code on}, {@code off}).
 * On a store that serves change streams, every instance's screens are told every instance's changes; on the
 * embedded store, which one instance uses alone, the feed tells that instance's own.
 */
@Configuration(proxyBeanMethods = false)
class LiveConfiguration {

    @Bean
    StoreChanges storeChanges(ReactiveMongoTemplate mongo, LiveFeed feed) {
        return new StoreChanges(mongo, feed);
    }

    @Bean
    StoreChangesOnStart storeChangesOnStart(StoreChanges changes, ObjectProvider<MongoServer> embeddedServer,
            @Value("${civicbot.live.change-streams:auto}") String mode) {
        return new StoreChangesOnStart(changes, StoreChanges.Mode.of(mode), embeddedServer.getIfAvailable() != null);
    }

    /** Follows the store's change streams from the start to the stop, when the mode and the store allow. */
    static final class StoreChangesOnStart implements SmartLifecycle {

        private static final Logger log = LoggerFactory.getLogger(StoreChangesOnStart.class);
        private static final Duration ASKING_LIMIT = Duration.ofSeconds(10);

        private final StoreChanges changes;
        private final StoreChanges.Mode mode;
        private final boolean embedded;
        private volatile boolean running;

        StoreChangesOnStart(StoreChanges changes, StoreChanges.Mode mode, boolean embedded) {
            this.changes = changes;
            this.mode = mode;
            this.embedded = embedded;
        }

        @Override
        public void start() {
            if (follows()) {
                changes.start();
                log.info("Live feed: every instance's changes, from the store's change streams");
            }
            running = true;
        }

        private boolean follows() {
            if (mode == StoreChanges.Mode.OFF) {
                log.info("Live feed: this instance's changes only (civicbot.live.change-streams=off)");
                return false;
            }
            if (embedded) {
                // One instance uses the embedded store, so its own changes are all there are.
                if (mode == StoreChanges.Mode.ON) {
                    log.warn("civicbot.live.change-streams=on, but the embedded store serves no change streams: "
                            + "the live feed tells this instance's changes (all there are on this store)");
                } else {
                    log.info("Live feed: this instance's changes, all there are on the embedded store");
                }
                return false;
            }
            if (mode == StoreChanges.Mode.ON) {
                return true;
            }
            Boolean replicated = changes.storeServesChangeStreams().block(ASKING_LIMIT);
            if (!Boolean.TRUE.equals(replicated)) {
                log.info("Live feed: this instance's changes only (the store is not a replica set, so it serves no "
                        + "change streams; civicbot.live.change-streams=on follows them anyway)");
            }
            return Boolean.TRUE.equals(replicated);
        }

        @Override
        public void stop() {
            changes.stop();
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }
    }
}

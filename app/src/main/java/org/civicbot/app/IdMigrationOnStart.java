package org.civicbot.app;

import org.civicbot.bot.conversation.ConversationIdMigration;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Moves conversations kept under old, unkeyed ids to their keyed ids before the web server takes any message (its
 * phase is the lowest): a message taken in meanwhile would start a new conversation beside the old one. It has no
 * time limit: on the first start after an upgrade it takes as long as the store needs, and a start cut short goes on
 * at the next. All instances of one store must run the keyed ids: stop the old ones before starting a new one.
 */
@Component
class IdMigrationOnStart implements SmartLifecycle {

    private final ConversationIdMigration migration;
    private volatile boolean running;

    IdMigrationOnStart(ConversationIdMigration migration) {
        this.migration = migration;
    }

    @Override
    public void start() {
        migration.run().block();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MIN_VALUE;
    }
}

package org.civicbot.bot;

import reactor.core.publisher.Mono;

/**
 * Makes what the store has acknowledged so far survive a crash of this process. Whatever answers a
 * provider, a device or a staff member 2xx, and whatever is about to be sent to a citizen, waits for it
 * first. On a MongoDB server the writes themselves are journaled (the client's write concern), so
 * there is nothing left to wait for; the embedded store commits and syncs its file in groups.
 */
@FunctionalInterface
public interface Durability {

    /** Completes once every write acknowledged before this call is on disk. */
    Mono<Void> sync();

    /** For a store whose acknowledged writes are already on disk (MongoDB with a journaled write concern). */
    static Durability journaledWrites() {
        return Mono::empty;
    }
}

package org.civicbot.app;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.civicbot.bot.Durability;
import org.h2.mvstore.MVStore;
import reactor.core.publisher.Mono;

/**
 * Durability for the embedded store: the H2 file behind it commits in the background about once a
 * second, so a crash would lose up to a second of acknowledged writes. A caller of {@link #sync} waits
 * for the next commit that starts after its call; one commit and one fsync serve every caller that
 * arrived while the previous one ran, so many waiting writes cost one disk sync, not one each.
 */
final class GroupCommit implements Durability, AutoCloseable {

    private final MVStore store;
    private final ExecutorService committer = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "store-group-commit");
        thread.setDaemon(true);
        return thread;
    });
    /** Completed by the next commit to start; replaced when it starts. Guarded by {@code this}. */
    private CompletableFuture<Void> next = new CompletableFuture<>();
    /** Callers waiting for {@link #next}; guarded by {@code this}. */
    private int waiting;
    /** Whether the committer is running; guarded by {@code this}. */
    private boolean busy;

    GroupCommit(MVStore store) {
        this.store = store;
    }

    @Override
    public Mono<Void> sync() {
        return Mono.fromFuture(this::join, true);
    }

    private synchronized CompletableFuture<Void> join() {
        waiting++;
        if (!busy) {
            busy = true;
            committer.execute(this::commitWhileWaited);
        }
        return next;
    }

    /** Commits for the callers gathered so far, again while more arrived during a commit, then rests. */
    private void commitWhileWaited() {
        while (true) {
            CompletableFuture<Void> batch;
            synchronized (this) {
                batch = next;
                next = new CompletableFuture<>();
                waiting = 0;
            }
            try {
                store.commit();
                store.sync();
                batch.complete(null);
            } catch (RuntimeException e) {
                batch.completeExceptionally(e);
            }
            synchronized (this) {
                if (waiting == 0) {
                    busy = false;
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        committer.shutdown();
    }
}

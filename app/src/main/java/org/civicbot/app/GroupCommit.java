package org.civicbot.app;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.civicbot.bot.Durability;
import org.h2.mvstore.MVStore;
import reactor.core.publisher.Mono;

/**
 * Durability for the embedded store: the H2 file behind it commits in the background about once a
 * second, so a crash would lose up to a second of acknowledged writes. A caller of {@link #sync} waits
 * for the next commit that starts after its call and for a disk sync that starts after that commit; one
 * commit and one sync serve every caller that arrived while the previous ones ran, so many waiting writes
 * cost one disk sync, not one each.
 *
 * <p>Commits and disk syncs are a pipeline of two threads: while one batch's sync waits for the disk, the
 * next batch commits, so under load a caller waits for about the longer of the two, not for their sum.
 */
final class GroupCommit implements Durability, AutoCloseable {

    private final MVStore store;
    private final ExecutorService committer = daemon("store-group-commit");
    private final ExecutorService syncer = daemon("store-group-sync");
    /** Completed once the next commit to start is on disk; replaced when it starts. Guarded by {@code this}. */
    private CompletableFuture<Void> next = new CompletableFuture<>();
    /** Callers waiting for {@link #next}; guarded by {@code this}. */
    private int waiting;
    /** Whether the committer is running; guarded by {@code this}. */
    private boolean committing;
    /** Batches committed and written to the file, waiting for a disk sync; guarded by {@code this}. */
    private final List<CompletableFuture<Void>> written = new ArrayList<>();
    /** Whether the syncer is running; guarded by {@code this}. */
    private boolean syncing;

    GroupCommit(MVStore store) {
        this.store = store;
    }

    private static ExecutorService daemon(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public Mono<Void> sync() {
        return Mono.fromFuture(this::join, true);
    }

    private synchronized CompletableFuture<Void> join() {
        waiting++;
        if (!committing) {
            committing = true;
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
                // H2 also stores in the background, handing the pages to its own writer threads without waiting for
                // them, and a commit that finds nothing new to store returns at once: such a chunk may still be on
                // its way to the file. Once those threads are idle, everything stored so far has been written.
                store.getFileStore().executeFileStoreOperation(() -> { });
                synchronized (this) {
                    written.add(batch);
                    if (!syncing) {
                        syncing = true;
                        syncer.execute(this::syncWhileWritten);
                    }
                }
            } catch (RuntimeException e) {
                batch.completeExceptionally(e);
            }
            synchronized (this) {
                if (waiting == 0) {
                    committing = false;
                    return;
                }
            }
        }
    }

    /** Syncs the file for every batch written so far, again while more were written during a sync, then rests. */
    private void syncWhileWritten() {
        while (true) {
            List<CompletableFuture<Void>> batches;
            synchronized (this) {
                batches = List.copyOf(written);
                written.clear();
            }
            try {
                store.sync();
                batches.forEach(batch -> batch.complete(null));
            } catch (RuntimeException e) {
                batches.forEach(batch -> batch.completeExceptionally(e));
            }
            synchronized (this) {
                if (written.isEmpty()) {
                    syncing = false;
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        committer.shutdown();
        syncer.shutdown();
    }
}

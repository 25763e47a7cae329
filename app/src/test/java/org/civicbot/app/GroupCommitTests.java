package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a sync acknowledged is in the file. Copies of the file taken while writers write and sync stand for a
 * crash at that moment: each must hold every write whose sync completed before the copy began. The store stores
 * in the background as often as it can (a tiny auto-commit buffer), which is when a commit may find nothing left
 * to store while H2's own writer threads still carry a chunk to the file.
 */
class GroupCommitTests {

    static final int WRITERS = 4;
    static final int WRITES_EACH = 400;
    static final int COPIES = 12;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedWriteIsInTheFileAtAnyMoment() throws Exception {
        Path file = dir.resolve("store.mv");
        MVStore store = new MVStore.Builder().fileName(file.toString()).autoCommitBufferSize(1).open();
        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try (GroupCommit durability = new GroupCommit(store)) {
            MVMap<Integer, String> map = store.openMap("things");
            List<CompletableFuture<?>> all = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                all.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < WRITES_EACH; i++) {
                        int key = writer * WRITES_EACH + i;
                        map.put(key, "thing " + key + " ".repeat(key % 200));
                        durability.sync().block(Duration.ofSeconds(30));
                        acknowledged.add(key);
                    }
                }, writers));
            }
            int copies = 0;
            int checked = 0;
            while (copies < COPIES) {
                Set<Integer> before = Set.copyOf(acknowledged);
                if (before.size() < (copies + 1) * WRITERS * WRITES_EACH / (COPIES + 1)) {
                    Thread.onSpinWait();
                    continue;
                }
                Path copy = dir.resolve("crash-" + copies + ".mv");
                Files.copy(file, copy);
                MVStore crashed = new MVStore.Builder().fileName(copy.toString()).readOnly().open();
                try {
                    MVMap<Integer, String> found = crashed.openMap("things");
                    assertThat(found.keySet()).as("the file copied after %d acknowledgements", before.size())
                            .containsAll(before);
                    checked += before.size();
                } finally {
                    crashed.close();
                }
                copies++;
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
            assertThat(acknowledged).hasSize(WRITERS * WRITES_EACH);
            assertThat(checked).isPositive();
        } finally {
            writers.shutdownNow();
            store.close();
        }
    }

    /**
     * H2's background store hands a chunk to its writer threads and returns; a commit right after may find nothing
     * left to store. The sync must still wait for that chunk to reach the file. (H2 2.4 also waits for it when the
     * writer has begun to record the chunk; this holds the sync to it whatever H2's timing.)
     */
    @Test
    void aSyncWaitsForWhatTheBackgroundStoreIsStillWriting() throws IOException {
        Path file = dir.resolve("background.mv");
        // Nothing stored while the test writes: all of it goes in the one background store below.
        MVStore store = new MVStore.Builder().fileName(file.toString()).autoCommitBufferSize(1_000_000).open();
        try (GroupCommit durability = new GroupCommit(store)) {
            MVMap<Integer, String> map = store.openMap("things");
            // Enough that writing it takes H2's threads a while after the store has returned.
            String page = "x".repeat(1_000);
            for (int i = 0; i < 30_000; i++) {
                map.put(i, page + i);
            }
            store.tryCommit();
            durability.sync().block(Duration.ofSeconds(30));
            Path copy = dir.resolve("crash.mv");
            Files.copy(file, copy);
            MVStore crashed = new MVStore.Builder().fileName(copy.toString()).readOnly().open();
            try {
                assertThat(crashed.<Integer, String>openMap("things").sizeAsLong()).isEqualTo(30_000);
            } finally {
                crashed.close();
            }
        } finally {
            store.close();
        }
    }
}

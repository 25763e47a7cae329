package org.civicbot.bot.content.sources;

import java.time.Instant;
import java.util.List;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;

/**
 * What a source last gave, kept in the store ({@code content_sources}) so that every instance and a restart serve it:
 * the items of its last good read and when that was, and its last failure if it failed since.
 *
 * @param lastSuccess when {@code items} were read; null before the first good read
 * @param lastError why the last read failed, when it failed after the last good one; null otherwise
 */
@org.springframework.data.mongodb.core.mapping.Document("content_sources")
public record SourceState(@Id String name, String kind, List<SourceItem> items, Instant lastSuccess,
        String lastError, Instant lastErrorAt, Instant lastAttemptAt) {

    @PersistenceCreator
    public SourceState {
        items = items == null ? List.of() : List.copyOf(items);
    }

    /** Whether what it serves is older than its last attempt: the source failed since, and this is its last good read. */
    public boolean stale() {
        return lastError != null;
    }
}

package org.civicbot.bot.privacy;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import org.springframework.data.annotation.Id;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Who opened which conversation of a sensitive department (social services, by default): a line when a staff member
 * reads one, on its page (or its messages' fragment) or through the API, one per person and conversation every ten
 * minutes however often the page refreshes, for the data-protection officer. The other departments' chats
 * are not logged: the log would drown what matters.
 */
public class AccessLog {

    public static final String COLLECTION = "access_log";
    /** Readings of one conversation by one person within this while make one line (the page refreshes itself). */
    static final java.time.Duration WHILE = java.time.Duration.ofMinutes(10);

    private final ReactiveMongoTemplate mongo;
    private final Clock clock;
    private final Set<String> sensitive;

    /** @param sensitive the departments whose conversations are logged when opened */
    public AccessLog(ReactiveMongoTemplate mongo, Clock clock, Set<String> sensitive) {
        this.mongo = mongo;
        this.clock = clock;
        this.sensitive = Set.copyOf(sensitive);
    }

    /** One opening: who, when, which conversation of which department, and how ({@code page} or {@code api}). */
    @org.springframework.data.mongodb.core.mapping.Document(COLLECTION)
    public record Entry(@Id String id, Instant at, String username, String conversationId, String department,
            String how) {}

    public Set<String> sensitive() {
        return sensitive;
    }

    /** Notes that {@code username} opened the conversation, when its department is a sensitive one. */
    public Mono<Void> opened(String username, String conversationId, String department, String how) {
        if (department == null || !sensitive.contains(department)) {
            return Mono.empty();
        }
        Instant now = clock.instant();
        String id = username + "|" + conversationId + "|" + now.getEpochSecond() / WHILE.toSeconds();
        return mongo.insert(new Entry(id, now, username, conversationId, department, how)).then()
                .onErrorResume(org.springframework.dao.DuplicateKeyException.class, e -> Mono.empty());
    }

    /** The latest openings, newest first. */
    public Flux<Entry> latest(int limit) {
        return mongo.find(query(where("at").exists(true)).with(Sort.by(Sort.Direction.DESC, "at")).limit(limit),
                Entry.class);
    }
}

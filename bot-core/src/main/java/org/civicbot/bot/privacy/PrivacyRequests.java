package org.civicbot.bot.privacy;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.data.annotation.Id;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The audit of what was done with citizens' personal data on request or by policy: every export and erasure (who,
 * when, why, of which contact, what it removed) and every retention pass (what it removed). It names contacts by
 * their id only, never by a phone number or a name, so an erasure leaves nothing here to undo it.
 */
public class PrivacyRequests {

    private final ReactiveMongoTemplate mongo;
    private final Clock clock;

    public PrivacyRequests(ReactiveMongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
    }

    /** What was done. */
    public enum Kind { EXPORT, ERASE, RETENTION }

    /**
     * One line of the audit.
     *
     * @param by the staff member's username, or {@code system} for a retention pass
     * @param counts what it removed or exported, per kind of record
     */
    @org.springframework.data.mongodb.core.mapping.Document("privacy_requests")
    public record PrivacyRequest(@Id String id, Kind kind, String contactId, String by, String reason, Instant at,
            Map<String, Long> counts) {}

    public Mono<PrivacyRequest> record(Kind kind, String contactId, String by, String reason,
            Map<String, Long> counts) {
        return mongo.insert(new PrivacyRequest(UUID.randomUUID().toString(), kind, contactId, by, reason,
                clock.instant(), counts));
    }

    /** The latest lines, newest first. */
    public Flux<PrivacyRequest> latest(int limit) {
        return mongo.find(query(where("at").exists(true)).with(Sort.by(Sort.Direction.DESC, "at")).limit(limit),
                PrivacyRequest.class);
    }

    /** The last retention pass, if one ran. */
    public Mono<PrivacyRequest> lastRetention() {
        return mongo.findOne(query(where("kind").is(Kind.RETENTION)).with(Sort.by(Sort.Direction.DESC, "at")),
                PrivacyRequest.class);
    }
}

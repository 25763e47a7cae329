package org.civicbot.bot.outbox;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.civicbot.bot.Channel;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.publisher.Mono;

/**
 * Moves outbox entries forward on a provider's status callback, and never back; a terminal status (read,
 * undelivered, failed) stays, so a late failure report never turns a message the citizen read into a failed one.
 */
public class OutboxStatusCallbacks implements StatusCallbacks {

    private final ReactiveMongoTemplate mongo;
    private final Clock clock;

    public OutboxStatusCallbacks(ReactiveMongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
    }

    @Override
    public Mono<Boolean> update(Channel channel, String providerMessageId, DeliveryStatus status, String errorCode) {
        List<DeliveryStatus> behind = Arrays.stream(DeliveryStatus.values())
                .filter(s -> s.rank() < status.rank() && !s.isTerminal()).toList();
        Update update = new Update().set("status", status).set("statusAt", clock.instant());
        if (errorCode != null && !errorCode.isBlank()) {
            update.set("lastError", "provider error " + errorCode);
        }
        return mongo.updateFirst(query(where("channel").is(channel).and("providerMessageId").is(providerMessageId)
                        .and("status").in(behind)), update, OutboxEntry.class)
                .map(result -> result.getModifiedCount() > 0);
    }

    @Override
    public Mono<Boolean> updateEntry(Channel channel, String entryId, String providerMessageId, DeliveryStatus status,
            String errorCode) {
        return updateEntry(channel, entryId, providerMessageId, status, errorCode, 2);
    }

    /** Read, then move conditioned on the status read (an index lookup on every store); again if it moved meanwhile. */
    private Mono<Boolean> updateEntry(Channel channel, String entryId, String providerMessageId, DeliveryStatus status,
            String errorCode, int tries) {
        return mongo.findById(entryId, OutboxEntry.class)
                .filter(entry -> entry.channel() == channel)
                .flatMap(entry -> {
                    boolean forward = entry.status().rank() < status.rank() && !entry.status().isTerminal();
                    boolean learnsId = entry.providerMessageId() == null && providerMessageId != null;
                    if (!forward && !learnsId) {
                        return Mono.just(false);
                    }
                    Update update = new Update();
                    if (forward) {
                        update.set("status", status).set("statusAt", clock.instant());
                        if (errorCode != null && !errorCode.isBlank()) {
                            update.set("lastError", "provider error " + errorCode);
                        }
                    }
                    if (learnsId) {
                        update.set("providerMessageId", providerMessageId);
                    }
                    return mongo.updateFirst(query(where("_id").is(entryId).and("status").is(entry.status())), update,
                                    OutboxEntry.class)
                            .flatMap(result -> result.getModifiedCount() > 0 ? Mono.just(forward)
                                    : tries > 1 ? updateEntry(channel, entryId, providerMessageId, status, errorCode,
                                            tries - 1) : Mono.just(false));
                })
                .defaultIfEmpty(false);
    }
}

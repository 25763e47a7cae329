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
}

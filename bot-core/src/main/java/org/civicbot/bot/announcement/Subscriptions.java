package org.civicbot.bot.announcement;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Clock;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Which contacts want the notices of which topic, where. A subscription is kept once however often it is asked
 * for; opting out stops every notice without forgetting them (the contact may come back).
 */
public class Subscriptions {

    private final ReactiveMongoTemplate mongo;
    private final Clock clock;

    public Subscriptions(ReactiveMongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
    }

    /** Subscribes the contact to {@code topic} in {@code area} (null: the whole town). */
    public Mono<Subscription> subscribe(String conversationId, String topic, String area) {
        return mongo.save(new Subscription(Subscription.idOf(conversationId, topic, area), conversationId, topic,
                area, clock.instant()));
    }

    public Mono<Void> unsubscribe(String conversationId, String topic, String area) {
        return mongo.remove(query(where("_id").is(Subscription.idOf(conversationId, topic, area))), Subscription.class)
                .then();
    }

    public Mono<Void> unsubscribeAll(String conversationId) {
        return mongo.remove(query(where("conversationId").is(conversationId)), Subscription.class).then();
    }

    public Flux<Subscription> of(String conversationId) {
        return mongo.find(query(where("conversationId").is(conversationId)).with(Sort.by("createdAt")),
                Subscription.class);
    }

    /**
     * The contacts an announcement of {@code topic} for {@code area} is for, each once: those subscribed to the
     * topic in that area or in the whole town; for the whole town (null), every subscriber of the topic.
     */
    public Flux<String> audience(String topic, String area) {
        Criteria where = where("topic").is(topic);
        if (area != null) {
            where = where.and("area").in(area, null);
        }
        return mongo.find(query(where).with(Sort.by("conversationId")), Subscription.class)
                .map(Subscription::conversationId).distinct();
    }

    /** How many contacts follow each topic, for the back-office. */
    public Mono<Long> count(String topic) {
        return mongo.count(query(where("topic").is(topic)), Subscription.class);
    }
}

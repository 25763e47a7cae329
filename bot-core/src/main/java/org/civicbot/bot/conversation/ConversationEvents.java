package org.civicbot.bot.conversation;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import org.civicbot.bot.live.LiveFeed;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The events of conversations, each recorded once, and told to the live feed so screens follow. */
public class ConversationEvents {

    private final ReactiveMongoTemplate mongo;
    private final LiveFeed feed;

    public ConversationEvents(ReactiveMongoTemplate mongo, LiveFeed feed) {
        this.mongo = mongo;
        this.feed = feed;
    }

    public Mono<Void> record(ConversationEvent event) {
        return mongo.insert(event).then().onErrorResume(DuplicateKeyException.class, e -> Mono.empty())
                .doOnSuccess(done -> feed.publish(event.conversationId(), event.type()));
    }

    public Flux<ConversationEvent> of(String conversationId) {
        return mongo.find(query(where("conversationId").is(conversationId)).with(Sort.by("at")),
                ConversationEvent.class);
    }
}

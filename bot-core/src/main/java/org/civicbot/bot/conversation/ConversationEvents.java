package org.civicbot.bot.conversation;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The events of conversations, each recorded once. */
public class ConversationEvents {

    private final ReactiveMongoTemplate mongo;

    public ConversationEvents(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    public Mono<Void> record(ConversationEvent event) {
        return mongo.insert(event).then().onErrorResume(DuplicateKeyException.class, e -> Mono.empty());
    }

    public Flux<ConversationEvent> of(String conversationId) {
        return mongo.find(query(where("conversationId").is(conversationId)).with(Sort.by("at")),
                ConversationEvent.class);
    }
}

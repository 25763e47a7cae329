package org.civicbot.bot.outbox;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.util.List;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Writes outbox entries, each once however often it is written, and wakes the dispatcher. */
public class Outbox {

    private final ReactiveMongoTemplate mongo;
    private final Runnable wake;

    public Outbox(ReactiveMongoTemplate mongo, Runnable wake) {
        this.mongo = mongo;
        this.wake = wake;
    }

    public Mono<Void> enqueue(List<OutboxEntry> entries) {
        if (entries.isEmpty()) {
            return Mono.empty();
        }
        // One round trip for the whole turn; only when some were written before (a turn carried out
        // again) does it fall back to one insert each, keeping the ones that are new.
        return mongo.insertAll(entries).then()
                .onErrorResume(DuplicateKeyException.class, e -> Flux.fromIterable(entries)
                        .concatMap(entry -> mongo.insert(entry).then()
                                .onErrorResume(DuplicateKeyException.class, again -> Mono.empty()))
                        .then())
                .then(Mono.fromRunnable(wake));
    }

    public Flux<OutboxEntry> ofConversation(String conversationId) {
        return mongo.find(query(where("conversationId").is(conversationId)).with(Sort.by("seq")), OutboxEntry.class);
    }
}

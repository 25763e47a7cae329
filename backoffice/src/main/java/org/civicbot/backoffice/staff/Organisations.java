package org.civicbot.backoffice.staff;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The outside entities incidents may be passed to. */
@Service
public class Organisations {

    private final ReactiveMongoTemplate mongo;

    Organisations(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    public Flux<Organisation> all() {
        return mongo.find(new Query().with(Sort.by("name")), Organisation.class);
    }

    public Mono<Organisation> find(String id) {
        return id == null ? Mono.empty() : mongo.findById(id, Organisation.class);
    }

    /** Creates or replaces one. */
    public Mono<Organisation> save(Organisation organisation) {
        return mongo.save(organisation);
    }

    public Mono<Boolean> exists(String id) {
        return mongo.exists(Query.query(Criteria.where("_id").is(id)), Organisation.class);
    }
}

package org.civicbot.backoffice.staff;

import java.util.List;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The town hall's departments; the ones the default flows hand off to exist from the first start. */
@Service
public class Departments {

    /** The departments the default flows name in their handoffs. */
    static final List<Department> DEFAULTS = List.of(
            new Department("citizen_service", "Atenció ciutadana"),
            new Department("social_services", "Serveis socials"),
            new Department("business", "Promoció econòmica"),
            new Department("employment", "Ocupació"));

    private final ReactiveMongoTemplate mongo;

    Departments(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    public Flux<Department> all() {
        return mongo.find(new Query().with(Sort.by("name")), Department.class);
    }

    public Mono<Department> create(Department department) {
        return mongo.insert(department);
    }

    public Mono<Department> find(String id) {
        return mongo.findById(id, Department.class);
    }

    /**
     * Changes a department's name and/or e-mail address; null leaves that one as it is, an empty e-mail removes
     * it. The department as it is now; empty if there is no such department.
     */
    public Mono<Department> update(String id, String name, String email) {
        Update update = new Update();
        if (name != null) {
            update.set("name", name);
        }
        if (email != null) {
            if (email.isBlank()) {
                update.unset("email");
            } else {
                update.set("email", email);
            }
        }
        if (update.getUpdateObject().isEmpty()) {
            return find(id);
        }
        return mongo.findAndModify(Query.query(Criteria.where("_id").is(id)), update,
                FindAndModifyOptions.options().returnNew(true), Department.class);
    }

    public Mono<Boolean> exists(String id) {
        return mongo.exists(Query.query(Criteria.where("_id").is(id)),
                Department.class);
    }

    /**
     * Creates the default departments on an empty store. Two instances starting together on a new store
     * both find it empty: the second one's inserts find the first one's departments, and that is fine.
     */
    Mono<Void> ensureDefaults() {
        return mongo.count(new Query(), Department.class)
                .filter(count -> count == 0)
                .flatMapMany(none -> Flux.fromIterable(DEFAULTS).concatMap(department -> mongo.insert(department)
                        .onErrorResume(DuplicateKeyException.class, e -> Mono.empty())))
                .then();
    }

    /**
     * Deletes a department nothing uses; otherwise refused with what still uses it (staff, open incidents,
     * conversations, rules), for an admin to move first.
     */
    public Mono<Boolean> delete(String id) {
        Query usedBy = Query.query(org.springframework.data.mongodb.core.query.Criteria.where("department").is(id)
                .and("status").in("AWAITING_AGENT", "AGENT"));
        Mono<Long> staff = mongo.count(Query.query(org.springframework.data.mongodb.core.query.Criteria
                .where("departments").is(id)), StaffUser.class);
        Mono<Long> incidents = mongo.count(Query.query(org.springframework.data.mongodb.core.query.Criteria
                .where("department").is(id).and("status").ne("CLOSED")), "incidents");
        Mono<Long> conversations = mongo.count(Query.of(usedBy), "conversations");
        Mono<Long> rules = mongo.count(Query.query(org.springframework.data.mongodb.core.query.Criteria
                .where("then.department").is(id)), "rules");
        return Mono.zip(staff, incidents, conversations, rules).flatMap(t -> {
            if (t.getT1() + t.getT2() + t.getT3() + t.getT4() > 0) {
                return Mono.error(new InUse("department " + id + " is still used by " + t.getT1() + " staff, "
                        + t.getT2() + " open incidents, " + t.getT3() + " conversations with a person and " + t.getT4()
                        + " rules; move them first"));
            }
            return mongo.remove(Query.query(org.springframework.data.mongodb.core.query.Criteria.where("_id").is(id)),
                    Department.class).map(r -> r.getDeletedCount() > 0);
        });
    }

    /** Something still uses what was to be deleted; the message says what. */
    public static final class InUse extends RuntimeException {
        public InUse(String message) {
            super(message);
        }
    }
}

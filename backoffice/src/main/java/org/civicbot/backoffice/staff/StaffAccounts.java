package org.civicbot.backoffice.staff;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Deactivating, reactivating and deleting staff accounts, for the admin page and the API alike: nobody removes
 * themselves, and the last active admin stays (the town hall must never lock itself out).
 */
@Component
public class StaffAccounts {

    private final StaffUsers users;
    private final org.springframework.data.mongodb.core.ReactiveMongoTemplate mongo;
    private final Organisations organisations;

    StaffAccounts(StaffUsers users, org.springframework.data.mongodb.core.ReactiveMongoTemplate mongo,
            Organisations organisations) {
        this.users = users;
        this.mongo = mongo;
        this.organisations = organisations;
    }

    /**
     * Nothing, when a new account's roles and organisation fit: a {@code SUPPLIER} works for one organisation that
     * exists and has no other role; nobody else has an organisation.
     */
    public Mono<Void> checkNew(java.util.Set<StaffUser.Role> roles, String organisation) {
        boolean supplier = roles.contains(StaffUser.Role.SUPPLIER);
        if (supplier != (organisation != null)) {
            return Mono.error(new Invalid(supplier ? "a SUPPLIER works for an organisation: give \"organisation\""
                    : "only a SUPPLIER works for an organisation"));
        }
        if (supplier && roles.size() > 1) {
            return Mono.error(new Invalid(
                    "a SUPPLIER has no other role: an outside organisation's account sees only its incidents"));
        }
        return organisation == null ? Mono.empty() : organisations.exists(organisation).flatMap(known -> known
                ? Mono.<Void>empty() : Mono.error(new Invalid("no organisation " + organisation
                        + "; create it first (POST /api/v1/organisations)")));
    }

    /** An account that cannot be made as asked; the message says what to change. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message);
        }
    }

    /** A change that would lock someone out; the message says why. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    /** No such staff user. */
    public static final class Unknown extends RuntimeException {
        public Unknown(String username) {
            super("no staff user " + username);
        }
    }

    public Mono<StaffUser> setEnabled(String username, boolean enabled, String admin) {
        return enabled ? existing(username).then(users.setEnabled(username, true))
                : removable(username, admin, "deactivate").then(users.setEnabled(username, false));
    }

    public Mono<Void> delete(String username, String admin) {
        return removable(username, admin, "delete").then(users.delete(username)).then();
    }

    /** Whether taking the account away keeps the town hall with someone to administer it. */
    public Mono<Void> removable(String username, String admin, String what) {
        if (username.equals(admin)) {
            return Mono.error(new Refused("you cannot " + what + " yourself; ask another admin"));
        }
        return existing(username)
                .flatMap(u -> u.roles().contains(StaffUser.Role.ADMIN) && u.enabled() ? users.otherAdmins(username)
                        : Mono.just(1L))
                .flatMap(others -> others == 0 ? Mono.error(new Refused(
                        "this is the last active admin; make someone else admin first")) : Mono.<Void>empty())
                .then(pendingWork(username, what));
    }

    /** Refused while they still hold work nobody else would see to: chats with citizens, open incidents, rules. */
    private Mono<Void> pendingWork(String username, String what) {
        var where = org.springframework.data.mongodb.core.query.Criteria.where("assignee").is(username);
        Mono<Long> chats = mongo.count(org.springframework.data.mongodb.core.query.Query.query(
                org.springframework.data.mongodb.core.query.Criteria.where("assignee").is(username)
                        .and("status").is("AGENT")), "conversations");
        Mono<Long> incidents = mongo.count(org.springframework.data.mongodb.core.query.Query.query(
                where.and("status").ne("CLOSED")), "incidents");
        Mono<Long> rules = mongo.count(org.springframework.data.mongodb.core.query.Query.query(
                org.springframework.data.mongodb.core.query.Criteria.where("then.assignee").is(username)), "rules");
        return Mono.zip(chats, incidents, rules).flatMap(t -> t.getT1() + t.getT2() + t.getT3() == 0 ? Mono.empty()
                : Mono.error(new Refused("before you " + what + " " + username + ", hand over their " + t.getT1()
                        + " conversations with citizens, " + t.getT2() + " open incidents and " + t.getT3()
                        + " rules that assign to them")));
    }

    private Mono<StaffUser> existing(String username) {
        return users.find(username).switchIfEmpty(Mono.error(new Unknown(username)));
    }
}

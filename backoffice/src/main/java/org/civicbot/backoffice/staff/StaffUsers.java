package org.civicbot.backoffice.staff;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;
import org.civicbot.backoffice.session.StaffSessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Staff accounts in MongoDB, and the first admin on an empty store. */
@Service
public class StaffUsers {

    private static final Logger log = LoggerFactory.getLogger(StaffUsers.class);

    private final ReactiveMongoTemplate mongo;
    private final PasswordEncoder encoder;
    private final Clock clock;
    private final StaffSessions sessions;

    StaffUsers(ReactiveMongoTemplate mongo, PasswordEncoder encoder, Clock clock, StaffSessions sessions) {
        this.mongo = mongo;
        this.encoder = encoder;
        this.clock = clock;
        this.sessions = sessions;
    }

    public Mono<StaffUser> find(String username) {
        return mongo.findById(username, StaffUser.class);
    }

    /** What the user may see, from their stored roles and departments; empty for an unknown or deactivated user. */
    public Mono<Scope> scope(String username) {
        return find(username).filter(StaffUser::enabled).map(u -> new Scope(u.username(), granted(u.roles()),
                u.departments() == null ? Set.of() : u.departments(), u.organisation()));
    }

    /** Roles include the ones below them: an admin is also a supervisor, an agent and an editor. */
    static Set<StaffUser.Role> granted(Set<StaffUser.Role> roles) {
        EnumSet<StaffUser.Role> all = EnumSet.noneOf(StaffUser.Role.class);
        all.addAll(roles);
        if (roles.contains(StaffUser.Role.ADMIN)) {
            // Every role of the town hall; SUPPLIER is an outside organisation's, not a power.
            all.addAll(EnumSet.complementOf(EnumSet.of(StaffUser.Role.SUPPLIER)));
        }
        if (roles.contains(StaffUser.Role.SUPERVISOR)) {
            all.add(StaffUser.Role.AGENT);
        }
        return all;
    }

    public Flux<StaffUser> all() {
        return mongo.findAll(StaffUser.class).sort(Comparator.comparing(StaffUser::username));
    }

    /** Creates a staff user; an existing username is refused. */
    public Mono<StaffUser> create(String username, String displayName, String password, Set<StaffUser.Role> roles,
            Set<String> departments) {
        return create(username, displayName, password, roles, departments, null);
    }

    /** Creates a staff user with an e-mail address (null: none); an existing username is refused. */
    public Mono<StaffUser> create(String username, String displayName, String password, Set<StaffUser.Role> roles,
            Set<String> departments, String email) {
        return create(username, displayName, password, roles, departments, email, null);
    }

    /**
     * Creates a staff user; a {@code SUPPLIER} names the organisation they work for. An existing username is
     * refused.
     */
    public Mono<StaffUser> create(String username, String displayName, String password, Set<StaffUser.Role> roles,
            Set<String> departments, String email, String organisation) {
        StaffUser user = new StaffUser(username, displayName, encoder.encode(password), Set.copyOf(roles),
                Set.copyOf(departments), true, clock.instant(), false, email, organisation);
        return mongo.insert(user);
    }

    /**
     * Changes a staff member's name and/or e-mail address; null leaves that one as it is, an empty e-mail removes
     * it. The user as they are now; empty if there is no such user.
     */
    public Mono<StaffUser> update(String username, String displayName, String email) {
        Update update = new Update();
        if (displayName != null) {
            update.set("displayName", displayName);
        }
        if (email != null) {
            if (email.isBlank()) {
                update.unset("email");
            } else {
                update.set("email", email);
            }
        }
        if (update.getUpdateObject().isEmpty()) {
            return find(username);
        }
        return mongo.findAndModify(Query.query(Criteria.where("_id").is(username)), update,
                FindAndModifyOptions.options().returnNew(true), StaffUser.class);
    }

    /**
     * Deactivates or reactivates a staff member; a deactivated one cannot sign in, and their sessions end at once.
     * Their name stays on every history they are on.
     */
    public Mono<StaffUser> setEnabled(String username, boolean enabled) {
        return mongo.findAndModify(Query.query(Criteria.where("_id").is(username)), new Update().set("enabled", enabled),
                        FindAndModifyOptions.options().returnNew(true), StaffUser.class)
                .flatMap(user -> enabled ? Mono.just(user) : sessions.endAll(username).thenReturn(user));
    }

    /** Changes what a staff member does: their roles, departments, organisation (null leaves each as it is). */
    public Mono<StaffUser> setRoles(String username, Set<StaffUser.Role> roles, Set<String> departments) {
        Update update = new Update();
        if (roles != null) {
            update.set("roles", roles);
        }
        if (departments != null) {
            update.set("departments", departments);
        }
        if (update.getUpdateObject().isEmpty()) {
            return find(username);
        }
        // What they may do lives in their sessions: a change of roles or departments signs them out.
        return mongo.findAndModify(Query.query(Criteria.where("_id").is(username)), update,
                        FindAndModifyOptions.options().returnNew(true), StaffUser.class)
                .flatMap(user -> sessions.endAll(username).thenReturn(user));
    }

    /** Deletes a staff member and ends their sessions; true if there was one. */
    public Mono<Boolean> delete(String username) {
        return mongo.remove(Query.query(Criteria.where("_id").is(username)), StaffUser.class)
                .flatMap(result -> result.getDeletedCount() == 0 ? Mono.just(false)
                        : sessions.endAll(username).thenReturn(true));
    }

    /** How many enabled admins there are besides {@code username}: the last one may not be removed. */
    public Mono<Long> otherAdmins(String username) {
        return mongo.count(Query.query(Criteria.where("_id").ne(username).and("enabled").is(true)
                .and("roles").is(StaffUser.Role.ADMIN.name())), StaffUser.class);
    }

    /**
     * An admin sets a staff member's password. Someone else's is temporary: they must change it at their next
     * sign-in, and their sessions end now. The admin's own is their own change ({@link #changePassword}).
     * Empty if there is no such user.
     */
    public Mono<StaffUser> setByAdmin(String username, String password, String admin, ServerWebExchange exchange) {
        return username.equals(admin) ? changePassword(username, password, exchange) : resetPassword(username, password);
    }

    /** Sets a temporary password, to be changed at the next sign-in, and ends the user's sessions. */
    public Mono<StaffUser> resetPassword(String username, String password) {
        return setPassword(username, password, true).flatMap(user -> sessions.endAll(username).thenReturn(user));
    }

    /** The user sets their own password: their other sessions end, the one of this request stays. */
    public Mono<StaffUser> changePassword(String username, String password, ServerWebExchange exchange) {
        return setPassword(username, password, false)
                .flatMap(user -> sessions.endOthers(username, exchange).thenReturn(user));
    }

    /** A generated password, to be changed at the next sign-in (for the command line); empty if no such user. */
    public Mono<String> resetToGenerated(String username) {
        String password = generatePassword();
        return resetPassword(username, password).map(user -> password);
    }

    private Mono<StaffUser> setPassword(String username, String password, boolean mustChange) {
        return mongo.findAndModify(Query.query(Criteria.where("_id").is(username)),
                new Update().set("passwordHash", encoder.encode(password)).set("mustChangePassword", mustChange),
                FindAndModifyOptions.options().returnNew(true), StaffUser.class);
    }

    /**
     * Creates the first admin when no staff user exists. A generated password is logged once and must be
     * changed at the first sign-in; one the operator chose ({@code civicbot.admin.password}) need not be.
     */
    public Mono<Void> ensureFirstAdmin(AdminProperties admin) {
        return mongo.count(new Query(), StaffUser.class)
                .filter(count -> count == 0)
                .flatMap(none -> {
                    boolean generated = admin.password() == null || admin.password().isBlank();
                    String password = generated ? generatePassword() : admin.password();
                    StaffUser user = new StaffUser(admin.username(), "Administrator", encoder.encode(password),
                            Set.of(StaffUser.Role.ADMIN), Set.of(), true, clock.instant(), generated);
                    return mongo.insert(user)
                            .doOnSuccess(u -> {
                                if (generated) {
                                    // Logged once, on the first start of an empty store, so the operator can sign in.
                                    log.warn("Created the first admin '{}' with the generated password: {}"
                                            + "  (to be changed at the first sign-in; set civicbot.admin.password"
                                            + " to choose it)", u.username(), password);
                                } else {
                                    log.info("Created the first admin '{}'", u.username());
                                }
                            })
                            .onErrorResume(DuplicateKeyException.class, e -> Mono.empty());
                })
                .then();
    }

    /** 144 random bits, in URL-safe Base64: 24 characters to type once. */
    private static String generatePassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

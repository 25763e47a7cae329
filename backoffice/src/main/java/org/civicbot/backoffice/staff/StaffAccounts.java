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

    StaffAccounts(StaffUsers users) {
        this.users = users;
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
                        "this is the last active admin; make someone else admin first")) : Mono.empty());
    }

    private Mono<StaffUser> existing(String username) {
        return users.find(username).switchIfEmpty(Mono.error(new Unknown(username)));
    }
}

package org.civicbot.backoffice.staff;

import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** The signed-in staff member of the current request, and what they may see. */
@Component
public class CurrentStaff {

    private final StaffUsers users;

    CurrentStaff(StaffUsers users) {
        this.users = users;
    }

    /** Empty outside a signed-in request, or when the account has been removed meanwhile. */
    public Mono<Scope> scope() {
        return ReactiveSecurityContextHolder.getContext()
                .mapNotNull(context -> context.getAuthentication())
                .flatMap(authentication -> users.scope(authentication.getName()));
    }
}

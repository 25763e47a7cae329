package org.civicbot.backoffice.staff;

import java.time.Duration;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/** Creates the first admin at start, when the store has no staff user. */
@Component
class FirstAdmin implements ApplicationRunner {

    private final StaffUsers users;
    private final AdminProperties admin;

    FirstAdmin(StaffUsers users, AdminProperties admin) {
        this.users = users;
        this.admin = admin;
    }

    @Override
    public void run(ApplicationArguments args) {
        users.ensureFirstAdmin(admin).block(Duration.ofSeconds(30));
    }
}

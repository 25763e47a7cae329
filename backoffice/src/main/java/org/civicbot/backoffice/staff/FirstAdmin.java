package org.civicbot.backoffice.staff;

import java.time.Duration;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/** Creates the default departments and the first admin at start, on an empty store. */
@Component
class FirstAdmin implements ApplicationRunner {

    private final StaffUsers users;
    private final Departments departments;
    private final AdminProperties admin;

    FirstAdmin(StaffUsers users, Departments departments, AdminProperties admin) {
        this.users = users;
        this.departments = departments;
        this.admin = admin;
    }

    @Override
    public void run(ApplicationArguments args) {
        departments.ensureDefaults().then(users.ensureFirstAdmin(admin)).block(Duration.ofSeconds(30));
    }
}

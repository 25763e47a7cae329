package org.civicbot.backoffice.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Set;
import org.civicbot.backoffice.mail.EmailAddresses;
import org.civicbot.backoffice.staff.CurrentStaff;
import org.civicbot.backoffice.staff.Department;
import org.civicbot.backoffice.staff.Departments;
import org.civicbot.backoffice.staff.StaffUser;
import org.civicbot.backoffice.staff.StaffUsers;
import org.civicbot.backoffice.staff.StaffAccounts;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Staff users and departments, for admins (the security configuration lets no one else in). */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Administration", description = "Staff users and departments")
class AdminApi {

    /** Passwords shorter than this are refused: staff pages show citizens' personal data. */
    static final int MIN_PASSWORD_LENGTH = 12;

    private final StaffUsers users;
    private final Departments departments;
    private final CurrentStaff staff;


    private final StaffAccounts accounts;

    AdminApi(StaffUsers users, Departments departments, CurrentStaff staff,
            StaffAccounts accounts) {
        this.accounts = accounts;
        this.users = users;
        this.departments = departments;
        this.staff = staff;
    }

    /**
     * A staff user as the API shows it: never the password hash.
     *
     * @param mustChangePassword their password was generated or set by an admin, to be changed at sign-in
     * @param email where their incident alerts and mentions are e-mailed; null: none
     */
    record UserView(String username, String displayName, Set<StaffUser.Role> roles, Set<String> departments,
            boolean enabled, Instant createdAt, boolean mustChangePassword, String email, String organisation) {
        static UserView of(StaffUser u) {
            return new UserView(u.username(), u.displayName(), u.roles(), u.departments(), u.enabled(), u.createdAt(),
                    u.mustChangePassword(), u.email(), u.organisation());
        }
    }

    record NewUser(@NotBlank @Pattern(regexp = "[a-z0-9._-]{2,40}",
                    message = "use 2 to 40 lowercase letters, digits, dots, hyphens or underscores") String username,
            @NotBlank @Size(max = 100) String displayName,
            @NotBlank @Size(min = MIN_PASSWORD_LENGTH, max = 200) String password,
            @NotEmpty Set<StaffUser.Role> roles, Set<String> departments,
            @Size(max = EmailAddresses.MAX_LENGTH) @Pattern(regexp = "^$|" + EmailAddresses.PATTERN,
                    message = EmailAddresses.MESSAGE) String email, String organisation) {}

    /**
     * A change to a staff user: what is absent stays as it is; {@code "email": ""} removes the address;
     * {@code "enabled": false} deactivates them (they cannot sign in, and their sessions end).
     */
    record UserChange(@Size(min = 1, max = 100) String displayName,
            @Size(max = EmailAddresses.MAX_LENGTH) @Pattern(regexp = "^$|" + EmailAddresses.PATTERN,
                    message = EmailAddresses.MESSAGE) String email, Boolean enabled, Set<StaffUser.Role> roles,
            Set<String> departments) {}

    record NewPassword(@NotBlank @Size(min = MIN_PASSWORD_LENGTH, max = 200) String password) {}

    record NewDepartment(@NotBlank @Pattern(regexp = "[a-z0-9_]{2,40}",
                    message = "use 2 to 40 lowercase letters, digits or underscores") String id,
            @NotBlank @Size(max = 100) String name,
            @Size(max = EmailAddresses.MAX_LENGTH) @Pattern(regexp = "^$|" + EmailAddresses.PATTERN,
                    message = EmailAddresses.MESSAGE) String email) {}

    /** A change to a department: what is absent stays as it is; {@code "email": ""} removes the address. */
    record DepartmentChange(@Size(min = 1, max = 100) String name,
            @Size(max = EmailAddresses.MAX_LENGTH) @Pattern(regexp = "^$|" + EmailAddresses.PATTERN,
                    message = EmailAddresses.MESSAGE) String email) {}

    @GetMapping("/users")
    @Operation(summary = "Staff users")
    Flux<UserView> users() {
        return users.all().map(UserView::of);
    }

    @PostMapping("/users")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a staff user")
    Mono<UserView> createUser(@Valid @RequestBody NewUser user) {
        Set<String> depts = user.departments() == null ? Set.of() : user.departments();
        String organisation = user.organisation() == null || user.organisation().isBlank() ? null
                : user.organisation().strip();
        return accounts.checkNew(user.roles(), organisation)
                .onErrorMap(StaffAccounts.Invalid.class, e -> new ResponseStatusException(HttpStatus.BAD_REQUEST,
                        e.getMessage()))
                .thenMany(Flux.fromIterable(depts))
                .filterWhen(d -> departments.exists(d).map(exists -> !exists))
                .collectList()
                .flatMap(unknown -> unknown.isEmpty()
                        ? users.create(user.username(), user.displayName(), user.password(), user.roles(), depts,
                                EmailAddresses.normalized(user.email()), organisation)
                        : Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST,
                                "unknown departments: " + String.join(", ", unknown))))
                .onErrorMap(DuplicateKeyException.class, e -> new ResponseStatusException(HttpStatus.CONFLICT,
                        "a staff user named " + user.username() + " exists already"))
                .map(UserView::of);
    }

    @PatchMapping("/users/{username}")
    @Operation(summary = "Change a staff user: name, e-mail (\"\" removes it), roles, departments, or "
            + "\"enabled\": false to deactivate them (their sessions end); an admin cannot deactivate themselves "
            + "nor the last admin")
    Mono<UserView> changeUser(@PathVariable String username, @Valid @RequestBody UserChange change) {
        Set<String> depts = change.departments();
        if (change.roles() != null && change.roles().isEmpty()) {
            return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST, "a staff user needs a role"));
        }
        boolean takesAdmin = change.roles() != null && !change.roles().contains(StaffUser.Role.ADMIN);
        Mono<Void> knownDepartments = depts == null ? Mono.empty() : Flux.fromIterable(depts)
                .filterWhen(d -> departments.exists(d).map(exists -> !exists)).collectList()
                .flatMap(unknown -> unknown.isEmpty() ? Mono.empty()
                        : Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST,
                                "unknown departments: " + String.join(", ", unknown))));
        // Every check first, then the writes: a refused change changes nothing.
        return staff.scope().flatMap(me -> (takesAdmin ? users.find(username)
                                .filter(u -> u.roles().contains(StaffUser.Role.ADMIN))
                                .flatMap(u -> accounts.removable(username, me.username(), "take the admin role from"))
                                : Mono.<Void>empty())
                        .then(Boolean.FALSE.equals(change.enabled())
                                ? accounts.removable(username, me.username(), "deactivate") : Mono.<Void>empty())
                        .then(change.roles() == null ? Mono.<Void>empty() : users.find(username)
                                .flatMap(u -> accounts.checkNew(change.roles(), u.organisation())))
                        .then(knownDepartments)
                        .then(users.find(username))
                        .switchIfEmpty(Mono.error(new StaffAccounts.Unknown(username)))
                        .then(users.update(username, change.displayName() == null ? null
                                : change.displayName().strip(), change.email() == null ? null : change.email().strip()))
                        .flatMap(u -> users.setRoles(username, change.roles(), depts))
                        .flatMap(u -> change.enabled() == null ? Mono.just(u)
                                : accounts.setEnabled(username, change.enabled(), me.username())))
                .onErrorMap(this::status)
                .map(UserView::of);
    }

    @org.springframework.web.bind.annotation.DeleteMapping("/users/{username}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a staff user (their name stays on the histories they are on); not oneself, nor the "
            + "last admin; deactivating keeps the account for later")
    Mono<Void> deleteUser(@PathVariable String username) {
        return staff.scope().flatMap(me -> accounts.delete(username, me.username())).onErrorMap(this::status);
    }

    private Throwable status(Throwable e) {
        if (e instanceof StaffAccounts.Invalid) {
            return new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        if (e instanceof StaffAccounts.Refused) {
            return new ResponseStatusException(HttpStatus.CONFLICT, e.getMessage());
        }
        if (e instanceof StaffAccounts.Unknown) {
            return new ResponseStatusException(HttpStatus.NOT_FOUND, e.getMessage());
        }
        return e;
    }

    @PostMapping("/users/{username}/password")
    @Operation(summary = "Reset a staff user's password: they must change it at their next sign-in, and their "
            + "sessions end (an admin's own password set this way is their own change)")
    Mono<UserView> resetPassword(@PathVariable String username, @Valid @RequestBody NewPassword password,
            ServerWebExchange exchange) {
        return staff.scope().flatMap(admin -> users.setByAdmin(username, password.password(), admin.username(), exchange))
                .switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "no staff user " + username)))
                .map(UserView::of);
    }

    @GetMapping("/departments")
    @Operation(summary = "Departments")
    Flux<Department> departments() {
        return departments.all();
    }

    @PostMapping("/departments")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a department")
    Mono<Department> createDepartment(@Valid @RequestBody NewDepartment department) {
        return departments.create(new Department(department.id(), department.name(),
                        EmailAddresses.normalized(department.email())))
                .onErrorMap(DuplicateKeyException.class, e -> new ResponseStatusException(HttpStatus.CONFLICT,
                        "a department " + department.id() + " exists already"));
    }

    @org.springframework.web.bind.annotation.DeleteMapping("/departments/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a department nothing uses (staff, open incidents, conversations with a person, "
            + "rules); otherwise 409 says what still does")
    Mono<Void> deleteDepartment(@PathVariable String id) {
        return departments.delete(id)
                .onErrorMap(Departments.InUse.class, e -> new ResponseStatusException(HttpStatus.CONFLICT,
                        e.getMessage()))
                .flatMap(deleted -> deleted ? Mono.<Void>empty()
                        : Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "no department " + id)));
    }

    @PatchMapping("/departments/{id}")
    @Operation(summary = "Change a department's name or e-mail address (\"email\": \"\" removes it)")
    Mono<Department> changeDepartment(@PathVariable String id, @Valid @RequestBody DepartmentChange change) {
        return departments.update(id, change.name() == null ? null : change.name().strip(),
                        change.email() == null ? null : change.email().strip())
                .switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "no department " + id)));
    }
}

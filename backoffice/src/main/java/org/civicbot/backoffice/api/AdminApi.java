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

    private final org.civicbot.backoffice.staff.Organisations organisations;

    AdminApi(StaffUsers users, Departments departments, CurrentStaff staff,
            org.civicbot.backoffice.staff.Organisations organisations) {
        this.organisations = organisations;
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

    /** A change to a staff user: what is absent stays as it is; {@code "email": ""} removes the address. */
    record UserChange(@Size(min = 1, max = 100) String displayName,
            @Size(max = EmailAddresses.MAX_LENGTH) @Pattern(regexp = "^$|" + EmailAddresses.PATTERN,
                    message = EmailAddresses.MESSAGE) String email) {}

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
        boolean supplier = user.roles().contains(StaffUser.Role.SUPPLIER);
        String organisation = user.organisation() == null || user.organisation().isBlank() ? null
                : user.organisation().strip();
        if (supplier != (organisation != null)) {
            return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST, supplier
                    ? "a SUPPLIER works for an organisation: give \"organisation\""
                    : "only a SUPPLIER works for an organisation"));
        }
        if (supplier && user.roles().size() > 1) {
            return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "a SUPPLIER has no other role: an outside organisation's account sees only its incidents"));
        }
        Mono<Boolean> knownOrganisation = organisation == null ? Mono.just(true) : organisations.exists(organisation);
        return knownOrganisation.flatMap(known -> known ? Mono.empty()
                        : Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST,
                                "no organisation " + organisation + "; create it first (POST /api/v1/organisations)")))
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
    @Operation(summary = "Change a staff user's name or e-mail address (\"email\": \"\" removes it)")
    Mono<UserView> changeUser(@PathVariable String username, @Valid @RequestBody UserChange change) {
        return users.update(username, change.displayName() == null ? null : change.displayName().strip(),
                        change.email() == null ? null : change.email().strip())
                .switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "no staff user " + username)))
                .map(UserView::of);
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

    @PatchMapping("/departments/{id}")
    @Operation(summary = "Change a department's name or e-mail address (\"email\": \"\" removes it)")
    Mono<Department> changeDepartment(@PathVariable String id, @Valid @RequestBody DepartmentChange change) {
        return departments.update(id, change.name() == null ? null : change.name().strip(),
                        change.email() == null ? null : change.email().strip())
                .switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "no department " + id)));
    }
}

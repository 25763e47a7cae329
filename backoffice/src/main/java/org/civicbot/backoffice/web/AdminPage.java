package org.civicbot.backoffice.web;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.civicbot.backoffice.mail.EmailAddresses;
import org.civicbot.backoffice.open311.Open311Clients;
import org.civicbot.backoffice.staff.CurrentStaff;
import org.civicbot.backoffice.staff.Department;
import org.civicbot.backoffice.staff.Departments;
import org.civicbot.backoffice.staff.StaffUser;
import org.civicbot.backoffice.staff.StaffUsers;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Administration, for admins only (the security configuration lets no one else in): staff users and departments. */
@Controller
class AdminPage {

    /** The same rules as the JSON API's. */
    static final int MIN_PASSWORD_LENGTH = 12;
    static final int MAX_PASSWORD_LENGTH = 200;
    static final Pattern USERNAME = Pattern.compile("[a-z0-9._-]{2,40}");
    static final Pattern DEPARTMENT_ID = Pattern.compile("[a-z0-9_]{2,40}");

    private final StaffUsers users;
    private final Departments departments;
    private final TownTime time;
    private final CurrentStaff staff;

    private final org.civicbot.backoffice.staff.StaffAccounts accounts;
    private final org.civicbot.backoffice.staff.Organisations organisations;
    private final Open311Clients open311;

    AdminPage(StaffUsers users, Departments departments, TownTime time, CurrentStaff staff,
            org.civicbot.backoffice.staff.StaffAccounts accounts,
            org.civicbot.backoffice.staff.Organisations organisations, Open311Clients open311) {
        this.open311 = open311;
        this.organisations = organisations;
        this.accounts = accounts;
        this.users = users;
        this.departments = departments;
        this.time = time;
        this.staff = staff;
    }

    record NewUser(String username, String displayName, String password, List<String> roles, List<String> departments,
            String email, String organisation) {}

    record NewPassword(String password) {}

    record NewDepartment(String id, String name, String email) {}

    /** An e-mail address to set; empty removes it. */
    record NewEmail(String email) {}

    /** A staff user as the admin page lists them, departments by name: never the password hash. */
    record UserRow(String username, String displayName, List<String> roles, List<String> departments, boolean enabled,
            String createdAt, boolean mustChangePassword, String email) {}

    /** An Open311 client as the page lists it: never its key. */
    record ClientRow(String id, String name, boolean readsDetails, boolean active, String keyIssuedAt,
            String lastUsedAt) {}

    /** A new Open311 client. */
    record NewClient(String id, String name, Boolean readsDetails) {}

    @GetMapping("/admin")
    String page(Model model, ServerWebExchange exchange) {
        model.addAttribute("users", departments.all().collectMap(Department::id, Department::name)
                .flatMap(names -> users.all().map(u -> new UserRow(u.username(), u.displayName(),
                        u.roles() == null ? List.of() : u.roles().stream().sorted().map(Enum::name).toList(),
                        u.departments() == null ? List.of() : u.departments().stream()
                                .map(d -> names.getOrDefault(d, d)).sorted().toList(), u.enabled(),
                        time.format(u.createdAt()), u.mustChangePassword(), u.email())).collectList()));
        model.addAttribute("departments", departments.all().collectList());
        model.addAttribute("roles", StaffUser.Role.values());
        model.addAttribute("organisations", organisations.all().collectList());
        model.addAttribute("open311Clients", open311.all().map(c -> new ClientRow(c.id(), c.name(), c.readsDetails(),
                c.active(), time.format(c.keyIssuedAt()), time.format(c.lastUsedAt()))).collectList());
        model.addAttribute("flash", Flash.take(exchange));
        return "admin";
    }

    @PostMapping("/admin/users")
    Mono<String> createUser(@ModelAttribute NewUser form, ServerWebExchange exchange) {
        String username = form.username() == null ? "" : form.username().strip();
        String displayName = form.displayName() == null ? "" : form.displayName().strip();
        String password = form.password() == null ? "" : form.password();
        if (!USERNAME.matcher(username).matches()) {
            return back(exchange, Flash.error("flash.badUsername"));
        }
        if (displayName.isEmpty() || displayName.length() > 100) {
            return back(exchange, Flash.error("flash.badDisplayName"));
        }
        if (password.length() < MIN_PASSWORD_LENGTH || password.length() > MAX_PASSWORD_LENGTH) {
            return back(exchange, Flash.error("flash.badPassword", String.valueOf(MIN_PASSWORD_LENGTH)));
        }
        String email = EmailAddresses.normalized(form.email());
        if (email != null && !EmailAddresses.valid(email)) {
            return back(exchange, Flash.error("flash.badEmail", email));
        }
        Set<StaffUser.Role> roles = EnumSet.noneOf(StaffUser.Role.class);
        for (String role : form.roles() == null ? List.<String>of() : form.roles()) {
            for (StaffUser.Role r : StaffUser.Role.values()) {
                if (r.name().equals(role)) {
                    roles.add(r);
                }
            }
        }
        if (roles.isEmpty()) {
            return back(exchange, Flash.error("flash.noRole"));
        }
        Set<String> depts = new LinkedHashSet<>(form.departments() == null ? List.of() : form.departments());
        depts.removeIf(String::isBlank);
        String organisation = form.organisation() == null || form.organisation().isBlank() ? null
                : form.organisation().strip();
        return accounts.checkNew(roles, organisation)
                .then(Flux.fromIterable(depts).filterWhen(d -> departments.exists(d).map(exists -> !exists)).collectList())
                .flatMap(unknown -> unknown.isEmpty()
                        ? users.create(username, displayName, password, roles, depts, email, organisation)
                                .then(back(exchange, Flash.ok("flash.userCreated", username)))
                        : back(exchange, Flash.error("flash.unknownDepartments", String.join(", ", unknown))))
                .onErrorResume(org.civicbot.backoffice.staff.StaffAccounts.Invalid.class,
                        e -> back(exchange, Flash.error("flash.refused", e.getMessage())))
                .onErrorResume(DuplicateKeyException.class, e -> back(exchange, Flash.error("flash.userExists", username)));
    }

    @PostMapping("/admin/users/{username}/email")
    Mono<String> setUserEmail(@PathVariable String username, @ModelAttribute NewEmail form, ServerWebExchange exchange) {
        String email = form.email() == null ? "" : form.email().strip();
        if (!email.isEmpty() && !EmailAddresses.valid(email)) {
            return back(exchange, Flash.error("flash.badEmail", email));
        }
        return users.update(username, null, email)
                .flatMap(u -> back(exchange, Flash.ok("flash.emailSaved", u.username())))
                .switchIfEmpty(Mono.defer(() -> back(exchange, Flash.error("flash.noSuchUser", username))));
    }

    @PostMapping("/admin/departments/{id}/email")
    Mono<String> setDepartmentEmail(@PathVariable String id, @ModelAttribute NewEmail form,
            ServerWebExchange exchange) {
        String email = form.email() == null ? "" : form.email().strip();
        if (!email.isEmpty() && !EmailAddresses.valid(email)) {
            return back(exchange, Flash.error("flash.badEmail", email));
        }
        return departments.update(id, null, email)
                .flatMap(d -> back(exchange, Flash.ok("flash.emailSaved", d.name())))
                .switchIfEmpty(Mono.defer(() -> back(exchange, Flash.error("flash.noSuchDepartment", id))));
    }

    /** A form's field: whether the account is to be active ({@code true}) or not. */
    record EnabledForm(String enabled) {}

    @PostMapping("/admin/users/{username}/enabled")
    Mono<String> setEnabled(@PathVariable String username, @ModelAttribute EnabledForm form,
            ServerWebExchange exchange) {
        boolean enabled = "true".equals(form.enabled());
        return staff.scope().flatMap(me -> accounts.setEnabled(username, enabled, me.username()))
                .flatMap(u -> back(exchange, Flash.ok(enabled ? "flash.userEnabled" : "flash.userDisabled", username)))
                .onErrorResume(org.civicbot.backoffice.staff.StaffAccounts.Refused.class,
                        e -> back(exchange, Flash.error("flash.refused", e.getMessage())))
                .onErrorResume(org.civicbot.backoffice.staff.StaffAccounts.Unknown.class,
                        e -> back(exchange, Flash.error("flash.noSuchUser", username)));
    }

    @PostMapping("/admin/users/{username}/delete")
    Mono<String> deleteUser(@PathVariable String username, ServerWebExchange exchange) {
        return staff.scope().flatMap(me -> accounts.delete(username, me.username()))
                .then(back(exchange, Flash.ok("flash.userDeleted", username)))
                .onErrorResume(org.civicbot.backoffice.staff.StaffAccounts.Refused.class,
                        e -> back(exchange, Flash.error("flash.refused", e.getMessage())))
                .onErrorResume(org.civicbot.backoffice.staff.StaffAccounts.Unknown.class,
                        e -> back(exchange, Flash.error("flash.noSuchUser", username)));
    }

    @PostMapping("/admin/departments/{id}/delete")
    Mono<String> deleteDepartment(@PathVariable String id, ServerWebExchange exchange) {
        return departments.delete(id)
                .flatMap(deleted -> back(exchange, deleted ? Flash.ok("flash.departmentDeleted", id)
                        : Flash.error("flash.noSuchDepartment", id)))
                .onErrorResume(Departments.InUse.class, e -> back(exchange, Flash.error("flash.refused",
                        e.getMessage())));
    }

    @PostMapping("/admin/users/{username}/password")
    Mono<String> resetPassword(@PathVariable String username, @ModelAttribute NewPassword form,
            ServerWebExchange exchange) {
        String password = form.password() == null ? "" : form.password();
        if (password.length() < MIN_PASSWORD_LENGTH || password.length() > MAX_PASSWORD_LENGTH) {
            return back(exchange, Flash.error("flash.badPassword", String.valueOf(MIN_PASSWORD_LENGTH)));
        }
        // Someone else's password becomes temporary and their sessions end; the admin's own is their own change.
        return staff.scope().flatMap(admin -> users.setByAdmin(username, password, admin.username(), exchange)
                        .flatMap(u -> back(exchange, u.mustChangePassword()
                                ? Flash.ok("flash.passwordReset", u.username()) : Flash.ok("password.changed"))))
                .switchIfEmpty(Mono.defer(() -> back(exchange, Flash.error("flash.noSuchUser", username))));
    }

    @PostMapping("/admin/departments")
    Mono<String> createDepartment(@ModelAttribute NewDepartment form, ServerWebExchange exchange) {
        String id = form.id() == null ? "" : form.id().strip();
        String name = form.name() == null ? "" : form.name().strip();
        if (!DEPARTMENT_ID.matcher(id).matches()) {
            return back(exchange, Flash.error("flash.badDepartmentId"));
        }
        if (name.isEmpty() || name.length() > 100) {
            return back(exchange, Flash.error("flash.badDepartmentName"));
        }
        String email = EmailAddresses.normalized(form.email());
        if (email != null && !EmailAddresses.valid(email)) {
            return back(exchange, Flash.error("flash.badEmail", email));
        }
        return departments.create(new Department(id, name, email))
                .then(back(exchange, Flash.ok("flash.departmentCreated", name)))
                .onErrorResume(DuplicateKeyException.class, e -> back(exchange, Flash.error("flash.departmentExists", id)));
    }

    @PostMapping("/admin/open311-clients")
    Mono<String> createClient(@ModelAttribute NewClient form, ServerWebExchange exchange) {
        return staff.scope().flatMap(me -> open311.create(form.id(), form.name(),
                        Boolean.TRUE.equals(form.readsDetails()), me.username()))
                .flatMap(issued -> open311Back(exchange, Flash.ok("flash.open311Key", issued.client().name(),
                        issued.apiKey())))
                .onErrorResume(Open311Clients.Invalid.class,
                        e -> open311Back(exchange, Flash.error("flash.refused", e.getMessage())));
    }

    @PostMapping("/admin/open311-clients/{id}/key")
    Mono<String> rotateClientKey(@PathVariable String id, ServerWebExchange exchange) {
        return staff.scope().flatMap(me -> open311.rotate(id, me.username()))
                .flatMap(issued -> open311Back(exchange, Flash.ok("flash.open311Key", issued.client().name(),
                        issued.apiKey())))
                .onErrorResume(Open311Clients.Unknown.class,
                        e -> open311Back(exchange, Flash.error("flash.refused", e.getMessage())));
    }

    @PostMapping("/admin/open311-clients/{id}/revoke")
    Mono<String> revokeClient(@PathVariable String id, ServerWebExchange exchange) {
        return staff.scope().flatMap(me -> open311.revoke(id, me.username()))
                .flatMap(client -> open311Back(exchange, Flash.ok("flash.open311Revoked", client.name())))
                .onErrorResume(Open311Clients.Unknown.class,
                        e -> open311Back(exchange, Flash.error("flash.refused", e.getMessage())));
    }

    /** Back to the Open311 section, where the new key is shown. */
    private static Mono<String> open311Back(ServerWebExchange exchange, Flash flash) {
        return Flash.redirect(exchange, flash, "/admin#open311-heading");
    }

    private static Mono<String> back(ServerWebExchange exchange, Flash flash) {
        return Flash.redirect(exchange, flash, "/admin");
    }
}

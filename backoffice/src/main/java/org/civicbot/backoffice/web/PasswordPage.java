package org.civicbot.backoffice.web;

import java.util.Locale;
import java.util.Optional;
import org.civicbot.backoffice.staff.StaffAuthentication;
import org.civicbot.backoffice.staff.StaffUsers;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Any signed-in staff member changes their own password here: the current one, and the new one twice. A
 * staff member whose password was generated or set by an admin is sent here before anything else. The
 * change ends their other sessions and gives this one a new id and their roles.
 */
@Controller
class PasswordPage {

    static final String PATH = "/password";

    private final StaffUsers users;
    private final StaffAuthentication authentication;
    private final ServerSecurityContextRepository contexts;

    PasswordPage(StaffUsers users, StaffAuthentication authentication, ServerSecurityContextRepository contexts) {
        this.users = users;
        this.authentication = authentication;
        this.contexts = contexts;
    }

    record Change(String current, String password, String confirm) {}

    @GetMapping(PATH)
    String page(Model model, ServerWebExchange exchange) {
        model.addAttribute("required", exchange.getPrincipal().map(PasswordPage::mustChange).defaultIfEmpty(false));
        model.addAttribute("minLength", AdminPage.MIN_PASSWORD_LENGTH);
        model.addAttribute("flash", Flash.take(exchange));
        return "password";
    }

    @PostMapping(PATH)
    Mono<String> change(@ModelAttribute Change form, ServerWebExchange exchange) {
        String current = form.current() == null ? "" : form.current();
        String password = form.password() == null ? "" : form.password();
        String confirm = form.confirm() == null ? "" : form.confirm();
        return exchange.getPrincipal().flatMap(principal -> {
            String username = principal.getName();
            if (password.length() < AdminPage.MIN_PASSWORD_LENGTH || password.length() > AdminPage.MAX_PASSWORD_LENGTH) {
                return back(exchange, Flash.error("flash.badPassword", String.valueOf(AdminPage.MIN_PASSWORD_LENGTH)));
            }
            if (password.strip().toLowerCase(Locale.ROOT).equals(username.toLowerCase(Locale.ROOT))) {
                return back(exchange, Flash.error("password.sameAsUsername"));
            }
            if (!password.equals(confirm)) {
                return back(exchange, Flash.error("password.mismatch"));
            }
            if (password.equals(current)) {
                return back(exchange, Flash.error("password.unchanged"));
            }
            // Checked like a sign-in, throttle included: a session left open must not be a way to guess it.
            return authentication.check(username, current, Optional.of(exchange))
                    .flatMap(user -> users.changePassword(username, password, exchange))
                    .flatMap(user -> contexts.save(exchange,
                                    new SecurityContextImpl(StaffAuthentication.authenticated(user)))
                            .then(Flash.redirect(exchange, Flash.ok("password.changed"), "/")))
                    .switchIfEmpty(Mono.defer(() -> back(exchange, Flash.error("password.wrongCurrent"))));
        });
    }

    private static boolean mustChange(Object principal) {
        return principal instanceof Authentication signedIn && StaffAuthentication.mustChangePassword(signedIn);
    }

    private static Mono<String> back(ServerWebExchange exchange, Flash flash) {
        return Flash.redirect(exchange, flash, PATH);
    }
}

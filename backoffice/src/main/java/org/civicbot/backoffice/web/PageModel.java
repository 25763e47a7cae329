package org.civicbot.backoffice.web;

import org.civicbot.backoffice.staff.CurrentStaff;
import org.civicbot.backoffice.staff.StaffUsers;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** What every page's layout needs: the CSRF token for its forms, who is signed in, the language. */
@ControllerAdvice(basePackageClasses = PageModel.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class PageModel {

    /**
     * The signed-in staff member as the layout shows them.
     *
     * @param mustChangePassword no page but the change-password page is open to them: the layout shows no menu
     */
    record Me(String username, String displayName, boolean admin, boolean supervisor, boolean mustChangePassword) {}

    private final CurrentStaff staff;
    private final StaffUsers users;
    private final String tileUrl;
    private final String tileAttribution;

    PageModel(CurrentStaff staff, StaffUsers users, @Value("${civicbot.map.tile-url:https://tile.openstreetmap.org/{z}/{x}/{y}.png}") String tileUrl,
            @Value("${civicbot.map.attribution:&copy; OpenStreetMap contributors}") String tileAttribution) {
        this.staff = staff;
        this.users = users;
        this.tileUrl = tileUrl;
        this.tileAttribution = tileAttribution;
    }

    /** WebFlux puts the token there, unresolved: resolving it here saves it for the session. */
    /** A page that fails (404 for what the staff member may not see) answers with a page, not JSON. */
    @ExceptionHandler(ResponseStatusException.class)
    String failed(ResponseStatusException failure, ServerWebExchange exchange, Model model) {
        exchange.getResponse().setStatusCode(failure.getStatusCode());
        HttpStatus status = HttpStatus.resolve(failure.getStatusCode().value());
        model.addAttribute("status", failure.getStatusCode().value());
        model.addAttribute("error", status == null ? "" : status.getReasonPhrase());
        return "error";
    }

    @ModelAttribute("_csrf")
    Mono<CsrfToken> csrf(ServerWebExchange exchange) {
        Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
        return token == null ? Mono.empty() : token;
    }

    @ModelAttribute("me")
    Mono<Me> me() {
        return staff.scope().flatMap(scope -> users.find(scope.username())
                .map(u -> new Me(u.username(), u.displayName() == null || u.displayName().isBlank()
                        ? u.username() : u.displayName(), scope.isAdmin(), scope.seesAll(), u.mustChangePassword())));
    }

    @ModelAttribute("lang")
    String lang(ServerWebExchange exchange) {
        return exchange.getLocaleContext().getLocale() == null ? "ca"
                : exchange.getLocaleContext().getLocale().getLanguage();
    }

    @ModelAttribute("tileUrl")
    String tileUrl() {
        return tileUrl;
    }

    @ModelAttribute("tileAttribution")
    String tileAttribution() {
        return tileAttribution;
    }
}

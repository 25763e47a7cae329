package org.civicbot.backoffice.web;

import org.civicbot.backoffice.Failures;
import org.civicbot.backoffice.staff.CurrentStaff;
import org.civicbot.backoffice.staff.StaffUsers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
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

    private static final Logger log = LoggerFactory.getLogger(PageModel.class);

    /**
     * The signed-in staff member as the layout shows them.
     *
     * @param mustChangePassword no page but the change-password page is open to them: the layout shows no menu
     */
    record Me(String username, String displayName, boolean admin, boolean supervisor, boolean mustChangePassword,
            boolean announces, boolean attends, boolean supplier, boolean editor, boolean privacy) {}

    private final CurrentStaff staff;
    private final StaffUsers users;
    private final String tileUrl;
    private final Town town;
    private final String tileAttribution;

    PageModel(CurrentStaff staff, StaffUsers users, @Value("${civicbot.map.tile-url:https://tile.openstreetmap.org/{z}/{x}/{y}.png}") String tileUrl,
            @Value("${civicbot.map.attribution:&copy; OpenStreetMap contributors}") String tileAttribution,
            @Value("${civicbot.town.name:#{null}}") String townName,
            @Value("${civicbot.town.logo-url:#{null}}") String townLogo) {
        this.town = new Town(townName == null || townName.isBlank() ? null : townName.strip(),
                townLogo == null || townLogo.isBlank() ? null : townLogo.strip());
        this.staff = staff;
        this.users = users;
        this.tileUrl = tileUrl;
        this.tileAttribution = tileAttribution;
    }

    /**
     * A page that fails answers with a page, not JSON: 404 for what the staff member may not see, and a
     * generic page for anything unexpected, whose exception goes to the log without its messages (they may
     * quote a citizen's message or phone number).
     */
    @ExceptionHandler(Exception.class)
    String failed(Exception failure, ServerWebExchange exchange, Model model) {
        HttpStatusCode code = failure instanceof ResponseStatusException answer && answer.getStatusCode().is4xxClientError()
                ? answer.getStatusCode() : HttpStatus.INTERNAL_SERVER_ERROR;
        if (code.is5xxServerError()) {
            log.error("{} {} failed: {}", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath().pathWithinApplication().value(), Failures.describe(failure));
        }
        exchange.getResponse().setStatusCode(code);
        HttpStatus status = HttpStatus.resolve(code.value());
        model.addAttribute("status", code.value());
        model.addAttribute("error", status == null ? "" : status.getReasonPhrase());
        return "error";
    }

    /** WebFlux puts the token there, unresolved: resolving it here saves it for the session. */
    @ModelAttribute("_csrf")
    Mono<CsrfToken> csrf(ServerWebExchange exchange) {
        Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
        return token == null ? Mono.empty() : token;
    }

    @ModelAttribute("me")
    Mono<Me> me() {
        return staff.scope().flatMap(scope -> users.find(scope.username())
                .map(u -> new Me(u.username(), u.displayName() == null || u.displayName().isBlank()
                        ? u.username() : u.displayName(), scope.isAdmin(), scope.seesAll(), u.mustChangePassword(),
                        scope.announces(), scope.attends(), scope.supplier(), scope.edits(),
                        scope.handlesPersonalData())));
    }

    @ModelAttribute("lang")
    String lang(ServerWebExchange exchange) {
        return exchange.getLocaleContext().getLocale() == null ? "ca"
                : exchange.getLocaleContext().getLocale().getLanguage();
    }

    /**
     * The town hall as the header shows it: its name and logo ({@code civicbot.town.name},
     * {@code civicbot.town.logo-url}: an address the browser can load, e.g. a file under the public site).
     */
    record Town(String name, String logoUrl) {}

    @ModelAttribute("town")
    Town town() {
        return town;
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

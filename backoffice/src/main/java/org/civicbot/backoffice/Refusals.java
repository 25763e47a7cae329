package org.civicbot.backoffice;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.civicbot.backoffice.staff.StaffAuthentication;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.DefaultServerRedirectStrategy;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationSuccessHandler;
import org.springframework.security.web.server.authentication.ServerAuthenticationSuccessHandler;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.savedrequest.ServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * How a request that is not let in is answered, and where signing in leads. The API answers with an
 * RFC 7807 problem and never a {@code WWW-Authenticate: Basic} challenge: a challenge makes a browser ask
 * for a password and then send it with every request to us, cross-site ones included, and a request with
 * Basic credentials skips CSRF (scripts send their credentials up front, {@code curl -u}, and need no
 * challenge). Pages send an anonymous visitor to the login page, and a staff member who must change their
 * password to the change-password page, whatever they asked for.
 */
final class Refusals {

    static final String PASSWORD_PAGE = "/password";
    static final String UNAUTHORIZED = "Send a staff user's credentials with HTTP Basic (curl -u name:password), "
            + "or sign in to the back-office and use its session.";
    static final String FORBIDDEN = "This staff user may not do this.";
    static final String NO_CSRF_TOKEN = "A change needs HTTP Basic credentials (curl -u name:password), or the "
            + "back-office session with its CSRF token.";
    static final String MUST_CHANGE_PASSWORD = "The password of this staff user was set by an administrator or "
            + "generated: sign in at /login and change it first.";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ServerWebExchangeMatcher API = ServerWebExchangeMatchers.pathMatchers("/api/**");

    private final RedirectServerAuthenticationEntryPoint toLogin = new RedirectServerAuthenticationEntryPoint("/login");
    private final RedirectServerAuthenticationSuccessHandler toSavedPage = new RedirectServerAuthenticationSuccessHandler("/");
    private final org.springframework.context.MessageSource messages;
    private final DefaultServerRedirectStrategy redirects = new DefaultServerRedirectStrategy();

    /** @param messages the back-office's texts: a refused page says why, in the reader's language */
    Refusals(ServerRequestCache savedPage, org.springframework.context.MessageSource messages) {
        this.messages = messages;
        toLogin.setRequestCache(savedPage);
        toSavedPage.setRequestCache(savedPage);
    }

    /** Not signed in. */
    ServerAuthenticationEntryPoint notSignedIn() {
        return (exchange, denied) -> isApi(exchange).flatMap(api -> api
                ? problem(exchange, HttpStatus.UNAUTHORIZED, UNAUTHORIZED) : toLogin.commence(exchange, denied));
    }

    /** Wrong HTTP Basic credentials. */
    ServerAuthenticationEntryPoint wrongCredentials() {
        return (exchange, denied) -> problem(exchange, HttpStatus.UNAUTHORIZED, UNAUTHORIZED);
    }

    /** Signed in, but not allowed: not their role, or a password to change first. */
    ServerAccessDeniedHandler notAllowed() {
        return (exchange, denied) -> Mono.zip(isApi(exchange), mustChangePassword(exchange)).flatMap(found -> {
            boolean api = found.getT1();
            boolean mustChange = found.getT2();
            if (api) {
                return problem(exchange, HttpStatus.FORBIDDEN, mustChange ? MUST_CHANGE_PASSWORD : FORBIDDEN);
            }
            return mustChange ? redirects.sendRedirect(exchange, URI.create(PASSWORD_PAGE))
                    : page(exchange, "refused.notAllowed");
        });
    }

    /** A change without a CSRF token (or with a wrong one). */
    ServerAccessDeniedHandler noCsrfToken() {
        return (exchange, denied) -> isApi(exchange).flatMap(api -> api
                ? problem(exchange, HttpStatus.FORBIDDEN, NO_CSRF_TOKEN) : page(exchange, "refused.noCsrf"));
    }

    /** Back to the page asked for before signing in, or the change-password page first if need be. */
    ServerAuthenticationSuccessHandler signedIn() {
        return (filterExchange, authentication) -> StaffAuthentication.mustChangePassword(authentication)
                ? redirects.sendRedirect(filterExchange.getExchange(), URI.create(PASSWORD_PAGE))
                : toSavedPage.onAuthenticationSuccess(filterExchange, authentication);
    }

    private static Mono<Boolean> isApi(ServerWebExchange exchange) {
        return API.matches(exchange).map(ServerWebExchangeMatcher.MatchResult::isMatch);
    }

    private static Mono<Boolean> mustChangePassword(ServerWebExchange exchange) {
        return exchange.getPrincipal()
                .map(principal -> principal instanceof Authentication authentication
                        && StaffAuthentication.mustChangePassword(authentication))
                .defaultIfEmpty(false);
    }

    private static Mono<Void> problem(ServerWebExchange exchange, HttpStatus status, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", status.getReasonPhrase());
        problem.put("status", status.value());
        problem.put("detail", detail);
        problem.put("instance", exchange.getRequest().getPath().pathWithinApplication().value());
        byte[] body = JSON.writeValueAsString(problem).getBytes(StandardCharsets.UTF_8);
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    /**
     * A page that says, in the reader's language, why it was refused and what to do: a 403 the browser shows as is
     * (no template engine here: the security filters answer before any controller).
     */
    private Mono<Void> page(ServerWebExchange exchange, String key) {
        java.util.Locale locale = exchange.getLocaleContext().getLocale() == null ? java.util.Locale.forLanguageTag("ca")
                : exchange.getLocaleContext().getLocale();
        String title = messages.getMessage(key + ".title", null, locale);
        String help = messages.getMessage(key + ".help", null, locale);
        String back = messages.getMessage("refused.back", null, locale);
        String html = "<!DOCTYPE html><html lang=\"" + org.springframework.web.util.HtmlUtils.htmlEscape(
                locale.getLanguage()) + "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
                + "content=\"width=device-width, initial-scale=1\"><title>" + escape(title) + "</title>"
                + "<link rel=\"stylesheet\" href=\"/static/app.css\"></head><body class=\"status-body\">"
                + "<main id=\"main\" class=\"status-main\"><h1 id=\"refused-title\">" + escape(title) + "</h1>"
                + "<p id=\"refused-help\">" + escape(help) + "</p><p><a href=\"/\">" + escape(back)
                + "</a></p></main></body></html>";
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatus.FORBIDDEN);
        response.getHeaders().setContentType(MediaType.parseMediaType("text/html;charset=UTF-8"));
        return response.writeWith(Mono.just(response.bufferFactory().wrap(html.getBytes(StandardCharsets.UTF_8))));
    }

    private static String escape(String text) {
        return org.springframework.web.util.HtmlUtils.htmlEscape(text);
    }
}

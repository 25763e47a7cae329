package org.civicbot.backoffice;

import java.util.UUID;
import org.springframework.security.web.server.csrf.CookieServerCsrfTokenRepository;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.security.web.server.csrf.DefaultCsrfToken;
import org.springframework.security.web.server.csrf.ServerCsrfTokenRepository;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import reactor.core.publisher.Mono;

/**
 * Where CSRF tokens live: the forms of visitors without an account (the login form, the supplier page) in a
 * cookie, so that an anonymous visitor gets no session (and thousands of them cannot fill the session store);
 * every other form's in the signed-in session, bound to it. A token is never put in a session that has not
 * started: only signing in starts one.
 */
final class LoginFormCsrfTokens implements ServerCsrfTokenRepository {

    static final String LOGIN_PATH = "/login";
    /** The supplier page, opened from a signed link by someone without an account. */
    static final String SUPPLIER_PATH = "/supplier/";
    static final String COOKIE = "XSRF-TOKEN";
    static final String PARAMETER = "_csrf";
    static final String HEADER = "X-CSRF-TOKEN";
    private static final String SESSION_ATTRIBUTE = "civicbot.csrf";

    private final CookieServerCsrfTokenRepository cookie = new CookieServerCsrfTokenRepository();

    LoginFormCsrfTokens(boolean secureCookies) {
        cookie.setCookieName(COOKIE);
        // The same names as the session's tokens, so the pages need not know where a token lives.
        cookie.setParameterName(PARAMETER);
        cookie.setHeaderName(HEADER);
        cookie.setCookieCustomizer(c -> c.secure(secureCookies).sameSite("Lax"));
    }

    @Override
    public Mono<CsrfToken> generateToken(ServerWebExchange exchange) {
        return Mono.fromSupplier(() -> new DefaultCsrfToken(HEADER, PARAMETER, UUID.randomUUID().toString()));
    }

    /**
     * Unlike Spring's session repository, this does not give the session a new id: signing in already did,
     * and a new id on the first page after it would sign out any request still using the old one.
     */
    @Override
    public Mono<Void> saveToken(ServerWebExchange exchange, CsrfToken token) {
        if (isLoginForm(exchange)) {
            return cookie.saveToken(exchange, token);
        }
        return exchange.getSession().filter(WebSession::isStarted).doOnNext(session -> {
            if (token == null) {
                session.getAttributes().remove(SESSION_ATTRIBUTE);
            } else {
                session.getAttributes().put(SESSION_ATTRIBUTE, token);
            }
        }).then();
    }

    @Override
    public Mono<CsrfToken> loadToken(ServerWebExchange exchange) {
        if (isLoginForm(exchange)) {
            return cookie.loadToken(exchange);
        }
        return exchange.getSession().mapNotNull(session -> session.getAttribute(SESSION_ATTRIBUTE));
    }

    private static boolean isLoginForm(ServerWebExchange exchange) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        return LOGIN_PATH.equals(path) || path.startsWith(SUPPLIER_PATH);
    }
}

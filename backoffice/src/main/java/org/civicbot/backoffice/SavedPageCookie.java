package org.civicbot.backoffice;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.web.server.savedrequest.ServerRequestCache;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The page an anonymous visitor asked for, kept in a short-lived cookie rather than a session, to return
 * to after signing in. Only a page a browser navigates to is kept (not a fragment htmx fetches), and only
 * a path of this site is ever returned to. (Spring's {@code CookieServerRequestCache} forgets its cookie on
 * the very next request, the login page itself, so it cannot serve a form login.)
 */
final class SavedPageCookie implements ServerRequestCache {

    static final String COOKIE = "civicbot-return";
    static final Duration KEPT_FOR = Duration.ofMinutes(10);
    private static final int MAX_LENGTH = 1000;

    private final boolean secureCookies;

    SavedPageCookie(boolean secureCookies) {
        this.secureCookies = secureCookies;
    }

    @Override
    public Mono<Void> saveRequest(ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        String page = page(request);
        if (HttpMethod.GET.equals(request.getMethod()) && asksForAPage(request) && page.length() <= MAX_LENGTH) {
            exchange.getResponse().addCookie(cookie(Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(page.getBytes(StandardCharsets.UTF_8)), KEPT_FOR));
        }
        return Mono.empty();
    }

    @Override
    public Mono<URI> getRedirectUri(ServerWebExchange exchange) {
        return Mono.justOrEmpty(saved(exchange.getRequest()).flatMap(SavedPageCookie::localPage));
    }

    /** The page is reached: the cookie has done its work. */
    @Override
    public Mono<ServerHttpRequest> removeMatchingRequest(ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        if (saved(request).filter(page(request)::equals).isPresent()) {
            exchange.getResponse().addCookie(cookie("", Duration.ZERO));
        }
        return Mono.empty();
    }

    /** {@code //host}, {@code /\host} and anything with a scheme or a host are other sites to a browser. */
    static Optional<URI> localPage(String saved) {
        if (!saved.startsWith("/") || saved.startsWith("//") || saved.startsWith("/\\")) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(saved);
            return uri.getScheme() == null && uri.getRawAuthority() == null ? Optional.of(uri) : Optional.empty();
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> saved(ServerHttpRequest request) {
        HttpCookie cookie = request.getCookies().getFirst(COOKIE);
        if (cookie == null || cookie.getValue().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new String(Base64.getUrlDecoder().decode(cookie.getValue()), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String page(ServerHttpRequest request) {
        String query = request.getURI().getRawQuery();
        return request.getPath().pathWithinApplication().value() + (query == null ? "" : "?" + query);
    }

    private static boolean asksForAPage(ServerHttpRequest request) {
        return request.getHeaders().getAccept().stream().anyMatch(MediaType.TEXT_HTML::equalsTypeAndSubtype)
                && !request.getHeaders().containsHeader("HX-Request")
                && !"XMLHttpRequest".equals(request.getHeaders().getFirst("X-Requested-With"));
    }

    private ResponseCookie cookie(String value, Duration maxAge) {
        return ResponseCookie.from(COOKIE, value).path("/").maxAge(maxAge).httpOnly(true).secure(secureCookies)
                .sameSite("Lax").build();
    }
}

package org.civicbot.backoffice.web;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.context.i18n.LocaleContext;
import org.springframework.context.i18n.SimpleLocaleContext;
import org.springframework.http.HttpCookie;
import org.springframework.http.ResponseCookie;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.server.i18n.LocaleContextResolver;
import reactor.core.publisher.Mono;

/**
 * The language of the pages: {@code ?lang=} first (remembered in a cookie), then the cookie, then the
 * browser's Accept-Language, else Catalan.
 */
final class PageLocales implements LocaleContextResolver {

    static final List<String> LANGUAGES = List.of("ca", "es", "en");
    static final String COOKIE = "civicbot-lang";
    private static final Locale DEFAULT = Locale.forLanguageTag("ca");

    @Override
    public LocaleContext resolveLocaleContext(ServerWebExchange exchange) {
        Optional<String> chosen = supported(exchange.getRequest().getQueryParams().getFirst("lang"))
                .or(() -> supported(Optional.ofNullable(exchange.getRequest().getCookies().getFirst(COOKIE))
                        .map(HttpCookie::getValue).orElse(null)));
        if (chosen.isPresent()) {
            return new SimpleLocaleContext(Locale.forLanguageTag(chosen.get()));
        }
        List<Locale.LanguageRange> ranges;
        try {
            ranges = exchange.getRequest().getHeaders().getAcceptLanguage();
        } catch (IllegalArgumentException malformed) {
            ranges = List.of();
        }
        List<Locale> offered = LANGUAGES.stream().map(Locale::forLanguageTag).toList();
        Locale best = Locale.lookup(ranges, offered);
        return new SimpleLocaleContext(best == null ? DEFAULT : best);
    }

    @Override
    public void setLocaleContext(ServerWebExchange exchange, LocaleContext localeContext) {
        throw new UnsupportedOperationException("the language is chosen with ?lang=");
    }

    /** Remembers a language chosen with {@code ?lang=} for the next pages. */
    static Mono<Void> remember(ServerWebExchange exchange, WebFilterChain chain) {
        supported(exchange.getRequest().getQueryParams().getFirst("lang")).ifPresent(lang -> exchange.getResponse()
                .addCookie(ResponseCookie.from(COOKIE, lang).path("/").maxAge(60L * 60 * 24 * 365).sameSite("Lax")
                        .httpOnly(true).build()));
        return chain.filter(exchange);
    }

    private static Optional<String> supported(String lang) {
        return Optional.ofNullable(lang).map(l -> l.strip().toLowerCase(Locale.ROOT)).filter(LANGUAGES::contains);
    }
}

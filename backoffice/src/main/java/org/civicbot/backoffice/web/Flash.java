package org.civicbot.backoffice.web;

import java.io.Serializable;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * A message for the page a POST redirects to, kept in the session until that page shows it once.
 *
 * @param ok true for a success, false for a refusal
 * @param key the message key, in {@code i18n/messages}
 * @param args the message's arguments, already text (citizen or staff input is escaped when shown)
 */
record Flash(boolean ok, String key, String... args) implements Serializable {

    private static final String ATTRIBUTE = "civicbot.flash";

    static Flash ok(String key, String... args) {
        return new Flash(true, key, args);
    }

    static Flash error(String key, String... args) {
        return new Flash(false, key, args);
    }

    /** Keeps this message for the next page. */
    Mono<Void> keep(ServerWebExchange exchange) {
        return exchange.getSession().doOnNext(session -> session.getAttributes().put(ATTRIBUTE, this)).then();
    }

    /** The message kept for this page, if any; it is shown once. */
    static Mono<Flash> take(ServerWebExchange exchange) {
        return exchange.getSession().mapNotNull(session -> (Flash) session.getAttributes().remove(ATTRIBUTE));
    }

    /** Keeps the message, then redirects (post, redirect, get). */
    static Mono<String> redirect(ServerWebExchange exchange, Flash flash, String to) {
        return flash.keep(exchange).thenReturn("redirect:" + to);
    }
}

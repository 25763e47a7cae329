package org.civicbot.backoffice.web;

import java.util.ArrayList;
import java.util.List;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * A message for the page a POST redirects to, kept in the session until that page shows it once (as a list
 * of strings: a stored session holds plain values only).
 *
 * @param ok true for a success, false for a refusal
 * @param key the message key, in {@code i18n/messages}
 * @param args the message's arguments, already text (citizen or staff input is escaped when shown)
 */
record Flash(boolean ok, String key, String... args) {

    private static final String ATTRIBUTE = "civicbot.flash";

    static Flash ok(String key, String... args) {
        return new Flash(true, key, args);
    }

    static Flash error(String key, String... args) {
        return new Flash(false, key, args);
    }

    /** Keeps this message for the next page. */
    Mono<Void> keep(ServerWebExchange exchange) {
        List<String> stored = new ArrayList<>(List.of(ok ? "ok" : "error", key));
        stored.addAll(List.of(args));
        return exchange.getSession().doOnNext(session -> session.getAttributes().put(ATTRIBUTE, stored)).then();
    }

    /** The message kept for this page, if any; it is shown once. */
    static Mono<Flash> take(ServerWebExchange exchange) {
        return exchange.getSession().mapNotNull(session -> session.getAttributes().remove(ATTRIBUTE))
                .filter(List.class::isInstance)
                .map(stored -> ((List<?>) stored).stream().map(String::valueOf).toList())
                .filter(stored -> stored.size() >= 2)
                .map(stored -> new Flash("ok".equals(stored.get(0)), stored.get(1),
                        stored.subList(2, stored.size()).toArray(String[]::new)));
    }

    /** Keeps the message, then redirects (post, redirect, get). */
    static Mono<String> redirect(ServerWebExchange exchange, Flash flash, String to) {
        return flash.keep(exchange).thenReturn("redirect:" + to);
    }
}

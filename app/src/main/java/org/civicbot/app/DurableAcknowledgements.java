package org.civicbot.app;

import java.time.Duration;
import org.civicbot.bot.Durability;
import org.civicbot.bot.PathMetrics;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Answers every request that may have changed something (a webhook, a device alert, a staff action)
 * only once what it changed is on disk: the response waits for the store's next durable commit before
 * its status line leaves. Reads pass untouched.
 */
@Component
class DurableAcknowledgements implements WebFilter, Ordered {

    private final Durability durability;
    private final PathMetrics metrics;

    DurableAcknowledgements(Durability durability, PathMetrics metrics) {
        this.durability = durability;
        this.metrics = metrics;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpMethod method = exchange.getRequest().getMethod();
        if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method) && !HttpMethod.OPTIONS.equals(method)) {
            long received = System.nanoTime();
            String path = exchange.getRequest().getPath().value();
            String endpoint = path.startsWith("/webhooks/") || path.startsWith("/api/v1/device-alerts") ? path : null;
            exchange.getResponse().beforeCommit(() -> durability.sync().doOnSuccess(done -> {
                if (endpoint != null) {
                    metrics.acknowledged(endpoint, Duration.ofNanos(System.nanoTime() - received));
                }
            }));
        }
        return chain.filter(exchange);
    }

    @Override
    public int getOrder() {
        // Before Spring Security's filters, so that whatever answers the request (a handler or a filter
        // refusing it) goes through the commit.
        return Ordered.HIGHEST_PRECEDENCE;
    }
}

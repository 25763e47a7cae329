package org.civicbot.bot.outbox;

import java.time.Duration;

/**
 * How long to wait before trying a send again: doubling from {@code initial}, capped at {@code max},
 * and never sooner than the provider asked.
 */
public record Backoff(Duration initial, Duration max, int maxAttempts) {

    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(5), 10);

    public Duration delay(int attempts, Duration providerAsked) {
        long factor = 1L << Math.min(Math.max(attempts - 1, 0), 20);
        Duration doubled = initial.multipliedBy(factor);
        Duration ours = doubled.compareTo(max) > 0 ? max : doubled;
        return providerAsked != null && providerAsked.compareTo(ours) > 0 ? providerAsked : ours;
    }
}

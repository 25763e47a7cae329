package org.civicbot.bot.outbox;

import java.time.Clock;

/**
 * A token bucket: up to {@code perSecond} sends in any second, refilled continuously, with bursts no
 * larger than one second's worth. Not thread-safe on its own; the dispatcher uses it from one round at a
 * time.
 */
final class RateLimit {

    private final Clock clock;
    private final double perSecond;
    private double tokens;
    private long lastNanos;

    RateLimit(Clock clock, int perSecond) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("a rate limit needs at least one send per second");
        }
        this.clock = clock;
        this.perSecond = perSecond;
        this.tokens = perSecond;
        this.lastNanos = nanos();
    }

    /** Takes one send from the bucket; false when the second's sends are used up. */
    synchronized boolean tryAcquire() {
        long now = nanos();
        tokens = Math.min(perSecond, tokens + (now - lastNanos) / 1e9 * perSecond);
        lastNanos = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    private long nanos() {
        java.time.Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}

package org.civicbot.bot.outbox;

import java.util.function.LongSupplier;

/**
 * A token bucket: up to {@code perSecond} sends in any second, refilled continuously, with bursts no
 * larger than one second's worth. Not thread-safe on its own; the dispatcher uses it from one round at a
 * time.
 */
final class RateLimit {

    private final LongSupplier nanoTime;
    private final double perSecond;
    private double tokens;
    private long lastNanos;

    /** @param nanoTime a monotonic tick ({@code System::nanoTime}): a wall clock stepped back would stall it */
    RateLimit(LongSupplier nanoTime, int perSecond) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("a rate limit needs at least one send per second");
        }
        this.nanoTime = nanoTime;
        this.perSecond = perSecond;
        this.tokens = perSecond;
        this.lastNanos = nanos();
    }

    /** How many sends would fit now, without taking them: for sends that may still turn out not to happen. */
    synchronized int available() {
        long now = nanos();
        tokens = Math.min(perSecond, tokens + (now - lastNanos) / 1e9 * perSecond);
        lastNanos = now;
        return (int) Math.floor(tokens);
    }

    /** Takes one send that is happening, after {@link #available} said it fits. */
    synchronized void take() {
        tokens -= 1;
    }

    private long nanos() {
        return nanoTime.getAsLong();
    }
}

package org.civicbot.bot.inbound;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Arrival sequence numbers: microseconds of the wall clock, but never repeating nor going back within
 * this process, so messages stored one after the other are processed in that order.
 */
public final class Sequencer {

    private final Clock clock;
    private final AtomicLong last = new AtomicLong();

    public Sequencer(Clock clock) {
        this.clock = clock;
    }

    public long next() {
        long now = clock.millis() * 1000;
        return last.accumulateAndGet(now, (previous, candidate) -> Math.max(previous + 1, candidate));
    }
}

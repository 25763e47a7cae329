package org.civicbot.bot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.civicbot.app.FullStackTest;
import org.civicbot.app.MutableClock;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/** Per-minute limits counted in the store, on a limiter of its own with a clock the test moves (in 2100). */
class RateLimitsTests extends FullStackTest {

    @Test
    void allowsTheLimitInAMinuteRefusesTheRestUntilTheNextAndKeepsKeysApart() {
        MutableClock clock = new MutableClock(Instant.parse("2100-03-01T10:00:15Z"));
        try (RateLimits limits = new RateLimits(mongo, clock)) {
            // Twenty at once: exactly the limit get through, whichever instance or thread counts them.
            List<RateLimits.Verdict> burst = Flux.fromStream(IntStream.range(0, 20).boxed())
                    .flatMap(i -> limits.take("rate-test:a", 5), 20).collectList().block();
            assertThat(burst.stream().filter(RateLimits.Verdict::allowed)).hasSize(5);
            RateLimits.Verdict refused = burst.stream().filter(v -> !v.allowed()).findFirst().orElseThrow();
            assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(45));
            assertThat(limits.take("rate-test:b", 5).block().allowed()).as("another key counts apart").isTrue();

            clock.advance(Duration.ofSeconds(45));
            assertThat(limits.take("rate-test:a", 5).block().allowed()).as("a new minute").isTrue();
            clock.advance(Duration.ofMinutes(2));
            assertThat(limits.forgetPast().block()).as("the windows that are over").isGreaterThanOrEqualTo(3);
        }
    }
}

package org.civicbot.bot.incident;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.IntStream;
import org.civicbot.bot.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class IncidentCodesTests {

    static final ZoneId MADRID = ZoneId.of("Europe/Madrid");
    static final Instant NOV_2026 = Instant.parse("2026-11-22T10:00:00Z");

    TestStore store = TestStore.start();
    IncidentCodes codes = new IncidentCodes(store.template(), MADRID);

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void startsEachYearAtOne() {
        StepVerifier.create(codes.next(NOV_2026)).expectNext("INC-2026-000001").verifyComplete();
        StepVerifier.create(codes.next(NOV_2026)).expectNext("INC-2026-000002").verifyComplete();
        StepVerifier.create(codes.next(Instant.parse("2027-02-01T10:00:00Z")))
                .expectNext("INC-2027-000001").verifyComplete();
    }

    @Test
    void givesDistinctConsecutiveCodesToConcurrentReports() {
        List<String> allocated = Flux.range(0, 200)
                .flatMap(i -> codes.next(NOV_2026), 200)
                .collectList()
                .block();

        assertThat(allocated).hasSize(200).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 200)
                        .mapToObj(n -> String.format("INC-2026-%06d", n)).toList());
    }

    @Test
    void takesTheYearFromTheTownHallsZone() {
        StepVerifier.create(codes.next(Instant.parse("2026-12-31T23:30:00Z")))
                .expectNext("INC-2027-000001")
                .verifyComplete();
    }
}

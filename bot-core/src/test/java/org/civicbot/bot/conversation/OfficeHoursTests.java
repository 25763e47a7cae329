package org.civicbot.bot.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class OfficeHoursTests {

    static final ZoneId MADRID = ZoneId.of("Europe/Madrid");
    static final OfficeHours HOURS = OfficeHours.parse("MON-FRI 09:00-14:00; TUE,THU 16:00-18:30", MADRID);

    static Instant at(String local) {
        return ZonedDateTime.parse(local + "+01:00[Europe/Madrid]").toInstant();
    }

    @Test
    void isOpenWithinASpanInTheTownHallsZone() {
        assertThat(HOURS.isOpen(at("2026-11-23T09:00:00"))).isTrue();   // Monday
        assertThat(HOURS.isOpen(at("2026-11-23T13:59:00"))).isTrue();
        assertThat(HOURS.isOpen(at("2026-11-23T14:00:00"))).isFalse();
        assertThat(HOURS.isOpen(at("2026-11-24T17:00:00"))).isTrue();   // Tuesday afternoon
        assertThat(HOURS.isOpen(at("2026-11-23T17:00:00"))).isFalse();  // Monday afternoon
        assertThat(HOURS.isOpen(at("2026-11-22T10:00:00"))).isFalse();  // Sunday
    }

    @Test
    void findsTheNextOpening() {
        assertThat(HOURS.nextOpening(at("2026-11-21T20:00:00"))).hasValue(
                ZonedDateTime.parse("2026-11-23T09:00:00+01:00[Europe/Madrid]"));
        assertThat(HOURS.nextOpening(at("2026-11-24T14:30:00"))).hasValue(
                ZonedDateTime.parse("2026-11-24T16:00:00+01:00[Europe/Madrid]"));
    }

    @Test
    void isAlwaysOpenWhenNoHoursAreSet() {
        OfficeHours always = OfficeHours.parse("", MADRID);
        assertThat(always.isOpen(at("2026-11-22T03:00:00"))).isTrue();
        assertThat(always.nextOpening(at("2026-11-22T03:00:00"))).isEmpty();
    }

    @Test
    void refusesASpecificationItCannotReadNamingThePart() {
        assertThatThrownBy(() -> OfficeHours.parse("MON-FRI 09:00-14:00; DIL 9:00-10:00", MADRID))
                .hasMessage("office hours \"DIL 9:00-10:00\": unknown day \"DIL\" (use MON, TUE, WED, THU, FRI, SAT, SUN)");
        assertThatThrownBy(() -> OfficeHours.parse("MON 14:00-09:00", MADRID))
                .hasMessage("office hours \"MON 14:00-09:00\": closes before it opens");
        assertThatThrownBy(() -> OfficeHours.parse("MON 9h-14h", MADRID))
                .hasMessage("office hours \"MON 9h-14h\": \"9h\" is not a time (HH:MM)");
        assertThat(OfficeHours.parse("SAT 9:30-13:00", MADRID).isOpen(at("2026-11-21T09:45:00"))).isTrue();
    }
}

package org.civicbot.bot.content.sources;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.civicbot.bot.engine.Found;
import org.civicbot.bot.engine.Lookup;
import org.junit.jupiter.api.Test;

/** What a news, agenda or pharmacies node shows of a source's items, at a given time in the town. */
class LiveItemsTests {

    static final ZoneId TOWN = ZoneId.of("Europe/Madrid");
    /** A Thursday afternoon. */
    static final Instant NOW = at("2026-12-03T16:00");

    static Instant at(String local) {
        return LocalDateTime.parse(local).atZone(TOWN).toInstant();
    }

    static SourceItem event(String title, String from, String to) {
        return new SourceItem(title, null, null, at(from), to == null ? null : at(to), "Teatre", null, null, null);
    }

    static SourceState state(List<SourceItem> items, String lastError) {
        return new SourceState("s", "ICAL", items, at("2026-12-03T08:00"), lastError, null, null);
    }

    static List<String> titles(Found.Items found) {
        return found.items().stream().map(i -> i.get("title")).toList();
    }

    @Test
    void theAgendaShowsTodayTheWeekendOrTheNextSevenDaysLeavingOutWhatIsOver() {
        SourceState agenda = state(List.of(
                event("Morning talk, over", "2026-12-03T10:00", "2026-12-03T11:00"),
                event("Concert tonight", "2026-12-03T21:00", "2026-12-03T23:00"),
                event("Christmas fair", "2026-12-05T00:00", "2026-12-07T00:00"),
                event("Sunday walk", "2026-12-06T10:00", null),
                event("Next Wednesday", "2026-12-09T18:30", "2026-12-09T20:00"),
                event("In two weeks", "2026-12-17T18:30", "2026-12-17T20:00")), null);

        assertThat(titles(LiveItems.select(agenda, live("agenda", "today", 5), NOW, TOWN)))
                .containsExactly("Concert tonight");
        assertThat(titles(LiveItems.select(agenda, live("agenda", "weekend", 5), NOW, TOWN)))
                .containsExactly("Christmas fair", "Sunday walk");
        assertThat(titles(LiveItems.select(agenda, live("agenda", "week", 5), NOW, TOWN)))
                .containsExactly("Concert tonight", "Christmas fair", "Sunday walk", "Next Wednesday");
        // On Sunday, "this weekend" is the one that is still on.
        assertThat(titles(LiveItems.select(agenda, live("agenda", "weekend", 5), at("2026-12-06T09:00"), TOWN)))
                .containsExactly("Christmas fair", "Sunday walk");

        Map<String, String> fair = LiveItems.select(agenda, live("agenda", "weekend", 5), NOW, TOWN).items().get(0);
        assertThat(fair).containsEntry("date", "05/12").containsEntry("time", "").containsEntry("place", "Teatre");
        Map<String, String> concert = LiveItems.select(agenda, live("agenda", "today", 5), NOW, TOWN).items().get(0);
        assertThat(concert).containsEntry("time", "21:00");
    }

    @Test
    void thePharmaciesOnDutyNowComeNearestFirstWithTheirDistance() {
        SourceState rota = state(List.of(
                pharmacy("Far, on duty", "2026-12-03T09:00", "2026-12-03T22:00", 41.7400, 1.8266),
                pharmacy("Near, on duty", "2026-12-03T09:00", "2026-12-03T22:00", 41.7260, 1.8266),
                pharmacy("Near, tonight", "2026-12-03T22:00", "2026-12-04T09:00", 41.7252, 1.8266)), null);
        Lookup.Live near = new Lookup.Live("pharmacies", "pharmacies", null, 41.7251, 1.8266, 5);

        Found.Items now = LiveItems.select(rota, near, NOW, TOWN);
        assertThat(titles(now)).containsExactly("Near, on duty", "Far, on duty");
        assertThat(now.items().get(0)).containsEntry("distance", "100 m").containsEntry("hours", "09:00–22:00")
                .containsEntry("name", "Near, on duty");
        assertThat(now.items().get(1).get("distance")).isEqualTo("1700 m");
        assertThat(titles(LiveItems.select(rota, near, at("2026-12-04T03:00"), TOWN))).as("past midnight")
                .containsExactly("Near, tonight");
        SourceState allDay = state(List.of(pharmacy("All day", "2026-12-03T00:00", "2026-12-04T00:00", 41.7, 1.8)), null);
        assertThat(LiveItems.select(allDay, near, NOW, TOWN).items().get(0)).containsEntry("hours", "00:00–24:00");
    }

    @Test
    void aFailingSourceServesItsLastGoodItemsWithTheirDateAndNothingWhenItNeverAnswered() {
        SourceItem news = new SourceItem("Talls de trànsit", "x".repeat(300), "https://town.example/n/1",
                at("2026-12-02T12:00"), null, null, null, null, null);
        Found.Items fresh = LiveItems.select(state(List.of(news), null), live("news", null, 5), NOW, TOWN);
        assertThat(fresh.asOf()).isNull();
        assertThat(fresh.items().get(0)).containsEntry("date", "02/12/2026");
        assertThat(fresh.items().get(0).get("summary")).hasSize(LiveItems.MAX_SUMMARY).endsWith("…");

        Found.Items stale = LiveItems.select(state(List.of(news), "the source answered 503"), live("news", null, 5),
                NOW, TOWN);
        assertThat(stale.asOf()).isEqualTo("03/12/2026 08:00");
        assertThat(stale.unavailable()).isFalse();
        assertThat(titles(stale)).containsExactly("Talls de trànsit");

        assertThat(LiveItems.select(null, live("news", null, 5), NOW, TOWN).unavailable()).isTrue();
        assertThat(LiveItems.select(state(List.of(), "the source answered 503"), live("news", null, 5), NOW, TOWN)
                .unavailable()).isTrue();
    }

    static Lookup.Live live(String kind, String period, int count) {
        return new Lookup.Live(kind, "s", period, null, null, count);
    }

    static SourceItem pharmacy(String name, String from, String to, double latitude, double longitude) {
        return new SourceItem(name, null, null, at(from), at(to), "Carrer Major, 1", "938 000 000", latitude,
                longitude);
    }
}

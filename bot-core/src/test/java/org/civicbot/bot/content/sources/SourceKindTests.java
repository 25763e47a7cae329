package org.civicbot.bot.content.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each kind of source read from a real-shaped file of a Catalan town. */
class SourceKindTests {

    private static final ZoneId TOWN = ZoneId.of("Europe/Madrid");

    @Test
    void readsAnRssFeedNewestFirstWithPlainSummaries() throws IOException {
        List<SourceItem> news = SourceKind.RSS.read(file("noticies.rss"), TOWN);
        assertThat(news).extracting(SourceItem::title).containsExactly(
                "Talls de trànsit al carrer Major per obres de clavegueram",
                "Obertes les inscripcions als casals d'estiu 2026");
        assertThat(news.get(1).summary()).isEqualTo(
                "Les famílies poden inscriure els infants de 3 a 16 anys fins al 15 de maig.");
    }

    @Test
    void readsAnICalendarAgendaSoonestFirstInTheTownsTime() throws IOException {
        List<SourceItem> agenda = SourceKind.ICAL.read(file("agenda.ics"), TOWN);
        assertThat(agenda).extracting(SourceItem::title).containsExactly("Concert de la banda municipal",
                "Fira de l'Ascensió");
        assertThat(agenda.get(1).start().atZone(TOWN).toLocalDateTime()).hasToString("2026-05-02T10:00");
        assertThat(agenda.get(1).place()).isEqualTo("Passeig de Pere III");
    }

    @Test
    void readsThePharmaciesOnDutyWithANightShiftPastMidnight() throws IOException {
        List<SourceItem> pharmacies = SourceKind.CSV.read(file("farmacies.csv"), TOWN);
        assertThat(pharmacies.get(1).end().atZone(TOWN).toLocalDateTime()).hasToString("2026-05-02T09:00");
        assertThat(pharmacies.get(0).place()).as("a quoted field keeps its comma").isEqualTo("Carrer del Born, 12");
        assertThat(SourceKind.csv("a,\"b \"\"c\"\"\"\r\n1,2\n")).containsExactly(List.of("a", "b \"c\""),
                List.of("1", "2"));
        assertThatThrownBy(() -> SourceKind.CSV.read("nom,adreça\nX,Y\n".getBytes(StandardCharsets.UTF_8), TOWN))
                .isInstanceOf(SourceKind.Unreadable.class).hasMessageContaining("no column \"name\"");
    }

    @Test
    void readsThePharmaciesFromJsonWithTheCsvsFields() {
        String json = """
                [{"name": "Farmàcia Soler", "address": "Carrer del Born, 12", "phone": "938 720 001",
                  "date": "2026-05-01", "from": "22:00", "to": "09:00", "latitude": 41.7251, "longitude": 1.8262}]
                """;
        List<SourceItem> pharmacies = SourceKind.JSON.read(json.getBytes(StandardCharsets.UTF_8), TOWN);
        assertThat(pharmacies).singleElement().satisfies(p -> {
            assertThat(p.title()).isEqualTo("Farmàcia Soler");
            assertThat(p.end().atZone(TOWN).toLocalDateTime()).hasToString("2026-05-02T09:00");
            assertThat(p.latitude()).isEqualTo(41.7251);
        });
        assertThat(SourceKind.JSON.read(("{\"items\": " + json + "}").getBytes(StandardCharsets.UTF_8), TOWN))
                .hasSize(1);
        assertThatThrownBy(() -> SourceKind.JSON.read("[{\"name\": \"X\"}]".getBytes(StandardCharsets.UTF_8), TOWN))
                .isInstanceOf(SourceKind.Unreadable.class).hasMessageContaining("without \"address\"");
        assertThatThrownBy(() -> SourceKind.JSON.read("<html>".getBytes(StandardCharsets.UTF_8), TOWN))
                .isInstanceOf(SourceKind.Unreadable.class).hasMessageContaining("not an array");
    }

    private static byte[] file(String name) throws IOException {
        try (InputStream in = SourceKindTests.class.getResourceAsStream("/sources/" + name)) {
            return in.readAllBytes();
        }
    }
}

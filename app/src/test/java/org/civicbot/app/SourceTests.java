package org.civicbot.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.civicbot.backoffice.staff.StaffUser;
import org.junit.jupiter.api.Test;

/**
 * The live information sources, served by WireMock with real-shaped content (an RSS feed of news, an iCalendar
 * agenda, a CSV of the pharmacies on duty): read into items; a source that fails goes on serving its last good read,
 * with its date, and says why it failed; only editors and admins see them.
 */
class SourceTests extends FullStackTest {

    private static final ZoneId TOWN = ZoneId.of("Europe/Madrid");

    @Test
    void readsNewsAgendaAndPharmaciesAndKeepsTheLastGoodReadWhenASourceFails() {
        staff("source-editor", StaffUser.Role.EDITOR);
        staff("source-agent", StaffUser.Role.AGENT);
        serve("/noticies.rss", "application/rss+xml", "noticies.rss");
        serve("/agenda.ics", "text/calendar", "agenda.ics");
        serve("/farmacies.csv", "text/csv", "farmacies.csv");

        JsonNode news = refresh("news");
        assertThat(news.get("lastError").isNull()).isTrue();
        assertThat(news.get("items").get(0).get("title").asText()).as("newest first")
                .isEqualTo("Talls de trànsit al carrer Major per obres de clavegueram");
        assertThat(news.get("items").get(1).get("summary").asText())
                .isEqualTo("Les famílies poden inscriure els infants de 3 a 16 anys fins al 15 de maig.");
        String readAt = news.get("lastSuccess").asText();

        JsonNode agenda = refresh("agenda");
        assertThat(agenda.get("items").get(0).get("title").asText()).as("soonest first")
                .isEqualTo("Concert de la banda municipal");
        assertThat(Instant.parse(agenda.get("items").get(1).get("start").asText()).atZone(TOWN).toLocalDateTime())
                .hasToString("2026-05-02T10:00");
        assertThat(agenda.get("items").get(1).get("place").asText()).isEqualTo("Passeig de Pere III");

        JsonNode pharmacies = refresh("pharmacies");
        JsonNode night = pharmacies.get("items").get(1);
        assertThat(night.get("title").asText()).isEqualTo("Farmàcia Soler i Vila");
        assertThat(night.get("phone").asText()).isEqualTo("938 725 433");
        assertThat(Instant.parse(night.get("end").asText()).atZone(TOWN).toLocalDateTime()).as("past midnight")
                .hasToString("2026-05-02T09:00");
        assertThat(night.get("latitude").asDouble()).isEqualTo(41.7248);

        // The news site is down: the last good read is still served, with its date, and the failure is said.
        Providers.SOURCES.stubFor(get(urlPathEqualTo("/noticies.rss")).willReturn(aResponse().withStatus(503)));
        JsonNode failed = refresh("news");
        assertThat(failed.get("lastError").asText()).isEqualTo("the source answered 503");
        assertThat(failed.get("lastSuccess").asText()).isEqualTo(readAt);
        assertThat(failed.get("items")).hasSize(2);

        // A body that is not what the source's kind says: refused with why, the last good read kept.
        Providers.SOURCES.stubFor(get(urlPathEqualTo("/farmacies.csv")).willReturn(aResponse()
                .withHeader("Content-Type", "text/csv").withBody("nom,adreça\nFarmàcia X,Carrer Y\n")));
        JsonNode badCsv = refresh("pharmacies");
        assertThat(badCsv.get("lastError").asText()).contains("no column \"name\"");
        assertThat(badCsv.get("items")).hasSize(2);

        JsonNode all = okGet("source-editor", "/api/v1/sources");
        assertThat(all.findValuesAsText("name")).contains("news", "agenda", "pharmacies");
        web.get().uri("/api/v1/sources").headers(h -> h.setBasicAuth("source-agent", STAFF_PASSWORD)).exchange()
                .expectStatus().isForbidden();
        postAs("source-editor", "/api/v1/sources/nowhere/refresh", Map.of()).expectStatus().isNotFound();
    }

    private JsonNode refresh(String source) {
        return okPost("source-editor", "/api/v1/sources/" + source + "/refresh", Map.of());
    }

    private static void serve(String path, String type, String file) {
        try (InputStream in = SourceTests.class.getResourceAsStream("/sources/" + file)) {
            Providers.SOURCES.stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withHeader("Content-Type", type)
                    .withBody(in.readAllBytes())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

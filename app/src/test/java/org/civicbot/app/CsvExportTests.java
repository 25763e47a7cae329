package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Any filtered incident list downloads as CSV that a spreadsheet opens with its accents and without formulas. */
class CsvExportTests extends FullStackTest {

    @Test
    void theFilteredListDownloadsAsCsvWithItsRowsAccentsAndNoFormulas() {
        staff("csv-admin");
        String marker = "CSVmarca" + System.nanoTime();
        String first = json(postAs("csv-admin", "/api/v1/incidents", Map.of("intake", "PHONE",
                "category", "street_lighting", "description", "Fanal apagat a la plaça de l'Ajuntament, " + marker,
                "location", Map.of("address", "Plaça Major, 1"))).expectStatus().isCreated()
                .expectBody(String.class).returnResult().getResponseBody()).get("code").asText();
        String second = json(postAs("csv-admin", "/api/v1/incidents", Map.of("intake", "COUNTER",
                "category", "other", "description", "=HYPERLINK(\"http://x\") " + marker)).expectStatus().isCreated()
                .expectBody(String.class).returnResult().getResponseBody()).get("code").asText();

        byte[] body = web.get().uri("/api/v1/incidents?format=csv&q=" + marker)
                .headers(h -> h.setBasicAuth("csv-admin", STAFF_PASSWORD)).header("Accept-Language", "ca").exchange()
                .expectStatus().isOk().expectHeader().contentType("text/csv;charset=UTF-8")
                .expectHeader().value("Content-Disposition", d -> assertThat(d).startsWith("attachment; filename="))
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(Arrays.copyOf(body, 3)).as("a byte-order mark, for Excel")
                .containsExactly((byte) 0xEF, (byte) 0xBB, (byte) 0xBF);
        List<String> lines = List.of(new String(body, 3, body.length - 3, StandardCharsets.UTF_8).split("\r\n"));
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("code,type,status,outcome,category,description,address");
        assertThat(lines.get(1)).startsWith(second + ",INCIDENT,NEW,,Altres,\"'=HYPERLINK(\"\"http://x\"\") " + marker
                + "\"");
        assertThat(lines.get(2)).startsWith(first + ",INCIDENT,NEW,,Enllumenat públic,\"Fanal apagat a la plaça de "
                + "l'Ajuntament, " + marker + "\",\"Plaça Major, 1\"");
        assertThat(String.join("\n", lines)).doesNotContain("csv-admin-contact");

        String page = PageSession.signIn(web, "csv-admin", STAFF_PASSWORD).get("/incidents?q=" + marker + "&status=NEW");
        assertThat(page).contains("href=\"/api/v1/incidents?status=NEW&amp;q=" + marker + "&amp;format=csv\"");
    }

    @Test
    void theConversationsDownloadAsCsvWithoutWhoTheCitizenIs() {
        staff("csv-conv");
        String citizen = "whatsapp:+34600000988";
        whatsapp(citizen, "hola");
        whatsapp(citizen, "persona");
        String id = conversation(org.civicbot.bot.Channel.WHATSAPP, citizen).id();
        byte[] body = web.get().uri("/api/v1/conversations?format=csv&status=AWAITING_AGENT")
                .headers(h -> h.setBasicAuth("csv-conv", STAFF_PASSWORD)).exchange()
                .expectStatus().isOk().expectHeader().contentType("text/csv;charset=UTF-8")
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(Arrays.copyOf(body, 3)).containsExactly((byte) 0xEF, (byte) 0xBB, (byte) 0xBF);
        String csv = new String(body, 3, body.length - 3, StandardCharsets.UTF_8);
        List<String> lines = List.of(csv.split("\r\n"));
        assertThat(lines.get(0)).isEqualTo("id,channel,status,department,assignee,createdAt,lastMessageAt,"
                + "lastInboundAt,awaitingSince");
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith(id + ",WHATSAPP,AWAITING_AGENT,"));
        assertThat(lines.subList(1, lines.size())).allSatisfy(line -> assertThat(line).contains(",AWAITING_AGENT,"));
        assertThat(csv).doesNotContain("600000988").doesNotContain("persona");
        assertThat(PageSession.signIn(web, "csv-conv", STAFF_PASSWORD).get("/inbox"))
                .contains("href=\"/api/v1/conversations?format=csv\"");
    }
}

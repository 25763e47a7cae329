package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.incident.Incident;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every step of an incident reaches the citizen who reported it, on their channel and in their language, with the
 * code and the address of its public status page; a note staff keep to themselves does not. The page shows the
 * public steps and nothing personal.
 */
class IncidentUpdatesTests extends FullStackTest {



    @BeforeEach
    void staffMember() {
        staff("marta");
    }

    JsonNode post(String uri, Object body) {
        return okPost("marta", uri, body);
    }

    JsonNode get(String uri) {
        return okGet("marta", uri);
    }

    @Test
    void aSpanishReporterOnWhatsAppHearsOfEveryPublicStepAndTheirPageShowsThem() throws Exception {
        String citizen = "whatsapp:+34600001701";
        whatsapp(citizen, "hola");
        whatsapp(citizen, "hay una farola apagada delante del número 12 de la calle Mayor");
        whatsapp(citizen, "Calle Mayor 12");
        whatsapp(citizen, "omitir");
        Conversation conversation = conversation(Channel.WHATSAPP, citizen);
        List<Incident> reported = incidentsOf(conversation.id());
        assertThat(reported).hasSize(1);
        String code = reported.get(0).code();
        int before = awaitOutboxSettled(conversation.id()).size();

        post("/api/v1/incidents/" + code + "/status", Map.of("status", "IN_PROGRESS", "note", "Brigada avisada"));
        post("/api/v1/incidents/" + code + "/notes", Map.of("text", "Cal una grua", "public", false));
        post("/api/v1/incidents/" + code + "/notes", Map.of("text", "Hemos pedido la pieza; la cambiaremos el martes.",
                "public", true));
        JsonNode closed = post("/api/v1/incidents/" + code + "/status", Map.of("status", "CLOSED", "outcome",
                "POSITIVE", "note", "Bombilla cambiada."));

        String page = closed.get("publicUrl").asText();
        assertThat(page).matches(Providers.PUBLIC_BASE + "/s/[A-Za-z0-9_-]{22}");
        // Three steps, then the satisfaction question once it is closed.
        await(() -> awaitOutboxSettled(conversation.id()).size() == before + 4);
        List<String> bodies = Providers.twilioBodiesTo(citizen);
        assertThat(bodies.get(bodies.size() - 1)).startsWith("Una última pregunta sobre tu incidencia " + code);
        assertThat(bodies.subList(bodies.size() - 4, bodies.size() - 1)).containsExactly(
                "El equipo municipal ya trabaja en tu incidencia " + code + ". Te avisaremos cuando haya novedades.\n"
                        + "Síguela aquí: " + page,
                "Novedades de tu incidencia " + code + ": Hemos pedido la pieza; la cambiaremos el martes.\n"
                        + "Síguela aquí: " + page,
                "Tu incidencia " + code + " se ha cerrado: resuelta. Bombilla cambiada.\n" + page);
        assertThat(bodies).noneMatch(body -> body.contains("Cal una grua") || body.contains("Brigada avisada"));

        JsonNode incident = get("/api/v1/incidents/" + code);
        assertThat(incident.get("publicUrl").asText()).isEqualTo(page);
        assertThat(incident.get("updates")).extracting(u -> u.get("kind").asText() + ":" + u.get("public").asBoolean())
                .containsExactly("CREATED:false", "STATUS:true", "NOTE:false", "NOTE:true", "STATUS:true");

        String html = web.get().uri(page.substring(Providers.PUBLIC_BASE.length()))
                .header("Accept-Language", "es").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(html).contains("Incidencia " + code).contains("Alumbrado público")
                .contains("Cerrada: resuelta.").contains("Bombilla cambiada.")
                .contains("Hemos pedido la pieza; la cambiaremos el martes.").contains("El equipo municipal trabaja en ella.")
                .doesNotContain("farola apagada").doesNotContain("Calle Mayor").doesNotContain("Cal una grua")
                .doesNotContain("Brigada avisada").doesNotContain("600001701");
    }

    @Test
    void aTelegramReporterHearsInCatalanAndANoteForStaffStaysWithStaff() throws Exception {
        long chat = Providers.newChat();
        for (String text : List.of("hola", "1", "3", "La farola del carrer Major 12 no s'encén", "Carrer Major 12",
                "ometre")) {
            long update = Providers.nextUpdateId();
            telegram(update, Providers.telegramText(update, chat, text));
        }
        Conversation conversation = conversation(Channel.TELEGRAM, String.valueOf(chat));
        String code = incidentsOf(conversation.id()).get(0).code();
        int before = awaitOutboxSettled(conversation.id()).size();

        post("/api/v1/incidents/" + code + "/notes", Map.of("text", "Només per a nosaltres"));
        post("/api/v1/incidents/" + code + "/status", Map.of("status", "IN_PROGRESS"));

        await(() -> awaitOutboxSettled(conversation.id()).size() == before + 1);
        List<String> texts = Providers.telegramTextsTo(chat);
        assertThat(texts.get(texts.size() - 1)).startsWith("L'equip municipal ja treballa en la teva incidència "
                + code + ".");
        assertThat(texts).noneMatch(t -> t.contains("Només per a nosaltres"));
    }

    @Test
    void theReporterAskingByCodeReadsWhatTheyToldUsAndSomeoneElseOnlyWhereItStands() throws Exception {
        String citizen = "whatsapp:+34600001702";
        whatsapp(citizen, "hola");
        whatsapp(citizen, "hay una farola apagada delante del número 12 de la calle Mayor");
        whatsapp(citizen, "Calle Mayor 12");
        whatsapp(citizen, "omitir");
        Conversation conversation = conversation(Channel.WHATSAPP, citizen);
        String code = incidentsOf(conversation.id()).get(0).code();
        post("/api/v1/incidents/" + code + "/status", Map.of("status", "CLOSED", "outcome", "POSITIVE", "note",
                "Bombilla cambiada."));
        JsonNode incident = get("/api/v1/incidents/" + code);
        String page = incident.get("publicUrl").asText();
        JsonNode updates = incident.get("updates");
        String today = java.time.format.DateTimeFormatter.ofPattern("dd/MM/yyyy").format(java.time.Instant
                .parse(updates.get(updates.size() - 1).get("at").asText()).atZone(java.time.ZoneId.of("Europe/Madrid")));

        whatsapp(citizen, "estado " + code.toLowerCase(java.util.Locale.ROOT));

        awaitOutboxSettled(conversation.id());
        List<String> bodies = Providers.twilioBodiesTo(citizen);
        assertThat(bodies.get(bodies.size() - 1)).isEqualTo("*" + code + "* · Alumbrado público\n"
                + "Estado: cerrada: resuelta\n"
                + "Última novedad (" + today + "): Bombilla cambiada.\n"
                + "Lo que nos dijiste: hay una farola apagada delante del número 12 de la calle Mayor\n"
                + "Dónde: Calle Mayor 12\n"
                + "Fotos: 0\n"
                + "Todo el seguimiento: " + page);

        String stranger = "whatsapp:+34600001703";
        whatsapp(stranger, "hello");
        whatsapp(stranger, code);

        awaitOutboxSettled(conversation(Channel.WHATSAPP, stranger).id());
        List<String> toStranger = Providers.twilioBodiesTo(stranger);
        assertThat(toStranger.get(toStranger.size() - 1)).isEqualTo("*" + code + "* · Street lighting\n"
                + "Status: closed: resolved\n"
                + "Latest update (" + today + "): Bombilla cambiada.");
    }

    @Test
    void aPageNoIncidentHasIsNotFoundAndSaysSo() {
        String html = web.get().uri("/s/AAAAAAAAAAAAAAAAAAAAAA").exchange().expectStatus().isNotFound()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(html).contains("No trobem aquesta incidència");
        web.get().uri("/s/not-a-token").exchange().expectStatus().isNotFound();
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await().atMost(PATIENCE).until(condition);
    }
}

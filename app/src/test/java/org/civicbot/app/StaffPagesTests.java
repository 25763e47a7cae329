package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.conversation.ConversationStatus;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.IncidentStatus;
import org.civicbot.bot.outbox.OutboxEntry;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** What staff do on the back-office pages: take over, reply once, hand back to the bot; move an incident. */
class StaffPagesTests extends FullStackTest {

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("name=\"idempotencyKey\" value=\"([^\"]+)\"");

    @Test
    void takesOverRepliesOnceAndHandsAConversationBackToTheBot() {
        String citizen = "whatsapp:+34600000901";
        whatsapp(citizen, "hola");
        whatsapp(citizen, "persona");
        Conversation waiting = conversation(Channel.WHATSAPP, citizen);
        String page = "/conversations/" + waiting.id();
        PageSession admin = PageSession.signIn(web, "admin", "admin-password");

        String inbox = admin.get("/inbox");
        String queue = inbox.substring(inbox.indexOf("id=\"queue\""), inbox.indexOf("id=\"mine\""));
        assertThat(queue).contains("data-conversation-id=\"" + waiting.id() + "\"");

        assertThat(admin.post(page, page + "/takeover", Map.of())).isEqualTo(page);
        Conversation taken = conversation(Channel.WHATSAPP, citizen);
        assertThat(taken.status()).isEqualTo(ConversationStatus.AGENT);
        assertThat(taken.assignee()).isEqualTo("admin");
        assertThat(admin.get(page)).contains("id=\"conversation-status\"", "data-status=\"AGENT\"", "id=\"reply-text\"");

        int before = outbox(waiting.id()).size();
        String key = PageSession.field(admin.get(page), IDEMPOTENCY_KEY);
        Map<String, String> reply = Map.of("text", "Bon dia, <b>soc l'admin</b>", "idempotencyKey", key);
        admin.post(page, page + "/messages", reply);
        admin.post(page, page + "/messages", reply);
        List<OutboxEntry> staff = outbox(waiting.id()).subList(before, outbox(waiting.id()).size());
        assertThat(staff).extracting(OutboxEntry::text).containsExactly("Bon dia, <b>soc l'admin</b>");
        assertThat(admin.get(page + "/timeline")).contains("Bon dia, &lt;b&gt;soc l&#39;admin&lt;/b&gt;")
                .doesNotContain("<b>soc");

        // A colleague who clicks too is told who has it.
        web.post().uri("/api/v1/users").headers(h -> h.setBasicAuth("admin", "admin-password"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "page-colleague", "displayName", "Page Colleague",
                        "password", "page-colleague-password", "roles", List.of("AGENT"),
                        "departments", List.of("citizen_service")))
                .exchange().expectStatus().isCreated();
        PageSession colleague = PageSession.signIn(web, "page-colleague", "page-colleague-password");
        colleague.post(page, page + "/takeover", Map.of());
        String refused = colleague.get(page);
        assertThat(refused).contains("class=\"flash-error\"");
        assertThat(refused.substring(refused.indexOf("flash-error"))).contains("admin");
        assertThat(conversation(Channel.WHATSAPP, citizen).assignee()).isEqualTo("admin");

        // An agent of another department does not see it at all.
        web.post().uri("/api/v1/users").headers(h -> h.setBasicAuth("admin", "admin-password"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "page-outsider", "displayName", "Page Outsider",
                        "password", "page-outsider-password", "roles", List.of("AGENT"),
                        "departments", List.of("employment")))
                .exchange().expectStatus().isCreated();
        PageSession outsider = PageSession.signIn(web, "page-outsider", "page-outsider-password");
        outsider.getting(page).expectStatus().isNotFound();
        assertThat(outsider.get("/inbox")).doesNotContain(waiting.id());

        admin.post(page, page + "/release", Map.of("node", "", "note", "Us torno amb l'assistent."));
        assertThat(conversation(Channel.WHATSAPP, citizen).status()).isEqualTo(ConversationStatus.BOT);
        assertThat(outbox(waiting.id())).extracting(OutboxEntry::text).contains("Us torno amb l'assistent.");
    }

    @Test
    void movesAnIncidentThroughItsPageAndOpensItByCode() {
        web.post().uri("/api/v1/device-alerts").header("Authorization", "Bearer device-token-7")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("""
                        {"alertId": "P-3001", "type": "container_full", "message": "Contenidor ple",
                         "latitude": 41.7260, "longitude": 1.8250, "occurredAt": "2026-11-22T08:15:00Z"}
                        """).exchange().expectStatus().isCreated();
        Incident incident = mongo.findOne(query(where("_id").is("device:truck-7:P-3001")), Incident.class).block();
        String page = "/incidents/" + incident.code();
        PageSession admin = PageSession.signIn(web, "admin", "admin-password");

        admin.getting("/incidents/open?code= " + incident.code().toLowerCase() + " ").expectStatus().is3xxRedirection()
                .expectHeader().location(page);
        assertThat(admin.get("/incidents")).contains("data-code=\"" + incident.code() + "\"");
        assertThat(admin.get(page)).contains("id=\"incident-map\"", "data-lat=\"41.726\"", "data-status=\"NEW\"");

        admin.post(page, page + "/status", Map.of("status", "CLOSED", "outcome", "", "note", ""));
        assertThat(admin.get(page)).contains("class=\"flash-error\"", "data-status=\"NEW\"");

        admin.post(page, page + "/status", Map.of("status", "IN_PROGRESS", "outcome", "", "note", "Camió avisat"));
        admin.post(page, page + "/assignment", Map.of("assignee", "admin", "department", "citizen_service"));
        admin.post(page, page + "/notes", Map.of("text", "Cal revisar-lo demà"));
        admin.post(page, page + "/status", Map.of("status", "CLOSED", "outcome", "POSITIVE", "note", "Buidat"));

        Incident closed = mongo.findOne(query(where("code").is(incident.code())), Incident.class).block();
        assertThat(closed.status()).isEqualTo(IncidentStatus.CLOSED);
        assertThat(closed.outcome()).isEqualTo("POSITIVE");
        assertThat(closed.assignee()).isEqualTo("admin");
        assertThat(closed.timeline()).extracting(Incident.TimelineEntry::type)
                .containsExactly("SYSTEM", "STATUS", "ASSIGNMENT", "NOTE", "STATUS");
        String detail = admin.get(page);
        assertThat(detail).contains("id=\"incident-status\"", "data-status=\"CLOSED\"", "data-type=\"NOTE\"", "Cal revisar-lo demà");
        assertThat(admin.get("/incidents")).doesNotContain("data-code=\"" + incident.code() + "\"");
        assertThat(admin.get("/incidents?status=CLOSED")).contains("data-code=\"" + incident.code() + "\"");
    }
}

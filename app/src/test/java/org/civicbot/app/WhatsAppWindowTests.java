package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.civicbot.backoffice.staff.StaffUser;
import org.civicbot.backoffice.staff.StaffUsers;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.Conversation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.MediaType;

/**
 * WhatsApp's 24-hour window: outside it the approved template goes (with the code as its variable), the full text
 * waits, and it is delivered first as soon as the citizen writes; staff cannot send free text there, and are told
 * why. The time is injected by moving the citizen's last message 25 hours back.
 */
class WhatsAppWindowTests extends FullStackTest {

    static final String PASSWORD = "a-long-staff-password";

    @Autowired
    StaffUsers users;

    @BeforeEach
    void staff() {
        users.find("marta").switchIfEmpty(users.create("marta", "Marta", PASSWORD, Set.of(StaffUser.Role.ADMIN),
                Set.of())).block();
    }

    void lastWroteHoursAgo(String conversationId, int hours) {
        mongo.updateFirst(query(where("_id").is(conversationId)),
                new Update().set("lastInboundAt", Instant.now().minus(Duration.ofHours(hours))), Conversation.class)
                .block();
    }

    @Test
    void outsideTheWindowTheTemplateGoesAndTheUpdateArrivesFirstWhenTheCitizenWrites() {
        String citizen = "whatsapp:+34600001901";
        for (String text : List.of("hola", "1", "3", "La farola del carrer Major 12 no s'encén", "Carrer Major 12",
                "ometre")) {
            whatsapp(citizen, text);
        }
        Conversation conversation = conversation(Channel.WHATSAPP, citizen);
        String code = incidentsOf(conversation.id()).get(0).code();
        awaitOutboxSettled(conversation.id());
        lastWroteHoursAgo(conversation.id(), 25);

        web.post().uri("/api/v1/incidents/" + code + "/status").headers(h -> h.setBasicAuth("marta", PASSWORD))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("status", "IN_PROGRESS")).exchange()
                .expectStatus().isOk();

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(Providers.twilioRequestsTo(citizen)).last()
                .satisfies(form -> {
                    assertThat(form).containsEntry("ContentSid", "HXupdate0000000000000000000000ca")
                            .containsEntry("ContentVariables", "{\"1\":\"" + code + "\"}")
                            .doesNotContainKey("Body");
                }));
        assertThat(conversation(Channel.WHATSAPP, citizen).heldMessages()).singleElement()
                .satisfies(held -> assertThat(held.text()).startsWith("L'equip municipal ja treballa"));
        int before = Providers.twilioBodiesTo(citizen).size();

        whatsapp(citizen, "hola");

        awaitOutboxSettled(conversation.id());
        List<String> bodies = Providers.twilioBodiesTo(citizen);
        List<String> answer = bodies.subList(before, bodies.size());
        assertThat(answer).hasSize(2);
        assertThat(answer.get(0)).startsWith("L'equip municipal ja treballa en la teva incidència " + code);
        assertThat(answer.get(1)).startsWith("Hola! Sóc l'assistent de l'Ajuntament.");
        assertThat(conversation(Channel.WHATSAPP, citizen).heldMessages()).isEmpty();
    }

    @Test
    void staffCannotSendFreeTextOutsideTheWindowAndTheirReplyWaitsBehindTheTemplate() {
        String citizen = "whatsapp:+34600001902";
        whatsapp(citizen, "hola");
        whatsapp(citizen, "persona");
        String id = conversation(Channel.WHATSAPP, citizen).id();
        web.post().uri("/api/v1/conversations/" + id + "/takeover").headers(h -> h.setBasicAuth("marta", PASSWORD))
                .exchange().expectStatus().isOk();
        awaitOutboxSettled(id);
        lastWroteHoursAgo(id, 30);

        web.post().uri("/api/v1/conversations/" + id + "/messages").headers(h -> h.setBasicAuth("marta", PASSWORD))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("text", "Bon dia, ja ho tenim."))
                .exchange().expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.reason").isEqualTo("whatsapp-window-closed")
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains("24 hours").contains("template"));
        assertThat(Providers.twilioBodiesTo(citizen)).noneMatch(b -> b != null && b.contains("ja ho tenim"));

        web.post().uri("/api/v1/conversations/" + id + "/messages").headers(h -> h.setBasicAuth("marta", PASSWORD))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("text", "Bon dia, ja ho tenim.", "template", true))
                .exchange().expectStatus().isCreated();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(Providers.twilioRequestsTo(citizen)).last()
                .satisfies(form -> assertThat(form).containsEntry("ContentSid", "HXreply00000000000000000000000ca")));

        // The citizen answers the template: the reply they were told of arrives; the bot stays silent.
        whatsapp(citizen, "digueu");
        awaitOutboxSettled(id);
        assertThat(Providers.twilioBodiesTo(citizen)).last().isEqualTo("Bon dia, ja ho tenim.");
        assertThat(conversation(Channel.WHATSAPP, citizen).heldMessages()).isEmpty();
    }
}

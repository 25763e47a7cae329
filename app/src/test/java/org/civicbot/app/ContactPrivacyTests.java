package org.civicbot.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.bson.Document;
import org.civicbot.backoffice.staff.StaffUser.Role;
import org.civicbot.bot.Channel;
import org.civicbot.bot.announcement.Subscriptions;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.media.PhotoStore;
import org.civicbot.bot.privacy.PrivacyRequests;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Sort;

/**
 * A citizen asks the town hall for their data, then to be forgotten: the data-protection officer finds them by their
 * number, exports everything held about them (and no one else's), erases it; their incident stays, anonymised, for
 * the statistics; Twilio is asked to delete their photo; when they write again, they are a new contact.
 */
class ContactPrivacyTests extends FullStackTest {

    static final String CITIZEN = "whatsapp:+34600009901";
    static final String NEIGHBOUR = "whatsapp:+34600009902";
    static final String MEDIA = "/2010-04-01/Accounts/" + Providers.TWILIO_SID
            + "/Messages/MMerase0000000000000000000000001/Media/MEerase0000000000000000000000001";

    @Autowired
    PhotoStore photos;
    @Autowired
    Subscriptions subscriptions;

    @Test
    void aContactIsFoundExportedWithNothingOfAnyoneElseAndErased() throws IOException {
        staff("dpo", Role.DPO);
        staff("agent-privacy", Role.AGENT);
        staff("admin-privacy");
        Providers.TWILIO.stubFor(delete(urlPathEqualTo(MEDIA + ".json")).willReturn(aResponse().withStatus(204)));

        // The citizen reports a broken branch with a pin and a photo; a neighbour reports something else.
        for (String text : List.of("hola", "1", "2", "Branca trencada davant de casa meva, soc la Maria")) {
            whatsapp(CITIZEN, text);
        }
        Map<String, String> pin = Providers.whatsappText(CITIZEN, Providers.nextMessageSid(), "");
        pin.remove("Body");
        // A spot no other test reports at: no open incident nearby is offered as the same problem.
        pin.put("Latitude", "41.708911");
        pin.put("Longitude", "1.855372");
        postTwilio(pin).expectStatus().isOk();
        awaitProcessed("WHATSAPP:" + pin.get("MessageSid"));
        Map<String, String> photo = Providers.whatsappText(CITIZEN, "MMerase0000000000000000000000001", "");
        photo.put("NumMedia", "1");
        photo.put("MediaUrl0", Providers.TWILIO.baseUrl() + MEDIA);
        photo.put("MediaContentType0", "image/jpeg");
        postTwilio(photo).expectStatus().isOk();
        awaitProcessed("WHATSAPP:MMerase0000000000000000000000001");
        // Once the photo is kept here, Twilio's copy is deleted.
        org.awaitility.Awaitility.await().atMost(PATIENCE).until(() -> Providers.TWILIO.findAll(
                deleteRequestedFor(urlPathEqualTo(MEDIA + ".json"))).size() == 1);
        for (String text : List.of("hola", "1", "4", "Un banc trencat al parc del veí")) {
            whatsapp(NEIGHBOUR, text);
        }
        whatsapp(NEIGHBOUR, "Carrer de les Proves 7");
        whatsapp(NEIGHBOUR, "ometre");

        Conversation mine = conversation(Channel.WHATSAPP, CITIZEN);
        Conversation theirs = conversation(Channel.WHATSAPP, NEIGHBOUR);
        awaitOutboxSettled(mine.id());
        Incident reported = incidentsOf(mine.id()).get(0);
        Incident neighbours = incidentsOf(theirs.id()).get(0);
        assertThat(reported.photos()).hasSize(1);
        String photoId = reported.photos().get(0).id();
        // The neighbour follows the citizen's incident; the citizen subscribes and books.
        mongo.updateFirst(query(where("_id").is(reported.id())),
                new org.springframework.data.mongodb.core.query.Update().addToSet("followers", theirs.id()),
                Incident.class).block();
        subscriptions.subscribe(mine.id(), "waste_collection", null).block();
        mongo.insert(new Document("_id", "appointment-erase").append("code", "CITA-2026-009901")
                .append("conversationId", mine.id()).append("name", "Maria Vila").append("phone", "+34600009901")
                .append("status", "BOOKED"), "appointments").block();

        // Incident and conversation JSON name the contact.
        assertThat(okGet("admin-privacy", "/api/v1/incidents/" + reported.code()).get("contactId").asText())
                .isEqualTo(mine.id());
        assertThat(okGet("admin-privacy", "/api/v1/conversations/" + mine.id()).get("conversation").get("contactId")
                .asText()).isEqualTo(mine.id());

        // Found by the number however it is typed; only ADMIN and DPO may look.
        for (String typed : List.of("+34600009901", "whatsapp:+34600009901", "+34 600 00 99 01", "34600009901")) {
            JsonNode found = find("dpo", typed);
            assertThat(found).as(typed).hasSize(1);
            assertThat(found.get(0).get("contactId").asText()).isEqualTo(mine.id());
            assertThat(found.get(0).get("incidents").asLong()).isOne();
            assertThat(found.get(0).toString()).doesNotContain("600009901");
        }
        web.get().uri(b -> b.path("/api/v1/contacts").queryParam("q", "{q}").build("+34600009901"))
                .headers(h -> h.setBasicAuth("agent-privacy", STAFF_PASSWORD)).exchange().expectStatus().isForbidden();

        // The export: every record of the contact, its photo, and nothing of the neighbour.
        byte[] zip = web.get().uri("/api/v1/contacts/" + mine.id() + "/export?reason=Art. 15 request by letter")
                .headers(h -> h.setBasicAuth("dpo", STAFF_PASSWORD)).exchange().expectStatus().isOk()
                .expectHeader().contentType("application/zip")
                .expectBody(byte[].class).returnResult().getResponseBody();
        Map<String, byte[]> files = unzip(zip);
        assertThat(files).containsKey("contact.json");
        JsonNode export = json(new String(files.get("contact.json"), StandardCharsets.UTF_8));
        assertThat(export.get("contactId").asText()).isEqualTo(mine.id());
        assertThat(export.get("address").asText()).isEqualTo(CITIZEN);
        assertThat(export.get("messages")).hasSizeGreaterThanOrEqualTo(6);
        assertThat(export.get("replies").size()).isPositive();
        assertThat(export.get("incidents")).hasSize(1);
        assertThat(export.get("incidents").get(0).get("code").asText()).isEqualTo(reported.code());
        assertThat(export.get("subscriptions")).hasSize(1);
        assertThat(export.get("appointments")).hasSize(1);
        assertThat(export.get("media")).hasSize(1);
        String whole = export.toString();
        assertThat(whole).contains("Branca trencada davant de casa meva").contains(reported.code())
                .doesNotContain("600009902").doesNotContain(theirs.id()).doesNotContain("parc del veí")
                .doesNotContain(neighbours.code());
        assertThat(files.get(export.get("media").get(0).get("file").asText())).isEqualTo(Providers.JPEG);

        // Erasure needs a reason; with one, it removes and anonymises.
        postAs("dpo", "/api/v1/contacts/" + mine.id() + "/erase", Map.of()).expectStatus().isBadRequest();
        JsonNode erased = okPost("dpo", "/api/v1/contacts/" + mine.id() + "/erase",
                Map.of("reason", "Art. 17 request of 2026-11-30"));
        assertThat(erased.get("erased").get("conversations").asLong()).isOne();
        assertThat(erased.get("erased").get("incidentsAnonymised").asLong()).isOne();
        assertThat(erased.get("erased").get("photos").asLong()).isOne();
        assertThat(erased.get("erased").get("providerMedia").asLong()).isOne();
        assertThat(erased.get("erased").get("subscriptions").asLong()).isOne();
        // The erasure asks again: a deletion that failed at intake is not left behind.
        Providers.TWILIO.verify(2, deleteRequestedFor(urlPathEqualTo(MEDIA + ".json")));

        // The contact is unknown now; their incident stays, with nothing that names or places them.
        assertThat(find("dpo", "+34600009901")).isEmpty();
        web.get().uri("/api/v1/contacts/" + mine.id() + "/export").headers(h -> h.setBasicAuth("dpo", STAFF_PASSWORD))
                .exchange().expectStatus().isNotFound();
        postAs("dpo", "/api/v1/contacts/" + mine.id() + "/erase", Map.of("reason", "again"))
                .expectStatus().isNotFound();
        Incident anonymised = mongo.findById(reported.id(), Incident.class).block();
        assertThat(anonymised.code()).isEqualTo(reported.code());
        assertThat(anonymised.category()).isEqualTo(reported.category());
        assertThat(anonymised.description()).doesNotContain("Maria").doesNotContain("Branca");
        assertThat(anonymised.contactName()).isNull();
        assertThat(anonymised.conversationId()).isNull();
        assertThat(anonymised.photos()).isEmpty();
        assertThat(anonymised.location().latitude()).isEqualTo(41.709);
        assertThat(anonymised.location().longitude()).isEqualTo(1.855);
        assertThat(anonymised.followers()).containsExactly(theirs.id());
        assertThat(photos.load(photoId).block()).isNull();
        for (String collection : List.of("inbound_messages", "outbox", "conversation_events", "subscriptions")) {
            assertThat(mongo.count(query(where("conversationId").is(mine.id())), collection).block()).as(collection)
                    .isZero();
        }
        Document appointment = mongo.findById("appointment-erase", Document.class, "appointments").block();
        assertThat(appointment.keySet()).doesNotContain("name", "phone", "conversationId");
        assertThat(mongo.findById(neighbours.id(), Incident.class).block().description())
                .isEqualTo("Un banc trencat al parc del veí");
        assertThat(conversation(Channel.WHATSAPP, NEIGHBOUR)).isNotNull();

        // Both requests are audited: who, why, which contact; never the number.
        List<PrivacyRequests.PrivacyRequest> audit = mongo.find(query(where("contactId").is(mine.id()))
                .with(Sort.by("at")), PrivacyRequests.PrivacyRequest.class).collectList().block();
        assertThat(audit).extracting(PrivacyRequests.PrivacyRequest::kind)
                .containsExactly(PrivacyRequests.Kind.EXPORT, PrivacyRequests.Kind.ERASE);
        assertThat(audit).extracting(PrivacyRequests.PrivacyRequest::by).containsOnly("dpo");
        assertThat(audit).extracting(PrivacyRequests.PrivacyRequest::reason)
                .containsExactly("Art. 15 request by letter", "Art. 17 request of 2026-11-30");
        assertThat(audit.toString()).doesNotContain("600009901");

        // Writing again, they start afresh: a new conversation, the privacy notice first.
        int before = Providers.twilioBodiesTo(CITIZEN).size();
        whatsapp(CITIZEN, "hola");
        Conversation fresh = conversation(Channel.WHATSAPP, CITIZEN);
        awaitOutboxSettled(fresh.id());
        assertThat(fresh.createdAt()).isAfter(mine.createdAt());
        assertThat(incidentsOf(fresh.id())).isEmpty();
        assertThat(Providers.twilioBodiesTo(CITIZEN).get(before)).contains("https://www.ajuntamentdeprova.cat/privacitat");
    }

    /** The contacts {@code typed} names, as {@code username} finds them. */
    JsonNode find(String username, String typed) {
        return json(web.get().uri(b -> b.path("/api/v1/contacts").queryParam("q", "{q}").build(typed))
                .headers(h -> h.setBasicAuth(username, STAFF_PASSWORD)).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }

    static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                files.put(entry.getName(), in.readAllBytes());
            }
        }
        return files;
    }

}

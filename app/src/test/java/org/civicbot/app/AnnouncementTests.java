package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.civicbot.backoffice.staff.StaffUser;
import org.civicbot.bot.Channel;
import org.civicbot.bot.announcement.Subscriptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Announcements reach the subscribers of their topic in their area, once each, through the outbound policy; nobody
 * else, and no contact who opted out. The delivery report counts what the providers were asked to send.
 */
class AnnouncementTests extends FullStackTest {

    static final String CENTRE = """
            {"type": "Polygon", "coordinates": [[[1.820, 41.720], [1.830, 41.720], [1.830, 41.730],
             [1.820, 41.730], [1.820, 41.720]]]}""";

    @Autowired
    Subscriptions subscriptions;

    @BeforeEach
    void staffMembers() {
        staff("carla", StaffUser.Role.COMMUNICATIONS);
        staff("toni", StaffUser.Role.AGENT);
    }

    WebTestClient.ResponseSpec post(String user, String uri, String body) {
        return postAs(user, uri, body);
    }

    JsonNode get(String uri) {
        return okGet("carla", uri);
    }

    /** A contact who has written once, subscribed to {@code topic} in {@code area} (null: the whole town). */
    String whatsappSubscriber(String number, String topic, String area) {
        whatsapp(number, "hola");
        String id = conversation(Channel.WHATSAPP, number).id();
        subscriptions.subscribe(id, topic, area).block();
        return id;
    }

    @Test
    void anAnnouncementReachesTheTopicsSubscribersInItsAreaOnceEachAndNobodyElse() throws Exception {
        assertThat(get("/api/v1/topics").findValuesAsText("id")).contains("waste", "roadworks", "alerts");
        post("carla", "/api/v1/areas", "{\"id\": \"centre\", \"name\": \"Centre\", \"geometry\": " + CENTRE + "}")
                .expectStatus().isOk();
        post("carla", "/api/v1/areas", "{\"id\": \"nord\", \"name\": \"Nord\", \"geometry\": {\"type\": \"Point\"}}")
                .expectStatus().isBadRequest().expectBody(String.class)
                .value(body -> assertThat(body).contains("GeoJSON Polygon"));
        post("carla", "/api/v1/areas", "{\"id\": \"nord\", \"name\": \"Nord\", \"geometry\": " + CENTRE + "}")
                .expectStatus().isOk();

        String inCentre = "whatsapp:+34600006001";
        whatsappSubscriber(inCentre, "waste", "centre");
        String twice = "whatsapp:+34600006002";
        String twiceId = whatsappSubscriber(twice, "waste", "centre");
        subscriptions.subscribe(twiceId, "waste", null).block();
        String inNord = "whatsapp:+34600006003";
        whatsappSubscriber(inNord, "waste", "nord");
        String quiet = "whatsapp:+34600006004";
        whatsappSubscriber(quiet, "waste", null);
        whatsapp(quiet, "baixa");
        String otherTopic = "whatsapp:+34600006005";
        whatsappSubscriber(otherTopic, "roadworks", "centre");
        long chat = Providers.newChat();
        long hello = Providers.nextUpdateId();
        telegram(hello, Providers.telegramText(hello, chat, "hola"));
        subscriptions.subscribe(conversation(Channel.TELEGRAM, String.valueOf(chat)).id(), "waste", null).block();

        // Missing a language, an unknown topic, or an agent's hand: refused, nothing sent.
        post("carla", "/api/v1/announcements", "{\"topic\": \"waste\", \"text\": {\"ca\": \"x\", \"es\": \"x\"}}")
                .expectStatus().isBadRequest().expectBody(String.class)
                .value(body -> assertThat(body).contains("en is missing"));
        post("carla", "/api/v1/announcements", "{\"topic\": \"nothing\", \"text\": {\"ca\": \"x\", \"es\": \"x\","
                + " \"en\": \"x\"}}").expectStatus().isBadRequest();
        post("toni", "/api/v1/announcements", "{\"topic\": \"waste\", \"text\": {\"ca\": \"x\", \"es\": \"x\","
                + " \"en\": \"x\"}}").expectStatus().isForbidden();

        String created = post("carla", "/api/v1/announcements", """
                {"topic": "waste", "area": "centre", "link": "https://www.example.cat/residus",
                 "text": {"ca": "Dimecres no es recull el rebuig al centre.",
                          "es": "El miércoles no se recoge el rechazo en el centro.",
                          "en": "No general waste collection in the centre on Wednesday."}}""")
                .expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody();
        String id = JSON.readTree(created).get("id").asText();

        String expected = "📢 *Recollida de residus*\nDimecres no es recull el rebuig al centre.\n"
                + "(Reps aquest avís perquè t'hi vas subscriure. Per no rebre cap més missatge, escriu BAIXA.)\n"
                + "https://www.example.cat/residus";
        org.awaitility.Awaitility.await().atMost(PATIENCE).untilAsserted(() -> {
            JsonNode report = get("/api/v1/announcements/" + id);
            assertThat(report.get("status").asText()).isEqualTo("SENT");
            assertThat(report.get("recipients").asInt()).isEqualTo(3);
        });
        assertThat(Providers.twilioBodiesTo(inCentre)).containsOnlyOnce(expected);
        assertThat(Providers.twilioBodiesTo(twice)).containsOnlyOnce(expected);
        org.awaitility.Awaitility.await().atMost(PATIENCE).until(() -> Providers.telegramTextsTo(chat).stream()
                .filter(t -> t.startsWith("📢 Recollida de residus\nDimecres")).count() == 1);
        for (String nobody : List.of(inNord, quiet, otherTopic)) {
            assertThat(Providers.twilioBodiesTo(nobody)).noneMatch(b -> b != null && b.contains("rebuig"));
        }
        org.awaitility.Awaitility.await().atMost(PATIENCE).untilAsserted(() -> {
            JsonNode report = get("/api/v1/announcements/" + id);
            assertThat(report.get("sent").asInt()).as("what the providers were asked to send").isEqualTo(3);
            assertThat(report.get("queued").asInt()).isZero();
            assertThat(report.get("failed").asInt()).isZero();
            assertThat(report.get("held").asInt()).isZero();
        });
    }

    /**
     * In the chat, from Preferences: a topic in an area chosen by a pin on Telegram, the whole town on WhatsApp; an
     * announcement for that area reaches both.
     */
    @Test
    void citizensSubscribeInTheChatAndHearTheAnnouncement() throws Exception {
        // Areas of this test's own, where no other test puts anything (the store is shared).
        String square = CENTRE.replace("1.820", "1.850").replace("1.830", "1.852").replace("41.720", "41.740")
                .replace("41.730", "41.742");
        post("carla", "/api/v1/areas", "{\"id\": \"placa_major\", \"name\": \"Plaça Major\", \"geometry\": "
                + square + "}").expectStatus().isOk();
        post("carla", "/api/v1/areas", "{\"id\": \"seu\", \"name\": \"La Seu\", \"geometry\": "
                + square.replace("1.850", "1.853").replace("1.852", "1.855") + "}").expectStatus().isOk();
        String citizen = "whatsapp:+34600006011";
        // Preferences, "Notify me when...", get a new one, the topic "Talls d'aigua i de llum", the whole town.
        for (String text : List.of("hola", "8", "avisa'm quan hi hagi talls d'aigua", "1")) {
            whatsapp(citizen, text);
        }
        String id = conversation(Channel.WHATSAPP, citizen).id();
        awaitOutboxSettled(id);
        String topics = Providers.twilioBodiesTo(citizen).get(Providers.twilioBodiesTo(citizen).size() - 1);
        assertThat(topics).startsWith("De quin tema vols rebre avisos?").contains("Talls d'aigua i de llum");
        String line = List.of(topics.split("\n")).stream().filter(l -> l.endsWith(". Talls d'aigua i de llum"))
                .findFirst().orElseThrow();
        int supplyCuts = Integer.parseInt(line.substring(0, line.indexOf('.')));
        whatsapp(citizen, String.valueOf(supplyCuts));
        whatsapp(citizen, "Tot el municipi");
        awaitOutboxSettled(id);
        assertThat(Providers.twilioBodiesTo(citizen)).anySatisfy(b -> assertThat(b)
                .startsWith("Fet! T'avisarem de: Talls d'aigua i de llum (Tot el municipi)."));
        assertThat(subscriptions.of(id).collectList().block()).extracting(s -> s.topic() + "/" + s.area())
                .containsExactly("supply_cuts/null");

        // On Telegram, a pin inside the Plaça Major chooses the area.
        long chat = Providers.newChat();
        for (String text : List.of("hola", "8", "avisa'm quan hi hagi talls d'aigua", "1", String.valueOf(supplyCuts))) {
            long update = Providers.nextUpdateId();
            telegram(update, Providers.telegramText(update, chat, text));
        }
        long pin = Providers.nextUpdateId();
        telegram(pin, Providers.telegramLocation(pin, chat, 41.741, 1.851));
        String telegramId = conversation(Channel.TELEGRAM, String.valueOf(chat)).id();
        assertThat(subscriptions.of(telegramId).collectList().block()).extracting(s -> s.topic() + "/" + s.area())
                .containsExactly("supply_cuts/placa_major");

        String created = post("carla", "/api/v1/announcements", """
                {"topic": "supply_cuts", "area": "placa_major",
                 "text": {"ca": "Dijous de 8 a 12 no hi haurà aigua al carrer Major.",
                          "es": "El jueves de 8 a 12 no habrá agua en la calle Mayor.",
                          "en": "No water in Carrer Major on Thursday from 8 to 12."}}""")
                .expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody();
        String announcement = JSON.readTree(created).get("id").asText();
        org.awaitility.Awaitility.await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(Providers.twilioBodiesTo(citizen)).anySatisfy(b -> assertThat(b).contains("no hi haurà aigua"));
            assertThat(Providers.telegramTextsTo(chat)).anySatisfy(t -> assertThat(t).contains("no hi haurà aigua"));
            assertThat(get("/api/v1/announcements/" + announcement).get("sent").asInt()).isEqualTo(2);
        });
    }
}

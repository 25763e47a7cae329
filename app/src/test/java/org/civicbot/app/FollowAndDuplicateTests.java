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
 * One incident per problem, and anyone may hear of it: a second report of the same category nearby is offered the
 * open incident (yes joins it, no files a new one marked for staff), and any contact follows an incident by its
 * code, and stops, on either channel. Everyone who follows hears of every public step.
 */
class FollowAndDuplicateTests extends FullStackTest {



    @BeforeEach
    void staffMember() {
        staff("queralt");
    }

    JsonNode post(String uri, Object body) {
        return okPost("queralt", uri, body);
    }

    JsonNode get(String uri) {
        return okGet("queralt", uri);
    }

    /** Reports a broken bench (street furniture) on WhatsApp, up to the photo question, with a pin. */
    void reportBenchOnWhatsApp(String citizen, double latitude, double longitude) {
        for (String text : List.of("hola", "1", "4", "El banc de la plaça té la fusta trencada")) {
            whatsapp(citizen, text);
        }
        String sid = Providers.nextMessageSid();
        Map<String, String> pin = Providers.whatsappText(citizen, sid, "");
        pin.remove("Body");
        pin.put("Latitude", String.valueOf(latitude));
        pin.put("Longitude", String.valueOf(longitude));
        postTwilio(pin).expectStatus().isOk().expectBody().returnResult();
        awaitProcessed("WHATSAPP:" + sid);
        whatsapp(citizen, "ometre");
    }

    @Test
    void aSecondReportNearbyJoinsTheFirstOrIsMarkedAsAPossibleDuplicate() throws Exception {
        String first = "whatsapp:+34600003001";
        reportBenchOnWhatsApp(first, 41.74000, 1.84000);
        Conversation firstChat = conversation(Channel.WHATSAPP, first);
        Incident bench = incidentsOf(firstChat.id()).get(0);

        // Fourteen metres away, on Telegram: the bot offers the open incident, and the citizen says it is the same.
        long chat = Providers.newChat();
        for (String text : List.of("hola", "1", "4", "Hi ha un banc trencat a la plaça")) {
            long update = Providers.nextUpdateId();
            telegram(update, Providers.telegramText(update, chat, text));
        }
        long pin = Providers.nextUpdateId();
        telegram(pin, Providers.telegramLocation(pin, chat, 41.74010, 1.84010));
        long skip = Providers.nextUpdateId();
        telegram(skip, Providers.telegramText(skip, chat, "ometre"));
        Conversation second = conversation(Channel.TELEGRAM, String.valueOf(chat));
        awaitOutboxSettled(second.id());
        List<JsonNode> sent = Providers.telegramMessagesTo(chat);
        JsonNode question = sent.get(sent.size() - 1);
        assertThat(question.path("text").asText()).startsWith("Sembla que ja ens n'han avisat: la incidència "
                + bench.code() + ", del ").endsWith("(rebuda, pendent de revisar).\nÉs el mateix problema?");
        assertThat(question.path("reply_markup").path("inline_keyboard").findValuesAsText("text"))
                .containsExactly("Sí, avisa'm de les novetats", "No, és un altre problema");
        long yes = Providers.nextUpdateId();
        telegram(yes, Providers.telegramButton(yes, chat, "incident/create|1"));

        awaitOutboxSettled(second.id());
        assertThat(incidentsOf(second.id())).isEmpty();
        assertThat(Providers.telegramTextsTo(chat)).anySatisfy(text -> assertThat(text)
                .startsWith("Gràcies! T'hem afegit a la incidència " + bench.code()));
        JsonNode joined = get("/api/v1/incidents/" + bench.code());
        assertThat(joined.get("reports").asInt()).isEqualTo(2);
        assertThat(joined.get("followers").asInt()).isEqualTo(2);

        // Another citizen nearby says theirs is another problem: a new incident, marked for staff.
        String third = "whatsapp:+34600003002";
        reportBenchOnWhatsApp(third, 41.74005, 1.84005);
        assertThat(Providers.twilioBodiesTo(third)).last().asString().contains(bench.code()).endsWith("2. No, és un altre problema");
        whatsapp(third, "2");
        List<Incident> thirds = incidentsOf(conversation(Channel.WHATSAPP, third).id());
        assertThat(thirds).singleElement().satisfies(i -> assertThat(i.possibleDuplicateOf()).isEqualTo(bench.code()));
        assertThat(get("/api/v1/incidents/" + thirds.get(0).code()).get("possibleDuplicateOf").asText())
                .isEqualTo(bench.code());

        // Closing the first tells both who reported it, and asks both how satisfied they are.
        int firstBefore = awaitOutboxSettled(firstChat.id()).size();
        int secondBefore = awaitOutboxSettled(second.id()).size();
        post("/api/v1/incidents/" + bench.code() + "/status", Map.of("status", "CLOSED", "outcome", "POSITIVE"));
        await(() -> awaitOutboxSettled(firstChat.id()).size() == firstBefore + 2
                && awaitOutboxSettled(second.id()).size() == secondBefore + 2);
        List<String> toFirst = Providers.twilioBodiesTo(first);
        assertThat(toFirst.get(toFirst.size() - 2))
                .startsWith("La teva incidència " + bench.code() + " s'ha tancat: resolta.");
        List<String> toSecond = Providers.telegramTextsTo(chat);
        assertThat(toSecond.get(toSecond.size() - 2))
                .startsWith("La teva incidència " + bench.code() + " s'ha tancat: resolta.");
        assertThat(toSecond.get(toSecond.size() - 1)).startsWith("Una última pregunta sobre la teva incidència "
                + bench.code());
    }

    @Test
    void anyoneFollowsAnIncidentByItsCodeAndStops() throws Exception {
        String reporter = "whatsapp:+34600003011";
        for (String text : List.of("hola", "1", "3", "La farola del carrer de la Mel no s'encén", "Carrer de la Mel 4",
                "ometre")) {
            whatsapp(reporter, text);
        }
        String code = incidentsOf(conversation(Channel.WHATSAPP, reporter).id()).get(0).code();

        // A neighbour on WhatsApp asks by code, is told how to follow it, and does.
        String neighbour = "whatsapp:+34600003012";
        whatsapp(neighbour, "hola");
        whatsapp(neighbour, code);
        Conversation neighbourChat = conversation(Channel.WHATSAPP, neighbour);
        awaitOutboxSettled(neighbourChat.id());
        assertThat(Providers.twilioBodiesTo(neighbour)).last().asString()
                .endsWith("Per rebre'n les novetats, escriu SEGUIR " + code + ".")
                .doesNotContain("farola").doesNotContain("carrer de la Mel");
        whatsapp(neighbour, "seguir " + code.toLowerCase(java.util.Locale.ROOT));
        awaitOutboxSettled(neighbourChat.id());
        assertThat(Providers.twilioBodiesTo(neighbour)).last().asString()
                .startsWith("Fet! Ara segueixes la incidència " + code);

        // Another on Telegram, in English.
        long chat = Providers.newChat();
        long hello = Providers.nextUpdateId();
        telegram(hello, Providers.telegramText(hello, chat, "Hello"));
        long follow = Providers.nextUpdateId();
        telegram(follow, Providers.telegramText(follow, chat, "follow " + code));
        Conversation telegramChat = conversation(Channel.TELEGRAM, String.valueOf(chat));
        awaitOutboxSettled(telegramChat.id());
        assertThat(Providers.telegramTextsTo(chat)).last().asString().startsWith("Done! You now follow incident " + code);
        assertThat(get("/api/v1/incidents/" + code).get("followers").asInt()).isEqualTo(3);

        // A public note reaches all three; after the neighbour stops following, the next one does not reach them.
        int neighbourBefore = awaitOutboxSettled(neighbourChat.id()).size();
        post("/api/v1/incidents/" + code + "/notes", Map.of("text", "Hem demanat la peça.", "public", true));
        await(() -> awaitOutboxSettled(neighbourChat.id()).size() == neighbourBefore + 1);
        assertThat(Providers.twilioBodiesTo(neighbour)).last().asString().contains("Hem demanat la peça.");
        await(() -> Providers.telegramTextsTo(chat).stream().anyMatch(t -> t.contains("Hem demanat la peça.")));

        whatsapp(neighbour, "deixar de seguir " + code);
        awaitOutboxSettled(neighbourChat.id());
        assertThat(Providers.twilioBodiesTo(neighbour)).last().asString()
                .isEqualTo("D'acord, ja no rebràs les novetats de la incidència " + code + ".");
        int afterStop = Providers.twilioBodiesTo(neighbour).size();
        post("/api/v1/incidents/" + code + "/notes", Map.of("text", "La canviem dimarts.", "public", true));
        await(() -> Providers.telegramTextsTo(chat).stream().anyMatch(t -> t.contains("La canviem dimarts.")));
        await(() -> Providers.twilioBodiesTo(reporter).stream().anyMatch(t -> t.contains("La canviem dimarts.")));
        assertThat(Providers.twilioBodiesTo(neighbour)).hasSize(afterStop);
        assertThat(get("/api/v1/incidents/" + code).get("followers").asInt()).isEqualTo(2);

        // And on Telegram, in English.
        long unfollow = Providers.nextUpdateId();
        telegram(unfollow, Providers.telegramText(unfollow, chat, "unfollow " + code));
        awaitOutboxSettled(telegramChat.id());
        assertThat(Providers.telegramTextsTo(chat)).last().asString()
                .isEqualTo("All right, you won't hear of incident " + code + " any more.");
        assertThat(get("/api/v1/incidents/" + code).get("followers").asInt()).isEqualTo(1);
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await().atMost(PATIENCE).until(condition);
    }
}

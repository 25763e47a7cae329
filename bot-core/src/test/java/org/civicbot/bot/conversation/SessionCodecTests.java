package org.civicbot.bot.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.civicbot.bot.TestStore;
import org.civicbot.bot.engine.Answer;
import org.civicbot.bot.engine.Session;
import org.civicbot.flows.Language;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionCodecTests {

    TestStore store = TestStore.start();
    int stored;

    @AfterEach
    void close() {
        store.close();
    }

    /** Writes the session, stores it, reads the stored document back: the way a conversation's session travels. */
    Session roundTrip(Session session) {
        Document written = SessionCodec.write(session);
        String id = "c" + (++stored);
        store.template().insert(new Document("_id", id).append("session", written), "sessions").block();
        Document stored = store.template().findById(id, Document.class, "sessions").block();
        return SessionCodec.read(stored.get("session", Document.class), Language.DEFAULT);
    }

    @Test
    void keepsEveryKindOfAnswer() {
        Map<String, Answer> vars = new LinkedHashMap<>();
        vars.put("description", new Answer.Text("La farola no s'encén"));
        vars.put("category", new Answer.Choice("street_lighting", "Enllumenat"));
        vars.put("pin", new Answer.Place("Plaça Major", 41.7234, 1.8265, Answer.Place.Origin.PIN));
        vars.put("typed", new Answer.Place("Carrer Major 12", null, null, Answer.Place.Origin.ADDRESS));
        vars.put("photo", new Answer.Photos(List.of("65f0c0ffee0000000000a001", "65f0c0ffee0000000000a002")));
        vars.put("nothing", new Answer.Photos(List.of()));
        vars.put("skipped", new Answer.Skipped());
        Session session = new Session("incident", "photo", Session.State.WAITING, vars, Language.ES, true, false, 2);

        assertThat(roundTrip(session)).isEqualTo(session);
    }

    @Test
    void keepsWhatATurnLeftInFlight() {
        Session.Proposal proposal = new Session.Proposal("location", "Carrer del Born 5",
                new Answer.Place("Carrer del Born, 5, Manresa", 41.7251, 1.8266, Answer.Place.Origin.ADDRESS), 1);
        Session session = new Session("incident", "location", Session.State.WAITING,
                Map.of("description", new Answer.Text("Un forat")), Language.CA, true, false, 1,
                List.of("main/appointment", "info"), "vull una cita", java.util.Set.of("photo"),
                new Session.LastReport("t1", java.time.Instant.parse("2026-11-30T10:15:30Z"), 2), proposal,
                new org.civicbot.bot.engine.Found.Incident("INC-2026-000007", "29/11/2026", "Carrer del Born, 5",
                        "IN_PROGRESS"), new Session.Survey("incident:INC-2026-000007", true));

        assertThat(roundTrip(session)).isEqualTo(session);
        assertThat(roundTrip(new Session("incident", "location", Session.State.WAITING, Map.of(), Language.CA, true,
                false, 0, List.of(), null, java.util.Set.of(), null,
                new Session.Proposal("location", "Born", null, 1), null, null))).extracting(Session::proposed)
                .isEqualTo(new Session.Proposal("location", "Born", null, 1));
    }

    @Test
    void keepsWhatItKnowsOfTheContact() {
        Session session = new Session(null, null, Session.State.IDLE, Map.of(), Language.EN, true, true, 0);

        assertThat(roundTrip(session)).isEqualTo(session);
    }

    @Test
    void keepsAHandedOffSession() {
        Session session = new Session("main", "agent", Session.State.HANDED_OFF, Map.of(), Language.CA, true, false, 0);

        assertThat(roundTrip(session)).isEqualTo(session);
    }

    @Test
    void readsNoDocumentAsAFreshSessionInTheFallbackLanguage() {
        assertThat(SessionCodec.read(null, Language.ES)).isEqualTo(Session.fresh(Language.ES));
    }

    @Test
    void readsAnUnknownLanguageAsTheFallback() {
        Document written = SessionCodec.write(Session.fresh(Language.EN)).append("language", "xx");

        assertThat(SessionCodec.read(written, Language.CA).language()).isEqualTo(Language.CA);
    }
}

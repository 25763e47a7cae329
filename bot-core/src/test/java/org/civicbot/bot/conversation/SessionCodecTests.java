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

    @AfterEach
    void close() {
        store.close();
    }

    /** Writes the session, stores it, reads the stored document back: the way a conversation's session travels. */
    Session roundTrip(Session session) {
        Document written = SessionCodec.write(session);
        store.template().insert(new Document("_id", "c1").append("session", written), "sessions").block();
        Document stored = store.template().findById("c1", Document.class, "sessions").block();
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

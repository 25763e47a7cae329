package org.civicbot.bot.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.civicbot.flows.Commands;
import org.civicbot.flows.Flow;
import org.civicbot.flows.FlowBundle;
import org.civicbot.flows.Flows;
import org.civicbot.flows.Language;
import org.civicbot.flows.LocalizedText;
import org.civicbot.flows.Node;
import org.civicbot.flows.Position;
import org.junit.jupiter.api.Test;

class EngineTests {

    static final TurnContext CONTEXT = new TurnContext("turn-1", Instant.parse("2026-11-22T10:00:00Z"));
    static final Engine DEFAULT = new Engine(Flows.load(Flows.defaults()));

    @Test
    void givesTheSameTurnForTheSameSessionInputAndContext() {
        Session session = Session.fresh(Language.CA);
        Turn first = resume(DEFAULT, session, new Input.Text("hola"), CONTEXT);
        Turn second = resume(DEFAULT, session, new Input.Text("hola"), CONTEXT);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void fillsTheTownsDetailsIntoTheDefaultFlowsTexts() {
        Engine town = new Engine(Flows.load(Flows.defaults()), Engine.DEFAULT_MAX_PHOTOS, Area.EVERYWHERE,
                Map.of("privacy", "https://www.manlleu.cat/privacitat", "website", "https://www.manlleu.cat"));
        Turn hello = resume(town, Session.fresh(Language.CA), new Input.Text("hola"), CONTEXT);
        assertThat(hello.eventsOf(Event.MessageCreated.class).get(0).text())
                .contains("Tens més informació a https://www.manlleu.cat/privacitat");
        assertThat(resume(DEFAULT, Session.fresh(Language.CA), new Input.Text("hola"), CONTEXT)
                .eventsOf(Event.MessageCreated.class).get(0).text()).as("unset: left as written")
                .contains("Tens més informació a {town.privacy}");
    }

    @Test
    void derivesIncidentRefsFromTheTurnId() {
        Session session = Session.fresh(Language.CA);
        for (String text : List.of("hola", "1", "3", "La farola no s'encén des d'ahir", "Carrer Major 12")) {
            session = resume(DEFAULT, session, new Input.Text(text), CONTEXT).session();
        }
        Turn report = resume(DEFAULT, session, new Input.Text("ometre"), new TurnContext("abc", CONTEXT.now()));
        assertThat(report.eventsOf(Event.IncidentReported.class)).extracting(Event.IncidentReported::ref)
                .containsExactly("abc-incident-1");
    }

    @Test
    void forgetsWhatAnErrandCollectedOnceBackAtTheMainMenu() {
        Session session = Session.fresh(Language.CA);
        for (String text : List.of("hola", "1", "3", "La farola no s'encén des d'ahir", "Carrer Major 12", "ometre")) {
            session = resume(DEFAULT, session, new Input.Text(text), CONTEXT).session();
        }
        assertThat(session.nodeId()).isEqualTo("main_menu");
        assertThat(session.vars()).isEmpty();
    }

    @Test
    void handsBackToTheBotAtANodeStaffPick() {
        Turn turn = DEFAULT.jumpTo(Session.fresh(Language.ES), Optional.of("incident/address"), CONTEXT);
        assertThat(turn.session().state()).isEqualTo(Session.State.WAITING);
        assertThat(turn.session().flowId() + "/" + turn.session().nodeId()).isEqualTo("incident/address");
        assertThat(turn.eventsOf(Event.MessageCreated.class)).hasSize(1);
        assertThat(DEFAULT.hasNode("incident/address")).isTrue();
        assertThat(DEFAULT.hasNode("incident/nowhere")).isFalse();
        assertThatThrownBy(() -> DEFAULT.jumpTo(Session.fresh(Language.ES), Optional.of("nowhere/x"), CONTEXT))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A publish removed the question a conversation stood on: the citizen's next message gets the flows' apology and
     * the main menu, not an error and not a guess.
     */
    @Test
    void aConversationOnARemovedQuestionStartsAgainWithAnApology() {
        Session session = resume(DEFAULT, Session.fresh(Language.CA), new Input.Text("hola"), CONTEXT).session();
        session = resume(DEFAULT, session, new Input.Text("1"), CONTEXT).session();
        assertThat(session.state()).isEqualTo(Session.State.WAITING);
        Session onRemoved = new Session(session.flowId(), "a_question_a_publish_removed", session.state(),
                session.vars(), session.language(), session.privacyNoticeShown(), session.optedOut(), session.retries(),
                session.offered(), session.offeredFor(), session.ahead(), session.lastReport(), session.proposed(),
                session.duplicate(), session.survey());
        Turn turn = resume(DEFAULT, onRemoved, new Input.Text("3"), CONTEXT);
        List<String> said = turn.eventsOf(Event.MessageCreated.class).stream().map(Event.MessageCreated::text)
                .toList();
        assertThat(said.get(0)).startsWith("Perdona, hem canviat aquest servei");
        assertThat(said.get(1)).startsWith("Hola! Sóc l'assistent");
        assertThat(turn.session().nodeId()).isEqualTo("main_menu");
        assertThat(turn.eventsOf(Event.PrivacyNoticeShown.class)).as("the notice is not shown twice").isEmpty();
    }

    @Test
    void keepsTheContactsLanguageAcrossTurns() {
        Session session = Session.fresh(Language.EN);
        Turn turn = resume(DEFAULT, session, new Input.Text("hi"), CONTEXT);
        assertThat(turn.session().language()).isEqualTo(Language.EN);
        assertThat(turn.eventsOf(Event.MessageCreated.class).get(0).text()).startsWith("Welcome");
    }

    @Test
    void takesAButtonOfTheCurrentMenuAndIgnoresOneOfAnOlderMenu() {
        Session atMenu = resume(DEFAULT, Session.fresh(Language.CA), new Input.Text("hola"), CONTEXT).session();
        Turn first = resume(DEFAULT, atMenu, new Input.Text("hola"), CONTEXT);
        assertThat(first.eventsOf(Event.MessageCreated.class)).last().extracting(Event.MessageCreated::menu)
                .isEqualTo("main/main_menu");
        Session atCategories = resume(DEFAULT, atMenu, new Input.Choice("main/main_menu|1"), CONTEXT).session();
        assertThat(atCategories.nodeId()).isEqualTo("category");

        Turn stale = resume(DEFAULT, atCategories, new Input.Choice("main/main_menu|3"), CONTEXT);
        assertThat(stale.session().nodeId()).isEqualTo("category");
        assertThat(stale.session().retries()).isEqualTo(1);
        Turn current = resume(DEFAULT, atCategories, new Input.Choice("incident/category|3"), CONTEXT);
        assertThat(current.session().var("category")).hasValue(new Answer.Choice("street_lighting", "Enllumenat públic"));
    }

    /** The validator refuses such flows; the engine still stops if one gets through. */
    @Test
    void stopsATurnThatWouldNeverWaitForAnAnswer() {
        Position at = Position.UNKNOWN;
        LocalizedText text = LocalizedText.of("a", "a", "a");
        // The commands of the test-only flows: what matters here is a flow that never waits.
        Commands commands = EngineCaseTests.flows("kinds").commands();
        Flow flow = new Flow("main", 1, "a", Optional.empty(), List.of(
                new Node.Message("a", at, text, new Node.Target("b", at)),
                new Node.Message("b", at, text, new Node.Target("a", at))), Optional.of(commands), at);
        Engine engine = new Engine(FlowBundle.of(List.of(flow)));

        Turn turn = resume(engine, Session.fresh(Language.CA), new Input.Text("x"), CONTEXT);

        assertThat(turn.events()).hasSize(Engine.MAX_STEPS_PER_TURN);
        assertThat(turn.session().state()).isEqualTo(Session.State.IDLE);
    }

    /** Editors' examples take effect when the flows are loaded again (a publish builds a new engine). */
    @Test
    void aPhraseAnEditorAddsRoutesToItsServiceOnceTheFlowsAreLoadedAgain() {
        Session atMenu = resume(DEFAULT, Session.fresh(Language.CA), new Input.Text("hola"), CONTEXT).session();
        String sentence = "xocolatada";
        assertThat(resume(DEFAULT, atMenu, new Input.Text(sentence), CONTEXT).eventsOf(Event.Understood.class))
                .noneMatch(u -> u.targets().contains("info/agenda_menu"));

        List<org.civicbot.flows.FlowSource> edited = Flows.defaults().stream()
                .map(f -> !f.fileName().equals("info.yaml") ? f : new org.civicbot.flows.FlowSource(f.fileName(),
                        f.yaml().replace("ca: [agenda, concert,", "ca: [xocolatada, agenda, concert,")))
                .toList();
        Engine reloaded = new Engine(Flows.load(edited));

        Turn turn = resume(reloaded, atMenu, new Input.Text(sentence), CONTEXT);
        assertThat(turn.eventsOf(Event.Understood.class)).extracting(Event.Understood::targets)
                .containsExactly(List.of("info/agenda_menu"));
        assertThat(turn.session().nodeId()).isEqualTo("agenda_menu");
    }

    /** A photo that comes long after the report is not part of its batch: it offers a new report. */
    @Test
    void aPhotoLongAfterAReportStartsAnotherOne() {
        Session session = Session.fresh(Language.CA);
        Instant at = Instant.parse("2026-11-22T10:00:00Z");
        for (String text : List.of("hola", "1", "3", "La farola del número 12 no s'encén", "Carrer Major, 12")) {
            session = resume(DEFAULT, session, new Input.Text(text), new TurnContext("t", at)).session();
        }
        Turn reported = resume(DEFAULT, session, new Input.Photos(List.of("p1"), null), new TurnContext("t6", at));
        assertThat(reported.eventsOf(Event.IncidentReported.class)).singleElement()
                .extracting(Event.IncidentReported::photoIds).isEqualTo(List.of("p1"));

        Turn soon = resume(DEFAULT, reported.session(), new Input.Photos(List.of("p2"), null),
                new TurnContext("t7", at.plus(Engine.PHOTO_BATCH_WINDOW)));
        assertThat(soon.eventsOf(Event.PhotosAdded.class)).singleElement()
                .isEqualTo(new Event.PhotosAdded("t6-incident-1", List.of("p2")));

        Turn later = resume(DEFAULT, soon.session(), new Input.Photos(List.of("p3"), null),
                new TurnContext("t8", at.plus(Engine.PHOTO_BATCH_WINDOW).plusSeconds(1)));
        assertThat(later.eventsOf(Event.PhotosAdded.class)).isEmpty();
        assertThat(later.session().nodeId()).isEqualTo("category");
        assertThat(later.session().var("photo")).hasValue(new Answer.Photos(List.of("p3")));
    }

    /** A pin outside the municipality is refused and asked again; a pin inside is taken. */
    @Test
    void refusesALocationPinOutsideTheMunicipality() {
        Engine engine = new Engine(EngineCaseTests.flows("kinds"), Engine.DEFAULT_MAX_PHOTOS,
                new Area.Box(41.69, 1.78, 41.76, 1.87));
        Session session = Session.fresh(Language.CA);
        for (String text : List.of("hola", "1", "1", "El fanal no s'encén")) {
            session = resume(engine, session, new Input.Text(text), CONTEXT).session();
        }
        assertThat(session.nodeId()).isEqualTo("where");

        Turn outside = resume(engine, session, new Input.Location(41.3917, 2.1649, "Barcelona"), CONTEXT);
        assertThat(outside.eventsOf(Event.MessageCreated.class)).extracting(Event.MessageCreated::text)
                .containsExactly("Fora.", "On?");
        assertThat(outside.session().nodeId()).isEqualTo("where");
        assertThat(outside.session().retries()).isZero();
        assertThat(outside.session().var("where")).isEmpty();

        Turn inside = resume(engine, outside.session(), new Input.Location(41.7251, 1.8266, null), CONTEXT);
        assertThat(inside.session().nodeId()).isEqualTo("pic");
    }

    /** A turn as the host runs it when it finds nothing for what the engine asks to look up. */
    static Turn resume(Engine engine, Session session, Input input, TurnContext context) {
        Turn turn = engine.resume(session, input, context);
        while (turn.needs().isPresent()) {
            context = context.with(turn.needs().get(), Optional.empty());
            turn = engine.resume(session, input, context);
        }
        return turn;
    }
}

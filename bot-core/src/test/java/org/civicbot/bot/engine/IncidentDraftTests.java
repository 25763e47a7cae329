package org.civicbot.bot.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.civicbot.flows.FlowBundle;
import org.civicbot.flows.Language;
import org.junit.jupiter.api.Test;

/** The draft a handed-off errand leaves for staff, read with the incident node's variables. */
class IncidentDraftTests {

    final FlowBundle flows = EngineCaseTests.flows("kinds");
    final Engine engine = new Engine(flows);

    Session after(Input... inputs) {
        Session session = Session.fresh(Language.CA);
        int n = 0;
        for (Input input : inputs) {
            session = engine.resume(session, input, new TurnContext("t" + (++n), Instant.EPOCH.plusSeconds(n)))
                    .session();
        }
        return session;
    }

    @Test
    void aReportHandedToAPersonAtThePhotoKeepsWhatTheCitizenToldTheBot() {
        Session session = after(new Input.Text("hola"), new Input.Text("1"), new Input.Text("2"),
                new Input.Text("Hi ha un forat a la vorera"), new Input.Location(41.7251, 1.8266, null),
                new Input.Text("zzz"), new Input.Text("qqq"), new Input.Text("xxx"));

        assertThat(session.state()).isEqualTo(Session.State.HANDED_OFF);
        assertThat(IncidentDraft.of(flows, session)).hasValue(new IncidentDraft("hole", "Hi ha un forat a la vorera",
                new Answer.Place(null, 41.7251, 1.8266, Answer.Place.Origin.PIN), List.of()));
    }

    @Test
    void nothingToldIsNoDraft() {
        assertThat(IncidentDraft.of(flows, after(new Input.Text("hola")))).isEmpty();
        assertThat(IncidentDraft.of(flows, after(new Input.Text("hola"), new Input.Text("persona")))).isEmpty();
    }

    @Test
    void theCategoriesAreTheOptionsOfTheMenuThatStoresTheIncidentsCategory() {
        assertThat(IncidentDraft.categories(flows)).containsOnlyKeys("lamp", "hole");
        assertThat(IncidentDraft.categories(flows).get("hole").in(Language.CA)).isEqualTo("Forat");
    }
}

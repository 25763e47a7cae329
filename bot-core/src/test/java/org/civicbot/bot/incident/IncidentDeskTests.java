package org.civicbot.bot.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.civicbot.bot.Channel;
import org.civicbot.bot.MutableClock;
import org.civicbot.bot.TestStore;
import org.civicbot.bot.conversation.CitizenNotices;
import org.civicbot.bot.conversation.ConversationEvents;
import org.civicbot.bot.conversation.ConversationIds;
import org.civicbot.bot.conversation.ConversationStore;
import org.civicbot.bot.outbox.Outbox;
import org.civicbot.bot.outbox.OutboxEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class IncidentDeskTests {

    static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
    static final String ADDRESS = "whatsapp:+34600000010";
    static final String CONVERSATION = new ConversationIds(new byte[32]).of(Channel.WHATSAPP, ADDRESS);

    TestStore store = TestStore.start();
    MutableClock clock = new MutableClock(START);
    ConversationStore conversations = new ConversationStore(store.template());
    static final org.civicbot.flows.FlowBundle FLOWS = org.civicbot.flows.Flows.load(org.civicbot.flows.Flows.defaults());
    IncidentDesk desk = new IncidentDesk(store.template(), new CitizenNotices(store.template(), conversations,
            new ConversationEvents(store.template(), new org.civicbot.bot.live.LiveFeed(clock)),
            new Outbox(store.template(), clock, places -> {}), () -> FLOWS,
            new org.civicbot.bot.conversation.OutboundPolicy(org.civicbot.bot.conversation.OutboundPolicy.Templates.of(
                    java.util.Map.of("update", java.util.Map.of("ca", "HX0123456789abcdef0123456789abcdef")))),
            clock),
            new PublicPages(store.template(), "https://civicbot.example.cat/"), clock);
    String code;

    @BeforeEach
    void incident() {
        store.conversation(CONVERSATION, Channel.WHATSAPP, ADDRESS, "Joan", START);
        Incidents incidents = new Incidents(store.template(), new IncidentCodes(store.template(), ZoneId.of("UTC")),
                Geocoder.none(), clock);
        code = incidents.report(new Incidents.Report("ref-1", "street_lighting", "Fanal apagat", null, List.of(),
                Source.WHATSAPP, "Joan", Channel.WHATSAPP, CONVERSATION, null, null,
                new Incident.TimelineEntry(START, "CREATED", "citizen", "Reported"))).block().code();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void movesAnIncidentAlongAndWritesWhoDidWhatOnItsTimeline() {
        desk.changeStatus(code, IncidentStatus.IN_PROGRESS, null, "Avisada la brigada", "marta").block();
        Incident closed = desk.changeStatus(code, IncidentStatus.CLOSED, Outcome.POSITIVE, null, "marta").block();

        assertThat(closed.status()).isEqualTo(IncidentStatus.CLOSED);
        assertThat(closed.outcome()).isEqualTo("POSITIVE");
        assertThat(closed.timeline()).extracting(Incident.TimelineEntry::type, Incident.TimelineEntry::actor,
                        Incident.TimelineEntry::text)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("CREATED", "citizen", "Reported"),
                        org.assertj.core.groups.Tuple.tuple("STATUS", "marta", "NEW -> IN_PROGRESS: Avisada la brigada"),
                        org.assertj.core.groups.Tuple.tuple("STATUS", "marta", "IN_PROGRESS -> CLOSED (POSITIVE)"));
    }

    @Test
    void refusesAMoveThatDoesNotFitAndChangesNothing() {
        StepVerifier.create(desk.changeStatus(code, IncidentStatus.CLOSED, null, null, "marta"))
                .expectErrorMessage("closing an incident needs an outcome: POSITIVE, NEGATIVE, NOT_OUR_COMPETENCE,"
                        + " SUSPENDED or IMPROPER")
                .verify();
        StepVerifier.create(desk.changeStatus(code, IncidentStatus.NEW, null, null, "marta"))
                .expectErrorMessage("incident " + code + " is NEW and cannot move to NEW")
                .verify();
        StepVerifier.create(desk.changeStatus("INC-1999-000001", IncidentStatus.IN_PROGRESS, null, null, "marta"))
                .expectError(IncidentDesk.NotFound.class)
                .verify();
        Incident unchanged = store.template().findOne(query(where("code").is(code)), Incident.class).block();
        assertThat(unchanged.status()).isEqualTo(IncidentStatus.NEW);
        assertThat(unchanged.timeline()).hasSize(1);
    }

    @Test
    void tellsTheCitizenHowItEndedInTheirLanguage() {
        desk.changeStatus(code, IncidentStatus.CLOSED, Outcome.NOT_OUR_COMPETENCE, "És de la Diputació.", "marta")
                .block();

        assertThat(sent()).containsExactly("La teva incidència " + code
                + " s'ha tancat: no és competència de l'Ajuntament. És de la Diputació.\n" + page());
    }

    @Test
    void tellsTheCitizenEveryPublicStepAndNothingStaffKeepToThemselves() {
        desk.changeStatus(code, IncidentStatus.IN_PROGRESS, null, "Avisada la brigada", "marta").block();
        desk.assign(code, "pere", null, "marta").block();
        desk.assign(code, null, "public_works", "marta").block();
        desk.assign(code, null, "public_works", "marta").block();
        desk.addNote(code, "Cal una grua", false, "pere").block();
        desk.addNote(code, "Hem demanat la peça; la canviarem dimarts.", true, "pere").block();
        desk.changeStatus(code, IncidentStatus.CLOSED, Outcome.POSITIVE, null, "pere").block();

        String page = page();
        assertThat(sent()).containsExactly(
                "L'equip municipal ja treballa en la teva incidència " + code + ". T'avisarem quan hi hagi novetats.\n"
                        + "Segueix-la aquí: " + page,
                "Hem passat la teva incidència " + code + " al servei que se n'encarrega.\nSegueix-la aquí: " + page,
                "Novetats de la teva incidència " + code + ": Hem demanat la peça; la canviarem dimarts.\n"
                        + "Segueix-la aquí: " + page,
                "La teva incidència " + code + " s'ha tancat: resolta. Gràcies per avisar-nos!\n" + page);
        Incident closed = store.template().findOne(query(where("code").is(code)), Incident.class).block();
        assertThat(closed.timeline()).extracting(Incident.TimelineEntry::type, Incident.TimelineEntry::isPublic)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("CREATED", false),
                        org.assertj.core.groups.Tuple.tuple("STATUS", true),
                        org.assertj.core.groups.Tuple.tuple("ASSIGNMENT", false),
                        org.assertj.core.groups.Tuple.tuple("ASSIGNMENT", true),
                        org.assertj.core.groups.Tuple.tuple("ASSIGNMENT", false),
                        org.assertj.core.groups.Tuple.tuple("NOTE", false),
                        org.assertj.core.groups.Tuple.tuple("NOTE", true),
                        org.assertj.core.groups.Tuple.tuple("STATUS", true));
        assertThat(closed.timeline().get(1).note()).as("a note on a move other than closing stays with staff").isNull();
    }

    private List<String> sent() {
        return store.template().find(query(where("conversationId").is(CONVERSATION)), OutboxEntry.class)
                .map(OutboxEntry::text).collectList().block();
    }

    private String page() {
        Incident incident = store.template().findOne(query(where("code").is(code)), Incident.class).block();
        assertThat(incident.publicToken()).matches("[A-Za-z0-9_-]{22}");
        return "https://civicbot.example.cat/s/" + incident.publicToken();
    }

    @Test
    void assignsAndNotesWithAnAuditLine() {
        desk.assign(code, "pere", "public_works", "marta").block();
        Incident noted = desk.addNote(code, "Cal una grua", "pere").block();

        assertThat(noted.assignee()).isEqualTo("pere");
        assertThat(noted.department()).isEqualTo("public_works");
        assertThat(noted.timeline()).extracting(Incident.TimelineEntry::text).containsSubsequence(
                "assigned to staff pere department public_works", "Cal una grua");
        StepVerifier.create(desk.addNote(code, "   ", "pere")).expectError(IncidentDesk.Refused.class).verify();
    }

    /**
     * Outside WhatsApp's 24-hour window the approved template goes, with the code as its variable, and the full
     * text waits on the conversation for the citizen's next message.
     */
    @Test
    void sendsTheUpdateTemplateOutsideWhatsAppsWindowAndHoldsTheText() {
        clock.advance(java.time.Duration.ofHours(25));

        desk.changeStatus(code, IncidentStatus.IN_PROGRESS, null, null, "marta").block();

        List<OutboxEntry> sent = store.template().find(query(where("conversationId").is(CONVERSATION)),
                OutboxEntry.class).collectList().block();
        assertThat(sent).singleElement().satisfies(entry -> {
            assertThat(entry.contentSid()).isEqualTo("HX0123456789abcdef0123456789abcdef");
            assertThat(entry.contentVariables()).isEqualTo(java.util.Map.of("1", code));
            assertThat(entry.toMessage().contentSid()).isEqualTo(entry.contentSid());
        });
        org.civicbot.bot.conversation.Conversation conversation = store.template().findById(CONVERSATION,
                org.civicbot.bot.conversation.Conversation.class).block();
        assertThat(conversation.heldMessages()).singleElement().satisfies(held -> {
            assertThat(held.text()).startsWith("L'equip municipal ja treballa en la teva incidència " + code);
            assertThat(held.release()).isEqualTo(org.civicbot.bot.conversation.Conversation.Release.CITIZEN_WRITES);
        });
    }
}

package org.civicbot.bot.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.civicbot.bot.Channel;
import org.civicbot.bot.MutableClock;
import org.civicbot.bot.TestStore;
import org.civicbot.bot.conversation.CitizenNotices;
import org.civicbot.bot.conversation.ConversationEvents;
import org.civicbot.bot.conversation.ConversationIds;
import org.civicbot.bot.conversation.ConversationStore;
import org.civicbot.bot.conversation.OutboundPolicy;
import org.civicbot.bot.outbox.Outbox;
import org.civicbot.bot.outbox.OutboxEntry;
import org.civicbot.flows.FlowBundle;
import org.civicbot.flows.Flows;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What staff do with an incident after intake: due times from the category's service time and overdue ones,
 * audited corrections, escalation and cancelling as improper with reasons, and merging duplicates (and undoing it),
 * with every citizen concerned told.
 */
class IncidentWorkflowTests {

    static final Instant START = Instant.parse("2026-11-23T09:00:00Z");
    static final FlowBundle FLOWS = Flows.load(Flows.defaults());
    static final String FIRST = new ConversationIds(new byte[32]).of(Channel.TELEGRAM, "5001");
    static final String SECOND = new ConversationIds(new byte[32]).of(Channel.TELEGRAM, "5002");

    TestStore store = TestStore.start();
    MutableClock clock = new MutableClock(START);
    Categories categories = new Categories(store.template());
    ConversationStore conversations = new ConversationStore(store.template());
    IncidentDesk desk = new IncidentDesk(store.template(), new CitizenNotices(store.template(), conversations,
            new ConversationEvents(store.template(), new org.civicbot.bot.live.LiveFeed(clock)),
            new Outbox(store.template(), clock, places -> {}), () -> FLOWS, new OutboundPolicy(OutboundPolicy.Templates.of(
                    Map.of())), clock),
            new PublicPages(store.template(), "https://civicbot.example.cat/"), clock, null, categories);
    Incidents incidents = new Incidents(store.template(), new IncidentCodes(store.template(), ZoneId.of("UTC")),
            Geocoder.none(), clock, Map.of(), categories);

    @BeforeEach
    void townHall() {
        store.conversation(FIRST, Channel.TELEGRAM, "5001", "Joan", START);
        store.conversation(SECOND, Channel.TELEGRAM, "5002", "Maria", START);
        categories.seed(List.of(
                new Category("street_lighting", null, Map.of("ca", "Enllumenat", "es", "Alumbrado", "en", "Lighting"),
                        7, 10),
                new Category("roads_pavements", null, Map.of("ca", "Calçades", "es", "Calzadas", "en", "Roads"), 20,
                        20),
                new Category("potholes", "roads_pavements", Map.of("ca", "Clots", "es", "Baches", "en", "Potholes"),
                        null, 10))).block();
    }

    @AfterEach
    void close() {
        store.close();
    }

    Incident report(String ref, String conversation, String category) {
        return incidents.report(new Incidents.Report(ref, category, "El fanal no s'encén", new Incident.Location(
                "Carrer Major 12", 41.72, 1.82, "PIN"), List.of(), Source.TELEGRAM, "Joan", Channel.TELEGRAM,
                conversation, null, null, new Incident.TimelineEntry(clock.instant(), "CREATED", "citizen",
                        "Reported on TELEGRAM"))).block();
    }

    List<String> textsTo(String conversation) {
        return store.template().find(query(where("conversationId").is(conversation)), OutboxEntry.class)
                .map(OutboxEntry::text).collectList().block();
    }

    @Test
    void aNewIncidentIsDueAfterItsCategorysServiceTimeAndOverdueOnceThatPassesWhileOpen() {
        Incident incident = report("due-1", FIRST, "street_lighting");
        assertThat(incident.dueAt()).isEqualTo(START.plus(Duration.ofDays(7)));
        assertThat(incident.overdue(clock.instant())).isFalse();

        clock.advance(Duration.ofDays(7).plusMinutes(1));
        assertThat(incidents.byCode(incident.code()).block().overdue(clock.instant())).isTrue();

        Incident closed = desk.changeStatus(incident.code(), IncidentStatus.CLOSED, Outcome.POSITIVE, null, "marta")
                .block();
        assertThat(closed.overdue(clock.instant())).isFalse();
    }

    @Test
    void aSubcategoryWithoutItsOwnServiceTimeTakesItsParentsAndOneWithNoneIsNeverDue() {
        assertThat(report("due-2", FIRST, "potholes").dueAt()).isEqualTo(START.plus(Duration.ofDays(20)));
        assertThat(report("due-3", FIRST, "not_a_category").dueAt()).isNull();
    }

    @Test
    void correctionsAreAuditedWithWhatWasThereBeforeAndTheNewCategorySetsTheDueTime() {
        Incident incident = report("edit-1", FIRST, "street_lighting");
        clock.advance(Duration.ofHours(2));
        Incident edited = desk.edit(incident.code(), new IncidentDesk.Edit("potholes", "  Un clot a la vorera  ",
                new Incident.Location("Carrer Major 14", 41.7201, 1.8202, "PIN"), Priority.HIGH), "marta").block();

        assertThat(edited.category()).isEqualTo("potholes");
        assertThat(edited.description()).isEqualTo("Un clot a la vorera");
        assertThat(edited.urgency()).isEqualTo(Priority.HIGH);
        assertThat(edited.dueAt()).isEqualTo(START.plus(Duration.ofDays(20)));
        assertThat(edited.timeline()).filteredOn(e -> e.type().equals("EDIT"))
                .extracting(Incident.TimelineEntry::actor, Incident.TimelineEntry::field,
                        Incident.TimelineEntry::from, Incident.TimelineEntry::to)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("marta", "category", "street_lighting", "potholes"),
                        org.assertj.core.groups.Tuple.tuple("marta", "description", "El fanal no s'encén",
                                "Un clot a la vorera"),
                        org.assertj.core.groups.Tuple.tuple("marta", "location", "Carrer Major 12 (41.720000, 1.820000)",
                                "Carrer Major 14 (41.720100, 1.820200)"),
                        org.assertj.core.groups.Tuple.tuple("marta", "priority", "NORMAL", "HIGH"));

        Incident again = desk.edit(incident.code(), new IncidentDesk.Edit("potholes", "Un clot a la vorera", null,
                Priority.HIGH), "marta").block();
        assertThat(again.timeline()).hasSameSizeAs(edited.timeline());
        assertThat(textsTo(FIRST)).isEmpty();
    }

    @Test
    void aCorrectionThatCannotBeTakenIsRefusedAndChangesNothing() {
        Incident incident = report("edit-2", FIRST, "street_lighting");
        assertThatThrownBy(() -> desk.edit(incident.code(), new IncidentDesk.Edit("no_such", null, null, null),
                "marta").block()).isInstanceOf(IncidentDesk.Invalid.class).hasMessageContaining("no category no_such");
        assertThatThrownBy(() -> desk.edit(incident.code(), new IncidentDesk.Edit(null, "   ", null, null),
                "marta").block()).isInstanceOf(IncidentDesk.Invalid.class);
        assertThatThrownBy(() -> desk.edit(incident.code(), new IncidentDesk.Edit(null, null,
                new Incident.Location(null, 95.0, 1.0, "PIN"), null), "marta").block())
                .isInstanceOf(IncidentDesk.Invalid.class).hasMessageContaining("latitude");
        assertThat(incidents.byCode(incident.code()).block()).isEqualTo(incident);
    }

    @Test
    void escalatingNeedsAReasonAndPassingToAnotherDepartmentTellsTheCitizen() {
        Incident incident = report("esc-1", FIRST, "street_lighting");
        assertThatThrownBy(() -> desk.escalate(incident.code(), "public_works", null, " ", "marta").block())
                .isInstanceOf(IncidentDesk.Invalid.class).hasMessageContaining("reason");

        Incident escalated = desk.escalate(incident.code(), "public_works", "cap", "Fa tres setmanes i ningú hi va",
                "marta").block();
        assertThat(escalated.department()).isEqualTo("public_works");
        assertThat(escalated.assignee()).isEqualTo("cap");
        Incident.TimelineEntry line = escalated.timeline().get(escalated.timeline().size() - 1);
        assertThat(line.type()).isEqualTo("ESCALATED");
        assertThat(line.text()).isEqualTo("escalated to staff cap department public_works: Fa tres setmanes i ningú hi va");
        assertThat(line.isPublic()).isTrue();
        assertThat(textsTo(FIRST)).singleElement().asString().startsWith("Hem passat la teva incidència "
                + incident.code() + " al servei que se n'encarrega.").doesNotContain("setmanes");

        desk.changeStatus(incident.code(), IncidentStatus.CLOSED, Outcome.POSITIVE, null, "marta").block();
        assertThatThrownBy(() -> desk.escalate(incident.code(), "parks", null, "Un altre motiu", "marta").block())
                .isInstanceOf(IncidentDesk.Refused.class).hasMessageContaining("closed");
    }

    @Test
    void cancellingAsImproperNeedsTheReasonWhichTheCitizenIsTold() {
        Incident incident = report("imp-1", FIRST, "street_lighting");
        assertThatThrownBy(() -> desk.changeStatus(incident.code(), IncidentStatus.CLOSED, Outcome.IMPROPER, null,
                "marta").block()).isInstanceOf(IncidentDesk.Invalid.class).hasMessageContaining("reason");
        assertThatThrownBy(() -> desk.changeStatus(incident.code(), IncidentStatus.CLOSED, Outcome.DUPLICATE, null,
                "marta").block()).isInstanceOf(IncidentDesk.Invalid.class).hasMessageContaining("merge");

        Incident cancelled = desk.changeStatus(incident.code(), IncidentStatus.CLOSED, Outcome.IMPROPER,
                "El missatge no descriu cap problema de la via pública.", "marta").block();
        assertThat(cancelled.outcome()).isEqualTo("IMPROPER");
        assertThat(textsTo(FIRST)).singleElement().asString().isEqualTo("La teva incidència " + incident.code()
                + " s'ha tancat: l'hem anul·lada perquè no és una petició que puguem tramitar. El missatge no descriu"
                + " cap problema de la via pública.\n" + PublicPagesUrl.of(store, incident));
    }

    @Test
    void mergingClosesTheDuplicateTellsItsReportersWhoFollowTheOtherAndUndoingRestoresBoth() {
        Incident target = report("merge-1", FIRST, "street_lighting");
        Incident duplicate = report("merge-2", SECOND, "street_lighting");
        desk.changeStatus(duplicate.code(), IncidentStatus.IN_PROGRESS, null, null, "marta").block();
        int before = textsTo(SECOND).size();

        Incident merged = desk.merge(duplicate.code(), target.code(), "marta").block();
        assertThat(merged.status()).isEqualTo(IncidentStatus.CLOSED);
        assertThat(merged.outcome()).isEqualTo("DUPLICATE");
        assertThat(merged.mergedInto()).isEqualTo(target.code());
        Incident into = incidents.byCode(target.code()).block();
        assertThat(into.followers()).containsExactly(SECOND);
        assertThat(into.mergedFrom()).containsExactly(duplicate.code());
        assertThat(into.timeline().get(into.timeline().size() - 1).text())
                .isEqualTo("merged " + duplicate.code() + " into this one");
        List<String> told = textsTo(SECOND);
        assertThat(told).hasSize(before + 1);
        assertThat(told.get(told.size() - 1)).isEqualTo("La teva incidència " + duplicate.code()
                + " és el mateix problema que la " + target.code() + ", que ja estem tractant. T'avisarem de com avança."
                + "\nSegueix-la aquí: " + PublicPagesUrl.of(store, target));

        // Asked again (a retry): nothing more happens.
        desk.merge(duplicate.code(), target.code(), "marta").block();
        assertThat(textsTo(SECOND)).hasSize(before + 1);
        assertThat(incidents.byCode(target.code()).block().timeline()).hasSameSizeAs(into.timeline());

        // The target's steps now reach the duplicate's reporter.
        desk.addNote(target.code(), "Demà hi anirà la brigada.", true, "marta").block();
        assertThat(textsTo(SECOND)).hasSize(before + 2);

        Incident separated = desk.unmerge(duplicate.code(), "marta").block();
        assertThat(separated.status()).isEqualTo(IncidentStatus.IN_PROGRESS);
        assertThat(separated.outcome()).isNull();
        assertThat(separated.mergedInto()).isNull();
        Incident restored = incidents.byCode(target.code()).block();
        assertThat(restored.followers()).isEmpty();
        assertThat(restored.mergedFrom()).isEmpty();
        List<String> after = textsTo(SECOND);
        assertThat(after.get(after.size() - 1)).startsWith("Hem tornat a obrir la teva incidència " + duplicate.code());
    }

    @Test
    void aMergeThatDoesNotFitIsRefused() {
        Incident first = report("merge-3", FIRST, "street_lighting");
        Incident second = report("merge-4", SECOND, "street_lighting");
        assertThatThrownBy(() -> desk.merge(first.code(), first.code(), "marta").block())
                .isInstanceOf(IncidentDesk.Invalid.class);
        desk.changeStatus(second.code(), IncidentStatus.CLOSED, Outcome.POSITIVE, null, "marta").block();
        assertThatThrownBy(() -> desk.merge(first.code(), second.code(), "marta").block())
                .isInstanceOf(IncidentDesk.Refused.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> desk.unmerge(first.code(), "marta").block())
                .isInstanceOf(IncidentDesk.Refused.class).hasMessageContaining("not merged");
        assertThat(incidents.byCode(first.code()).block().status()).isEqualTo(IncidentStatus.NEW);
    }

    @Test
    void aMergedIncidentIsHandledThroughItsUndoAndAMergeWhoseTargetIsTakenMeanwhileLeavesBothAsTheyWere() {
        Incident target = report("merge-5", FIRST, "street_lighting");
        Incident duplicate = report("merge-6", SECOND, "street_lighting");
        desk.merge(duplicate.code(), target.code(), "marta").block();
        assertThatThrownBy(() -> desk.changeStatus(duplicate.code(), IncidentStatus.IN_PROGRESS, null, null, "marta")
                .block()).isInstanceOf(IncidentDesk.Refused.class).hasMessageContaining("undo the merge");
        desk.unmerge(duplicate.code(), "marta").block();

        // Another instance merges the target elsewhere between this merge's read and its write.
        Incident other = report("merge-7", FIRST, "street_lighting");
        Incident third = report("merge-8", SECOND, "street_lighting");
        store.template().updateFirst(query(where("code").is(other.code())), new org.springframework.data.mongodb.core
                .query.Update().set("merge", new Incident.Merge(target.code(), START, "pere", List.of(), "NEW")),
                Incident.class).block();
        int told = textsTo(SECOND).size();
        assertThatThrownBy(() -> desk.merge(third.code(), other.code(), "marta").block())
                .isInstanceOf(IncidentDesk.Refused.class).hasMessageContaining("stays as it was");
        Incident back = incidents.byCode(third.code()).block();
        assertThat(back.status()).isEqualTo(IncidentStatus.NEW);
        assertThat(back.mergedInto()).isNull();
        assertThat(incidents.byCode(other.code()).block().mergedFrom()).isEmpty();
        assertThat(textsTo(SECOND)).as("nobody told of a merge that did not take").hasSize(told);
    }

    @Test
    void aDescriptionSentWithTheBrowsersLineBreaksIsNotAChangeAndCoordinatesMustBeNumbers() {
        Incident incident = report("edit-3", FIRST, "street_lighting");
        desk.edit(incident.code(), new IncidentDesk.Edit(null, "Primera línia\nSegona línia", null, null), "marta")
                .block();
        Incident again = desk.edit(incident.code(), new IncidentDesk.Edit(null, "Primera línia\r\nSegona línia\r\n",
                null, null), "marta").block();
        assertThat(again.description()).isEqualTo("Primera línia\nSegona línia");
        assertThat(again.timeline()).filteredOn(e -> "EDIT".equals(e.type())).hasSize(1);
        assertThatThrownBy(() -> desk.edit(incident.code(), new IncidentDesk.Edit(null, null,
                new Incident.Location("Carrer Major", Double.NaN, 1.8, "PIN"), null), "marta").block())
                .isInstanceOf(IncidentDesk.Invalid.class);
    }

    @Test
    void theFirstStartWritesRulesAndAnswerTemplatesOnceAndWhatAdminsDeleteStaysDeleted() {
        Rules rules = new Rules(store.template(), categories, null);
        assertThat(rules.seed(Map.of("street_lighting", "public_works")).block()).isEqualTo(1);
        assertThat(rules.firstMatch("street_lighting", Source.TELEGRAM, "fanal", null).block())
                .hasValueSatisfying(r -> assertThat(r.then().department()).isEqualTo("public_works"));
        rules.delete("street_lighting_to_public_works").block();
        assertThat(rules.seed(Map.of("street_lighting", "public_works")).block()).isZero();
        assertThat(rules.all().collectList().block()).isEmpty();

        AnswerTemplates templates = new AnswerTemplates(store.template());
        assertThat(templates.seed().block()).isEqualTo(4);
        List<AnswerTemplate> all = templates.all().collectList().block();
        assertThat(all).allSatisfy(t -> {
            assertThat(t.texts()).containsOnlyKeys("ca", "es", "en");
            assertThat(templates.save(t).block()).as("each default passes the checks admins' templates pass")
                    .isEqualTo(t);
        });
        all.forEach(t -> templates.delete(t.id()).block());
        assertThat(templates.seed().block()).isZero();
    }

    /** The public page's address an incident has (given when it was created). */
    static final class PublicPagesUrl {
        static String of(TestStore store, Incident incident) {
            return new PublicPages(store.template(), "https://civicbot.example.cat/")
                    .urlOf(store.template().findOne(query(where("code").is(incident.code())), Incident.class).block())
                    .block();
        }
    }
}

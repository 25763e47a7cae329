package org.civicbot.bot.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.civicbot.bot.Channel;
import org.civicbot.bot.FlowRuntime;
import org.civicbot.bot.MutableClock;
import org.civicbot.bot.TestStore;
import org.civicbot.bot.engine.Session;
import org.civicbot.bot.incident.Geocoder;
import org.civicbot.bot.incident.IncidentCodes;
import org.civicbot.bot.incident.Incidents;
import org.civicbot.bot.live.LiveFeed;
import org.civicbot.bot.media.PhotoStore;
import org.civicbot.bot.outbox.Outbox;
import org.civicbot.bot.outbox.OutboxEntry;
import org.civicbot.flows.Flows;
import org.civicbot.flows.Language;
import org.civicbot.flows.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class StaffDeskTests {

    static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
    static final String ADDRESS = "whatsapp:+34600000001";
    static final String ID = new ConversationIds(new byte[32]).of(Channel.WHATSAPP, ADDRESS);

    TestStore store = TestStore.start();
    MutableClock clock = new MutableClock(START);
    FlowRuntime flows = new FlowRuntime(Flows.load(Flows.defaults()));
    ConversationStore conversations = new ConversationStore(store.template());
    Outbox outbox = new Outbox(store.template(), clock, places -> {});
    StaffDesk desk;

    @BeforeEach
    void setUp() {
        Incidents incidents = new Incidents(store.template(),
                new IncidentCodes(store.template(), ZoneId.of("Europe/Madrid")), Geocoder.none(), clock);
        PendingTurns pendingTurns = new PendingTurns(store.template(), incidents, new PhotoStore(store.gridFs()), outbox,
                clock, new LiveFeed(clock));
        desk = new StaffDesk(store.template(), conversations, pendingTurns, flows,
                new ConversationEvents(store.template(), new org.civicbot.bot.live.LiveFeed(clock)),
                new OutboundPolicy(OutboundPolicy.Templates.none()), clock);
        store.conversation(ID, Channel.WHATSAPP, ADDRESS, "Anna", START);
    }

    @AfterEach
    void close() {
        store.close();
    }

    Conversation conversation() {
        return conversations.find(ID).block();
    }

    List<OutboxEntry> sent() {
        return outbox.ofConversation(ID).collectList().block();
    }

    /** What happened to one staff member's takeover: their name when they won, the error otherwise. */
    Mono<Object> attempt(String staff) {
        return desk.takeOver(ID, staff).<Object>map(c -> staff).onErrorResume(e -> Mono.just(e))
                .subscribeOn(Schedulers.parallel());
    }

    @Test
    void letsExactlyOneOfTwoSimultaneousTakeoversWin() {
        List<Object> outcomes = Flux.merge(attempt("marta"), attempt("joan")).collectList().block();

        assertThat(outcomes).hasSize(2);
        String winner = conversation().assignee();
        assertThat(winner).isIn("marta", "joan");
        assertThat(outcomes).filteredOn(String.class::isInstance).containsExactly(winner);
        assertThat(outcomes).filteredOn(StaffDesk.Conflict.class::isInstance).singleElement()
                .satisfies(e -> assertThat(((StaffDesk.Conflict) e).owner()).isEqualTo(winner));
        assertThat(conversation().status()).isEqualTo(ConversationStatus.AGENT);
    }

    @Test
    void letsTheOwnerTakeOverAgain() {
        desk.takeOver(ID, "marta").block();

        StepVerifier.create(desk.takeOver(ID, "marta"))
                .assertNext(c -> assertThat(c.assignee()).isEqualTo("marta"))
                .verifyComplete();
    }

    @Test
    void refusesATakeoverOfAnUnknownConversation() {
        StepVerifier.create(desk.takeOver("nobody", "marta")).expectError(StaffDesk.NotFound.class).verify();
    }

    @Test
    void refusesAReplyFromSomeoneWhoDoesNotOwnTheConversation() {
        desk.takeOver(ID, "marta").block();

        StepVerifier.create(desk.reply(ID, "joan", "Hola, sóc en Joan", "key-1"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(StaffDesk.Conflict.class)
                        .extracting(c -> ((StaffDesk.Conflict) c).owner()).isEqualTo("marta"))
                .verify();
        assertThat(sent()).isEmpty();
    }

    @Test
    void refusesAReplyBeforeATakeover() {
        StepVerifier.create(desk.reply(ID, "marta", "Hola", "key-1")).expectError(StaffDesk.Conflict.class).verify();
    }

    @Test
    void sendsAReplyOnceForTheSameIdempotencyKey() {
        desk.takeOver(ID, "marta").block();

        String first = desk.reply(ID, "marta", "Hola, sóc la Marta", "key-1").block();
        String second = desk.reply(ID, "marta", "Hola, sóc la Marta", "key-1").block();

        assertThat(second).isEqualTo(first);
        assertThat(sent()).singleElement().satisfies(entry -> {
            assertThat(entry.id()).isEqualTo(first);
            assertThat(entry.text()).isEqualTo("Hola, sóc la Marta");
            assertThat(entry.author()).isEqualTo("STAFF");
            assertThat(entry.staffUser()).isEqualTo("marta");
        });
        // Cleared a moment later, with other conversations' turns, in one command.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> conversation().pendingTurn() == null);
    }

    @Test
    void handsTheConversationBackToTheBotAtANode() {
        desk.takeOver(ID, "marta").block();

        desk.release(ID, "marta", Optional.of("incident/address"), Optional.of("Continuem amb l'adreça.")).block();

        Conversation released = conversation();
        assertThat(released.status()).isEqualTo(ConversationStatus.BOT);
        assertThat(released.assignee()).isNull();
        Session session = SessionCodec.read(released.session(), Language.DEFAULT);
        assertThat(session.state()).isEqualTo(Session.State.WAITING);
        assertThat(session.flowId()).isEqualTo("incident");
        assertThat(session.nodeId()).isEqualTo("address");
        String prompt = ((Node.Location) flows.get().flows().node("incident", "address").orElseThrow())
                .text().in(Language.DEFAULT);
        assertThat(sent()).extracting(OutboxEntry::text).containsExactly("Continuem amb l'adreça.", prompt);
        assertThat(sent()).extracting(OutboxEntry::author).containsExactly("STAFF", "BOT");
    }

    /** A notice held while staff owned the conversation goes first when it is handed back to the bot. */
    @Test
    void deliversWhatWaitedForTheBotFirstWhenTheConversationIsHandedBack() {
        desk.takeOver(ID, "marta").block();
        CitizenNotices notices = new CitizenNotices(store.template(), conversations,
                new ConversationEvents(store.template(), new LiveFeed(clock)), outbox, () -> flows.get().flows(),
                new OutboundPolicy(OutboundPolicy.Templates.none()), clock);
        assertThat(notices.send(ID, "incident-status:INC-2026-000001:2", (texts, language) -> "En curs.").block())
                .isFalse();
        assertThat(sent()).isEmpty();

        desk.release(ID, "marta", Optional.empty(), Optional.of("Gràcies, Anna.")).block();

        assertThat(sent()).extracting(OutboxEntry::text).startsWith("En curs.", "Gràcies, Anna.");
        assertThat(conversation().heldMessages()).isEmpty();
    }

    /** Outside WhatsApp's 24-hour window free text is refused, and no template is configured here to go instead. */
    @Test
    void refusesFreeTextOutsideWhatsAppsWindow() {
        desk.takeOver(ID, "marta").block();
        clock.advance(java.time.Duration.ofHours(25));

        StepVerifier.create(desk.reply(ID, "marta", "Hola", "k1")).expectError(StaffDesk.OutsideWindow.class).verify();
        StepVerifier.create(desk.reply(ID, "marta", "Hola", "k2", true))
                .expectErrorMatches(e -> e instanceof StaffDesk.Conflict && e.getMessage().contains("no template"))
                .verify();
        assertThat(sent()).isEmpty();
    }

    @Test
    void refusesToHandBackToAnUnknownNodeAndChangesNothing() {
        Conversation taken = desk.takeOver(ID, "marta").block();

        StepVerifier.create(desk.release(ID, "marta", Optional.of("incident/nowhere"), Optional.of("Nota")))
                .expectError(IllegalArgumentException.class)
                .verify();

        Conversation after = conversation();
        assertThat(after.status()).isEqualTo(ConversationStatus.AGENT);
        assertThat(after.assignee()).isEqualTo("marta");
        assertThat(after.version()).isEqualTo(taken.version());
        assertThat(sent()).isEmpty();
    }

    @Test
    void closesAConversationAndClearsItsAssignee() {
        desk.takeOver(ID, "marta").block();

        desk.close(ID, "marta").block();

        Conversation closed = conversation();
        assertThat(closed.status()).isEqualTo(ConversationStatus.CLOSED);
        assertThat(closed.assignee()).isNull();
        assertThat(SessionCodec.read(closed.session(), Language.EN).state()).isEqualTo(Session.State.IDLE);
    }
}

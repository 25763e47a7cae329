package org.civicbot.backoffice.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bson.Document;
import org.civicbot.app.FullStackTest;
import org.civicbot.app.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.security.web.server.csrf.DefaultCsrfToken;
import org.springframework.web.server.WebSession;

/**
 * Staff sessions in the store, on a clock of their own: stored under a hash of the id, read back whole, ended
 * by idleness or age whatever the activity, swept, and never brought back once ended. The clock starts years
 * before the shared context's sessions, so the sweeps here cannot touch them.
 */
class StaffSessionsTests extends FullStackTest {

    static final Duration IDLE = Duration.ofMinutes(30);
    static final Duration LIFETIME = Duration.ofHours(12);
    static final String CONTEXT = WebSessionServerSecurityContextRepository.DEFAULT_SPRING_SECURITY_CONTEXT_ATTR_NAME;

    MutableClock clock;
    StaffSessions sessions;

    @BeforeEach
    void store() {
        clock = new MutableClock(Instant.parse("2020-03-02T08:00:00Z"));
        sessions = new StaffSessions(mongo, clock, IDLE, new SessionSettings(LIFETIME));
    }

    WebSession signedIn(String username) {
        WebSession session = sessions.createWebSession().block();
        session.getAttributes().put(CONTEXT, new SecurityContextImpl(UsernamePasswordAuthenticationToken.authenticated(
                username, "{bcrypt}not-kept", AuthorityUtils.createAuthorityList("ROLE_AGENT", "ROLE_ADMIN"))));
        session.save().block();
        return session;
    }

    /** A request with the session's cookie: read, then saved when the response starts. */
    WebSession request(String id) {
        WebSession session = sessions.retrieveSession(id).block();
        if (session != null) {
            session.save().block();
        }
        return session;
    }

    Document stored(String id) {
        return mongo.findById(SessionIds.hash(id), Document.class, StaffSessions.COLLECTION).block();
    }

    @Test
    void storesASessionUnderAHashOfItsIdAndReadsItBackWhole() {
        WebSession session = sessions.createWebSession().block();
        assertThat(session.isStarted()).isFalse();
        session.getAttributes().put(CONTEXT, new SecurityContextImpl(UsernamePasswordAuthenticationToken.authenticated(
                "session-reader", "{bcrypt}$2a$10$hash", AuthorityUtils.createAuthorityList("ROLE_AGENT"))));
        session.getAttributes().put("csrf", new DefaultCsrfToken("X-CSRF-TOKEN", "_csrf", "token-value"));
        session.getAttributes().put("civicbot.flash", List.of("ok", "flash.closed"));
        session.save().block();

        assertThat(session.getId()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(mongo.findById(session.getId(), Document.class, StaffSessions.COLLECTION).block())
                .as("nothing stored under the id itself").isNull();
        Document document = stored(session.getId());
        assertThat(document.getString("username")).isEqualTo("session-reader");
        assertThat(document.toJson()).doesNotContain("bcrypt", "$2a$");

        WebSession read = sessions.retrieveSession(session.getId()).block();
        SecurityContext context = (SecurityContext) read.getAttributes().get(CONTEXT);
        assertThat(context.getAuthentication().getName()).isEqualTo("session-reader");
        assertThat(AuthorityUtils.authorityListToSet(context.getAuthentication().getAuthorities()))
                .containsExactly("ROLE_AGENT");
        assertThat(((CsrfToken) read.getAttributes().get("csrf")).getToken()).isEqualTo("token-value");
        assertThat(read.getAttributes().get("civicbot.flash")).isEqualTo(List.of("ok", "flash.closed"));
        assertThat(sessions.retrieveSession("not-" + session.getId()).block()).isNull();
    }

    @Test
    void endsASessionLeftIdleLongerThanTheTimeout() {
        String id = signedIn("session-idle").getId();
        clock.advance(Duration.ofMinutes(25));
        assertThat(request(id)).as("used within the timeout").isNotNull();
        clock.advance(Duration.ofMinutes(25));
        assertThat(request(id)).as("50 minutes old, but used 25 minutes ago").isNotNull();

        clock.advance(IDLE.plusSeconds(1));
        assertThat(request(id)).isNull();
        assertThat(stored(id)).as("deleted when found ended").isNull();
    }

    @Test
    void endsASessionAtItsMaximumLifetimeHoweverActive() {
        String id = signedIn("session-busy").getId();
        Duration step = Duration.ofMinutes(20);
        for (Duration age = step; age.compareTo(LIFETIME) < 0; age = age.plus(step)) {
            clock.advance(step);
            assertThat(request(id)).as("at %s", age).isNotNull();
        }
        clock.advance(step);
        assertThat(request(id)).as("after %s", LIFETIME).isNull();
        assertThat(stored(id)).isNull();
    }

    @Test
    void sweepsEndedSessionsAndKeepsTheLiveOnes() {
        String idle = signedIn("session-swept").getId();
        String old = signedIn("session-swept").getId();
        clock.advance(Duration.ofMinutes(20));
        request(old);
        String live = signedIn("session-kept").getId();
        clock.advance(Duration.ofMinutes(20));
        request(live);

        assertThat(sessions.sweep().block()).as("the one idle for 40 minutes").isEqualTo(1);
        assertThat(stored(idle)).isNull();
        assertThat(stored(old)).isNotNull();
        assertThat(stored(live)).isNotNull();
    }

    @Test
    void neverBringsBackASessionEndedWhileARequestWasUsingIt() {
        String id = signedIn("session-ended").getId();
        WebSession inFlight = sessions.retrieveSession(id).block();
        inFlight.getAttributes().put("civicbot.flash", List.of("ok", "flash.closed"));

        assertThat(sessions.endAll("session-ended").block()).isEqualTo(1);
        inFlight.save().block();

        assertThat(stored(id)).isNull();
        assertThat(sessions.retrieveSession(id).block()).isNull();
    }

    @Test
    void givesANewIdOnRequestAndForgetsTheOldOne() {
        WebSession session = signedIn("session-renamed");
        String before = session.getId();
        session.changeSessionId().block();
        session.save().block();

        assertThat(session.getId()).isNotEqualTo(before);
        assertThat(stored(before)).isNull();
        assertThat(stored(session.getId()).getString("username")).isEqualTo("session-renamed");
    }

    @Test
    void writesNothingForARequestThatChangedNothingWithinAMinute() {
        String id = signedIn("session-quiet").getId();
        Instant stored = stored(id).getDate("lastAccessAt").toInstant();
        clock.advance(Duration.ofSeconds(30));
        request(id);
        assertThat(stored(id).getDate("lastAccessAt").toInstant()).isEqualTo(stored);
        clock.advance(Duration.ofSeconds(31));
        request(id);
        assertThat(stored(id).getDate("lastAccessAt").toInstant()).isEqualTo(clock.instant());
    }
}

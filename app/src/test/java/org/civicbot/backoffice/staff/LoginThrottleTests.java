package org.civicbot.backoffice.staff;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.civicbot.app.FullStackTest;
import org.civicbot.app.MutableClock;
import org.civicbot.app.PageSession;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * Sign-in is throttled per username and per address, for the login form and HTTP Basic alike, and an
 * unknown username is answered exactly as a wrong password. The timed behaviour runs on a throttle of its
 * own with a clock a test moves (starting in 2100, on usernames and addresses no other test uses).
 */
class LoginThrottleTests extends FullStackTest {

    void createUser(String username, String password) {
        web.post().uri("/api/v1/users").headers(h -> h.setBasicAuth("admin", "admin-password"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "displayName", username, "password", password,
                        "roles", List.of("AGENT")))
                .exchange().expectStatus().isCreated();
    }

    EntityExchangeResult<byte[]> basic(String username, String password) {
        return web.get().uri("/api/v1/conversations").headers(h -> h.setBasicAuth(username, password)).exchange()
                .expectBody().returnResult();
    }

    @Test
    void refusesTheSixthSignInWithinAMinuteEvenWithTheRightPassword() {
        createUser("throttled-form", "throttled-form-password");
        for (int i = 1; i <= 5; i++) {
            assertThat(PageSession.submitLogin(web, "throttled-form", "wrong-" + i).getResponseHeaders().getLocation())
                    .hasToString("/login?error");
        }
        EntityExchangeResult<byte[]> sixth = PageSession.submitLogin(web, "throttled-form", "throttled-form-password");
        assertThat(sixth.getResponseHeaders().getLocation()).hasToString("/login?error");
        assertThat(sixth.getResponseCookies()).doesNotContainKey("SESSION");
        // The same account is refused over HTTP Basic too: the throttle is the account's, not the form's.
        assertThat(basic("throttled-form", "throttled-form-password").getStatus().value()).isEqualTo(401);
    }

    @Test
    void refusesTheSixthBasicRequestWithinAMinuteEvenWithTheRightPassword() {
        createUser("throttled-basic", "throttled-basic-password");
        assertThat(basic("throttled-basic", "throttled-basic-password").getStatus().value()).isEqualTo(200);
        List<byte[]> wrong = new java.util.ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            EntityExchangeResult<byte[]> refused = basic("throttled-basic", "wrong-" + i);
            assertThat(refused.getStatus().value()).isEqualTo(401);
            wrong.add(refused.getResponseBodyContent());
        }
        EntityExchangeResult<byte[]> sixth = basic("throttled-basic", "throttled-basic-password");
        assertThat(sixth.getStatus().value()).isEqualTo(401);
        assertThat(sixth.getResponseBodyContent()).as("the same answer as a wrong password").isEqualTo(wrong.get(0));
    }

    @Test
    void answersAnUnknownUsernameByteForByteAsAWrongPassword() {
        createUser("known-user", "known-user-password");

        EntityExchangeResult<byte[]> wrongForm = PageSession.submitLogin(web, "known-user", "not-it");
        EntityExchangeResult<byte[]> unknownForm = PageSession.submitLogin(web, "unknown-user", "not-it");
        assertSameAnswer(unknownForm, wrongForm);
        assertThat(wrongForm.getResponseHeaders().getLocation()).hasToString("/login?error");

        EntityExchangeResult<byte[]> wrongBasic = basic("known-user", "not-it");
        EntityExchangeResult<byte[]> unknownBasic = basic("unknown-user", "not-it");
        assertSameAnswer(unknownBasic, wrongBasic);
        assertThat(wrongBasic.getStatus().value()).isEqualTo(401);
        assertThat(Stream.of("127.0.0.1", "0:0:0:0:0:0:0:1").map(LoginThrottle::addressKey)
                .anyMatch(key -> mongo.findById(key, org.bson.Document.class, LoginThrottle.COLLECTION).block() != null))
                .as("the client's address is counted too").isTrue();
    }

    static void assertSameAnswer(EntityExchangeResult<byte[]> actual, EntityExchangeResult<byte[]> expected) {
        assertThat(actual.getStatus()).isEqualTo(expected.getStatus());
        HttpHeaders actualHeaders = new HttpHeaders();
        actualHeaders.addAll(actual.getResponseHeaders());
        actualHeaders.remove(HttpHeaders.DATE);
        HttpHeaders expectedHeaders = new HttpHeaders();
        expectedHeaders.addAll(expected.getResponseHeaders());
        expectedHeaders.remove(HttpHeaders.DATE);
        assertThat(actualHeaders.toSingleValueMap()).isEqualTo(expectedHeaders.toSingleValueMap());
        assertThat(actual.getResponseBodyContent()).isEqualTo(expected.getResponseBodyContent());
    }

    // --- the throttle on a clock of its own ----------------------------------------------------------

    final MutableClock clock = new MutableClock(Instant.parse("2100-01-04T09:00:00Z"));

    LoginThrottle throttle() {
        return new LoginThrottle(mongo, new LoginProperties(5, 20, Duration.ofMinutes(1)), clock);
    }

    boolean attempt(LoginThrottle throttle, String username, String address) {
        return throttle.attempt(username, Optional.of(address)).block();
    }

    @Test
    void liftsALockoutAfterAMinuteAndDoublesTheNextOne() {
        LoginThrottle throttle = throttle();
        for (int i = 1; i <= 5; i++) {
            assertThat(attempt(throttle, "clock-user", "198.51.100.1")).as("failure %d", i).isTrue();
        }
        assertThat(attempt(throttle, "clock-user", "198.51.100.1")).as("the sixth").isFalse();
        clock.advance(Duration.ofSeconds(59));
        assertThat(attempt(throttle, "CLOCK-USER", "198.51.100.2")).as("any spelling, any address").isFalse();
        clock.advance(Duration.ofSeconds(2));
        for (int i = 1; i <= 5; i++) {
            assertThat(attempt(throttle, "clock-user", "198.51.100.1")).as("after the lockout, failure %d", i).isTrue();
        }
        assertThat(attempt(throttle, "clock-user", "198.51.100.1")).isFalse();
        clock.advance(Duration.ofSeconds(61));
        assertThat(attempt(throttle, "clock-user", "198.51.100.1")).as("the second lockout lasts two minutes").isFalse();
        clock.advance(Duration.ofSeconds(60));
        assertThat(attempt(throttle, "clock-user", "198.51.100.1")).isTrue();
    }

    @Test
    void countsFailuresWithinAMinuteOnly() {
        LoginThrottle throttle = throttle();
        for (int i = 1; i <= 4; i++) {
            assertThat(attempt(throttle, "slow-user", "198.51.100.3")).isTrue();
        }
        clock.advance(Duration.ofSeconds(61));
        for (int i = 1; i <= 5; i++) {
            assertThat(attempt(throttle, "slow-user", "198.51.100.3")).as("a new minute, failure %d", i).isTrue();
        }
    }

    @Test
    void refusesAnAddressAfterTwentyFailuresWhateverTheUsernames() {
        LoginThrottle throttle = throttle();
        for (int i = 1; i <= 20; i++) {
            assertThat(attempt(throttle, "spray-" + i, "203.0.113.9")).as("username %d", i).isTrue();
        }
        assertThat(attempt(throttle, "spray-21", "203.0.113.9")).isFalse();
        assertThat(attempt(throttle, "spray-22", "203.0.113.10")).as("another address").isTrue();
    }

    @Test
    void startsAfreshOnceTheRightPasswordIsGiven() {
        LoginThrottle throttle = throttle();
        for (int i = 1; i <= 4; i++) {
            assertThat(attempt(throttle, "forgetful-user", "198.51.100.4")).isTrue();
        }
        assertThat(attempt(throttle, "forgetful-user", "198.51.100.4")).isTrue();
        throttle.succeeded("forgetful-user", Optional.of("198.51.100.4")).block();
        for (int i = 1; i <= 5; i++) {
            assertThat(attempt(throttle, "forgetful-user", "198.51.100.4")).as("failure %d after", i).isTrue();
        }
        assertThat(attempt(throttle, "forgetful-user", "198.51.100.4")).isFalse();
    }

    @Test
    void forgetsAUsernameAndAnAddressAfterAnHourOfQuiet() {
        LoginThrottle throttle = throttle();
        attempt(throttle, "quiet-user", "198.51.100.5");
        String user = LoginThrottle.userKey("quiet-user");
        assertThat(mongo.findById(user, org.bson.Document.class, LoginThrottle.COLLECTION).block()).isNotNull();
        clock.advance(Duration.ofMinutes(59));
        throttle.forgetQuiet().block();
        assertThat(mongo.findById(user, org.bson.Document.class, LoginThrottle.COLLECTION).block()).isNotNull();
        clock.advance(Duration.ofMinutes(2));
        throttle.forgetQuiet().block();
        assertThat(mongo.findById(user, org.bson.Document.class, LoginThrottle.COLLECTION).block()).isNull();
        assertThat(mongo.findById(LoginThrottle.addressKey("198.51.100.5"), org.bson.Document.class,
                LoginThrottle.COLLECTION).block()).isNull();
    }
}

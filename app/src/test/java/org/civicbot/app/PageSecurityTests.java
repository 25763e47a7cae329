package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.reactive.function.BodyInserters;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/** The back-office pages: sign-in, sessions, CSRF on forms, and administration for admins only. */
class PageSecurityTests extends FullStackTest {

    @Test
    void rendersTheLoginPageWithItsForm() {
        String page = PageSession.loginPage(web).getResponseBody();
        assertThat(page).contains("<title>", "civicbot", "action=\"/login\"", "id=\"username\"", "id=\"password\"",
                "id=\"login-submit\"");
        assertThat(PageSession.csrf(page)).isNotBlank();
    }

    @Test
    void redirectsToTheLoginPageWithoutASession() {
        web.get().uri("/inbox").exchange().expectStatus().is3xxRedirection()
                .expectHeader().value("Location", location -> assertThat(location).endsWith("/login"));
    }

    @Test
    void comesBackToTheLoginPageWithAnErrorOnWrongCredentials() {
        EntityExchangeResult<byte[]> result = PageSession.submitLogin(web, "admin", "wrong");
        assertThat(result.getStatus().is3xxRedirection()).isTrue();
        assertThat(result.getResponseHeaders().getLocation()).hasToString("/login?error");
        assertThat(result.getResponseCookies()).doesNotContainKey("SESSION");
        assertThat(PageSession.loginPage(web).getResponseBody()).doesNotContain("login-error");
        String page = web.get().uri("/login?error").exchange().expectBody(String.class).returnResult().getResponseBody();
        assertThat(page).contains("login-error");
    }

    @Test
    void refusesTheLoginFormWithoutItsTokenCookie() {
        String page = PageSession.loginPage(web).getResponseBody();
        web.post().uri("/login").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData(PageSession.form(Map.of("username", "admin",
                        "password", "admin-password", "_csrf", PageSession.csrf(page)))))
                .exchange().expectStatus().isForbidden()
                .expectHeader().doesNotExist("Set-Cookie");
    }

    @Test
    void leavesNoSessionBehindTwentyThousandAnonymousVisitorsAndStillLetsStaffSignIn() {
        long before = storedSessions();
        AtomicInteger sessionCookies = new AtomicInteger();
        HttpClient client = HttpClient.create().baseUrl("http://localhost:" + port);
        List<Integer> statuses = Flux.range(0, 20_000)
                .flatMap(i -> client.get().uri("/login").responseSingle((response, body) -> {
                    if (response.cookies().containsKey("SESSION")) {
                        sessionCookies.incrementAndGet();
                    }
                    return body.asString().then(Mono.just(response.status().code()));
                }), 16)
                .distinct().collectList().block(Duration.ofMinutes(5));

        assertThat(statuses).containsExactly(200);
        assertThat(sessionCookies).hasValue(0);
        assertThat(storedSessions()).isEqualTo(before);

        PageSession admin = PageSession.signIn(web, "admin", "admin-password");
        assertThat(admin.get("/inbox")).contains("id=\"current-user\"");
        assertThat(storedSessions()).isEqualTo(before + 1);
    }

    @Test
    void returnsToThePageAskedForAfterSigningInWithoutASessionMeanwhile() {
        EntityExchangeResult<byte[]> asked = web.get().uri("/incidents?status=NEW").accept(MediaType.TEXT_HTML)
                .exchange().expectStatus().is3xxRedirection().expectBody().returnResult();
        assertThat(asked.getResponseHeaders().getLocation()).hasToString("/login");
        assertThat(asked.getResponseCookies()).doesNotContainKey("SESSION");
        ResponseCookie saved = asked.getResponseCookies().getFirst("civicbot-return");
        assertThat(saved).isNotNull();
        // The login page keeps it (the browser sends it with the form), the page asked for forgets it.
        web.get().uri("/login").cookie("civicbot-return", saved.getValue()).exchange().expectStatus().isOk()
                .expectCookie().doesNotExist("civicbot-return");

        EntityExchangeResult<byte[]> signedIn = PageSession.submitLogin(web, "admin", "admin-password",
                Map.of("civicbot-return", saved.getValue()));
        assertThat(signedIn.getResponseHeaders().getLocation()).hasToString("/incidents?status=NEW");
        web.get().uri("/incidents?status=NEW").cookie("civicbot-return", saved.getValue())
                .cookie("SESSION", signedIn.getResponseCookies().getFirst("SESSION").getValue())
                .exchange().expectStatus().isOk().expectCookie().maxAge("civicbot-return", Duration.ZERO);
    }

    @Test
    void neverReturnsToAnotherSiteAfterSigningIn() {
        for (String elsewhere : List.of("//evil.example/inbox", "https://evil.example/inbox", "/\\evil.example")) {
            String cookie = Base64.getUrlEncoder().encodeToString(elsewhere.getBytes(StandardCharsets.UTF_8));
            EntityExchangeResult<byte[]> signedIn = PageSession.submitLogin(web, "admin", "admin-password",
                    Map.of("civicbot-return", cookie));
            assertThat(signedIn.getResponseHeaders().getLocation()).as(elsewhere).hasToString("/");
        }
    }

    long storedSessions() {
        return mongo.getCollection("staff_sessions").flatMap(c -> Mono.from(c.countDocuments())).block();
    }

    @Test
    void refusesAFormPostWithoutTheCsrfToken() {
        PageSession admin = PageSession.signIn(web, "admin", "admin-password");
        web.post().uri("/conversations/x/takeover").cookie("SESSION", admin.id())
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).exchange()
                .expectStatus().isForbidden();
        // With the token the same request gets through to the page, which knows no conversation x.
        web.post().uri("/conversations/x/takeover").cookie("SESSION", admin.id())
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData(PageSession.form(Map.of("_csrf",
                        PageSession.csrf(admin.get("/inbox"))))))
                .exchange().expectStatus().isNotFound();
    }

    @Test
    void showsTheInboxToASignedInAdmin() {
        String page = PageSession.signIn(web, "admin", "admin-password").get("/inbox");
        assertThat(page).contains("id=\"queue\"", "id=\"mine\"", "id=\"colleagues\"", "id=\"bot\"",
                "id=\"current-user\"", "id=\"nav-admin\"", "sse-connect=\"/inbox/events\"");
    }

    @Test
    void keepsPagesWithPersonalDataOutOfCachesFramesAndOtherSitesScripts() {
        PageSession admin = PageSession.signIn(web, "admin", "admin-password");
        web.get().uri("/inbox").cookie("SESSION", admin.id()).exchange()
                .expectStatus().isOk()
                .expectHeader().value("Cache-Control", value -> assertThat(value).contains("no-store"))
                .expectHeader().valueEquals("X-Frame-Options", "DENY")
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader().valueEquals("Referrer-Policy", "same-origin")
                .expectHeader().value("Content-Security-Policy", value -> assertThat(value)
                        .contains("script-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe"));
        EntityExchangeResult<byte[]> signedIn = PageSession.submitLogin(web, "admin", "admin-password");
        assertThat(signedIn.getResponseHeaders().get("Set-Cookie")).filteredOn(c -> c.startsWith("SESSION="))
                .singleElement().satisfies(cookie -> assertThat(cookie)
                        .containsIgnoringCase("HttpOnly").contains("Secure").contains("SameSite=Lax"));
        web.get().uri("/login").exchange().expectStatus().isOk()
                .expectHeader().value("Set-Cookie", cookie -> assertThat(cookie).startsWith("XSRF-TOKEN=")
                        .containsIgnoringCase("HttpOnly").contains("Secure").contains("SameSite=Lax"))
                .expectCookie().doesNotExist("SESSION");
    }

    @Test
    void forbidsAdministrationToAnAgent() {
        web.post().uri("/api/v1/users").headers(h -> h.setBasicAuth("admin", "admin-password"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "page-agent", "displayName", "Page Agent",
                        "password", "page-agent-password", "roles", List.of("AGENT")))
                .exchange().expectStatus().isCreated();
        PageSession agent = PageSession.signIn(web, "page-agent", "page-agent-password");
        agent.getting("/admin").expectStatus().isForbidden();
        assertThat(agent.get("/inbox")).doesNotContain("id=\"nav-admin\"");
    }
}

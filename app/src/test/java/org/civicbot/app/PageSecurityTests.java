package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.reactive.function.BodyInserters;

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
        EntityExchangeResult<String> login = PageSession.loginPage(web);
        ResponseCookie session = login.getResponseCookies().getFirst("SESSION");
        web.post().uri("/login").cookie("SESSION", session.getValue()).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData(PageSession.form(Map.of("username", "admin", "password", "wrong",
                        "_csrf", PageSession.csrf(login.getResponseBody())))))
                .exchange().expectStatus().is3xxRedirection()
                .expectHeader().value("Location", location -> assertThat(location).endsWith("/login?error"));
        assertThat(PageSession.loginPage(web).getResponseBody()).doesNotContain("login-error");
        String page = web.get().uri("/login?error").exchange().expectBody(String.class).returnResult().getResponseBody();
        assertThat(page).contains("login-error");
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
        web.get().uri("/login").exchange().expectStatus().isOk()
                .expectHeader().value("Set-Cookie", cookie -> assertThat(cookie)
                        .containsIgnoringCase("HttpOnly").contains("Secure").contains("SameSite=Lax"));
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

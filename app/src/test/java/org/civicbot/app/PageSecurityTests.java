package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

/** The back-office pages: sign-in, sessions, CSRF on forms, and administration for admins only. */
class PageSecurityTests extends FullStackTest {

    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @Test
    void rendersTheLoginPageWithItsForm() {
        String page = web.get().uri("/login").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(page).contains("<title>", "civicbot", "action=\"/login\"", "id=\"username\"", "id=\"password\"",
                "id=\"login-submit\"");
        assertThat(CSRF_FIELD.matcher(page).find()).isTrue();
    }

    @Test
    void redirectsToTheLoginPageWithoutASession() {
        web.get().uri("/inbox").exchange().expectStatus().is3xxRedirection()
                .expectHeader().value("Location", location -> assertThat(location).endsWith("/login"));
    }

    @Test
    void wrongCredentialsComeBackToTheLoginPageWithAnError() {
        Session anonymous = loginPage();
        web.post().uri("/login").cookie("SESSION", anonymous.id()).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData(form(Map.of("username", "admin", "password", "wrong",
                        "_csrf", anonymous.csrf()))))
                .exchange().expectStatus().is3xxRedirection()
                .expectHeader().value("Location", location -> assertThat(location).endsWith("/login?error"));
        String page = web.get().uri("/login?error").exchange().expectBody(String.class).returnResult().getResponseBody();
        assertThat(page).contains("login-error");
    }

    @Test
    void refusesAFormPostWithoutTheCsrfToken() {
        Session admin = signIn("admin", "admin-password");
        web.post().uri("/conversations/x/takeover").cookie("SESSION", admin.id())
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).exchange()
                .expectStatus().isForbidden();
        // With the token the same request gets through to the page, which knows no conversation x.
        web.post().uri("/conversations/x/takeover").cookie("SESSION", admin.id())
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData(form(Map.of("_csrf", csrfOf(admin, "/inbox")))))
                .exchange().expectStatus().isNotFound();
    }

    @Test
    void showsTheInboxToASignedInAdmin() {
        Session admin = signIn("admin", "admin-password");
        String page = web.get().uri("/inbox").cookie("SESSION", admin.id()).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(page).contains("id=\"queue\"", "id=\"mine\"", "id=\"colleagues\"", "id=\"bot\"",
                "id=\"current-user\"", "id=\"nav-admin\"");
    }

    @Test
    void forbidsAdministrationToAnAgent() {
        web.post().uri("/api/v1/users").headers(h -> h.setBasicAuth("admin", "admin-password"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "page-agent", "displayName", "Page Agent",
                        "password", "page-agent-password", "roles", java.util.List.of("AGENT")))
                .exchange().expectStatus().isCreated();
        Session agent = signIn("page-agent", "page-agent-password");
        web.get().uri("/admin").cookie("SESSION", agent.id()).exchange().expectStatus().isForbidden();
        String inbox = web.get().uri("/inbox").cookie("SESSION", agent.id()).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(inbox).doesNotContain("id=\"nav-admin\"");
    }

    // --- signing in as a browser does ----------------------------------------------------------------

    private record Session(String id, String csrf) {}

    private Session loginPage() {
        EntityExchangeResult<String> result = web.get().uri("/login").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult();
        ResponseCookie session = result.getResponseCookies().getFirst("SESSION");
        assertThat(session).isNotNull();
        return new Session(session.getValue(), csrf(result.getResponseBody()));
    }

    private Session signIn(String username, String password) {
        Session anonymous = loginPage();
        EntityExchangeResult<byte[]> result = web.post().uri("/login").cookie("SESSION", anonymous.id())
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData(form(Map.of("username", username, "password", password,
                        "_csrf", anonymous.csrf()))))
                .exchange().expectStatus().is3xxRedirection().expectBody().returnResult();
        assertThat(result.getResponseHeaders().getLocation()).hasToString("/");
        // Signing in gives a new session id, against session fixation.
        ResponseCookie session = result.getResponseCookies().getFirst("SESSION");
        return new Session(session == null ? anonymous.id() : session.getValue(), null);
    }

    private String csrfOf(Session session, String page) {
        return csrf(web.get().uri(page).cookie("SESSION", session.id()).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }

    private static String csrf(String page) {
        Matcher matcher = CSRF_FIELD.matcher(page);
        assertThat(matcher.find()).as("a CSRF field in the page").isTrue();
        return matcher.group(1);
    }

    private static MultiValueMap<String, String> form(Map<String, String> fields) {
        LinkedMultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        fields.forEach(form::add);
        return form;
    }
}

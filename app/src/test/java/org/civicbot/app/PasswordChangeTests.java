package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * A staff member changes their own password on the change-password page; one whose password an admin set
 * must change it before anything else; a change ends the user's other sessions, an admin's reset all of them.
 */
class PasswordChangeTests extends FullStackTest {

    void createUser(String username, String password, String role) {
        web.post().uri("/api/v1/users").headers(h -> h.setBasicAuth("admin", "admin-password"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "displayName", "Staff " + username, "password", password,
                        "roles", List.of(role)))
                .exchange().expectStatus().isCreated();
    }

    /** Posts the change-password form of this session; returns the answer (a redirect, and maybe a new session). */
    EntityExchangeResult<byte[]> change(PageSession session, String current, String password, String confirm) {
        return web.post().uri("/password").cookie("SESSION", session.id())
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData(PageSession.form(Map.of("current", current, "password", password,
                        "confirm", confirm, "_csrf", PageSession.csrf(session.get("/password"))))))
                .exchange().expectStatus().is3xxRedirection().expectBody().returnResult();
    }

    static PageSession renewed(PageSession session, EntityExchangeResult<byte[]> answer) {
        assertThat(answer.getResponseCookies().getFirst("SESSION")).as("a new session id").isNotNull();
        return new PageSession(session.web(), answer.getResponseCookies().getFirst("SESSION").getValue());
    }

    @Test
    void sendsAStaffMemberWhosePasswordAnAdminResetToTheChangePageFirst() {
        createUser("reset-agent", "first-password-1", "AGENT");
        PageSession before = PageSession.signIn(web, "reset-agent", "first-password-1");
        web.post().uri("/api/v1/users/reset-agent/password").headers(h -> h.setBasicAuth("admin", "admin-password"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("password", "temporary-password-1"))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.mustChangePassword").isEqualTo(true);
        before.getting("/inbox").expectStatus().is3xxRedirection().expectHeader().valueEquals("Location", "/login");

        PageSession agent = PageSession.signIn(web, "reset-agent", "temporary-password-1", "/password");
        for (String page : List.of("/", "/inbox", "/incidents", "/conversations/x")) {
            agent.getting(page).expectStatus().is3xxRedirection().expectHeader().valueEquals("Location", "/password");
        }
        String form = agent.get("/password");
        assertThat(form).contains("id=\"password-required\"", "id=\"current-password\"", "id=\"confirm-password\"")
                .doesNotContain("id=\"nav-inbox\"");
        web.get().uri("/api/v1/conversations").headers(h -> h.setBasicAuth("reset-agent", "temporary-password-1"))
                .exchange().expectStatus().isForbidden()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("change it"));

        EntityExchangeResult<byte[]> changed = change(agent, "temporary-password-1", "my-own-password-1",
                "my-own-password-1");
        assertThat(changed.getResponseHeaders().getLocation()).hasToString("/");
        PageSession after = renewed(agent, changed);
        assertThat(after.get("/inbox?lang=en")).contains("id=\"current-user\"", "id=\"nav-inbox\"", "Password changed");
        agent.getting("/inbox").expectStatus().is3xxRedirection().expectHeader().valueEquals("Location", "/login");
        web.get().uri("/api/v1/conversations").headers(h -> h.setBasicAuth("reset-agent", "my-own-password-1"))
                .exchange().expectStatus().isOk();
        web.get().uri("/api/v1/users").headers(h -> h.setBasicAuth("admin", "admin-password")).exchange()
                .expectBody().jsonPath("$[?(@.username == 'reset-agent')].mustChangePassword").isEqualTo(false);
    }

    @Test
    void refusesANewPasswordThatIsShortTheUsernameMistypedOrTheSameAndAWrongCurrentOne() {
        createUser("picky-staff-member", "picky-password-1", "AGENT");
        PageSession agent = PageSession.signIn(web, "picky-staff-member", "picky-password-1");
        Map<List<String>, String> refusals = Map.of(
                List.of("picky-password-1", "short-1", "short-1"), "at least 12 characters",
                List.of("picky-password-1", "PICKY-STAFF-MEMBER", "PICKY-STAFF-MEMBER"), "cannot be your username",
                List.of("picky-password-1", "long-enough-one", "long-enough-two"), "are not the same",
                List.of("picky-password-1", "picky-password-1", "picky-password-1"), "must differ",
                List.of("not-the-password", "long-enough-one", "long-enough-one"), "current password is wrong");
        refusals.forEach((fields, message) -> {
            EntityExchangeResult<byte[]> refused = change(agent, fields.get(0), fields.get(1), fields.get(2));
            assertThat(refused.getResponseHeaders().getLocation()).as(message).hasToString("/password");
            assertThat(agent.get("/password?lang=en")).as(message).contains(message);
        });
        web.get().uri("/api/v1/conversations").headers(h -> h.setBasicAuth("picky-staff-member", "picky-password-1"))
                .exchange().expectStatus().isOk();
    }

    @Test
    void endsTheUsersOtherSessionsWhenTheyChangeTheirPassword() {
        createUser("two-browsers", "two-browsers-pass", "AGENT");
        PageSession office = PageSession.signIn(web, "two-browsers", "two-browsers-pass");
        PageSession home = PageSession.signIn(web, "two-browsers", "two-browsers-pass");
        PageSession colleague = PageSession.signIn(web, "admin", "admin-password");

        PageSession changed = office.changePassword("two-browsers-pass", "two-browsers-new");

        home.getting("/inbox").expectStatus().is3xxRedirection().expectHeader().valueEquals("Location", "/login");
        assertThat(changed.get("/inbox")).contains("id=\"current-user\"");
        assertThat(colleague.get("/inbox")).as("someone else's session").contains("id=\"current-user\"");
    }

    @Test
    void endsEverySessionOfAStaffMemberWhosePasswordAnAdminResetsOnTheAdminPage() {
        createUser("reset-on-page", "reset-on-page-1", "AGENT");
        PageSession agent = PageSession.signIn(web, "reset-on-page", "reset-on-page-1");
        PageSession admin = PageSession.signIn(web, "admin", "admin-password");

        assertThat(admin.post("/admin", "/admin/users/reset-on-page/password", Map.of("password", "temporary-on-page")))
                .isEqualTo("/admin");
        assertThat(admin.get("/admin?lang=en")).contains("must change it when they next sign in",
                "must change the password");

        agent.getting("/inbox").expectStatus().is3xxRedirection().expectHeader().valueEquals("Location", "/login");
        assertThat(admin.get("/inbox")).contains("id=\"current-user\"");
        PageSession.signIn(web, "reset-on-page", "temporary-on-page", "/password");
    }

    @Test
    void letsAnAdminSetTheirOwnPasswordAsTheirOwnChange() {
        createUser("second-admin", "second-admin-1", "ADMIN");
        PageSession page = PageSession.signIn(web, "second-admin", "second-admin-1");
        web.post().uri("/api/v1/users/second-admin/password").headers(h -> h.setBasicAuth("second-admin", "second-admin-1"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("password", "second-admin-2"))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.mustChangePassword").isEqualTo(false);
        page.getting("/inbox").expectStatus().is3xxRedirection().expectHeader().valueEquals("Location", "/login");
        PageSession.signIn(web, "second-admin", "second-admin-2", "/");
    }
}

package org.civicbot.app.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * A colleague using the back-office pages from another browser, as the server sees it: a session cookie,
 * the login form and the pages' forms with their CSRF token. Lighter than a second Chromium.
 */
final class PageSession {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*?(?:value|content)=\"([^\"]+)\"");

    private final WebTestClient web;
    private String session;

    private PageSession(WebTestClient web) {
        this.web = web;
    }

    static PageSession login(WebTestClient web, String username, String password) {
        PageSession colleague = new PageSession(web);
        EntityExchangeResult<String> form = web.get().uri("/login").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult();
        colleague.keepSession(form);
        EntityExchangeResult<byte[]> signedIn = web.post().uri("/login").cookie("SESSION", colleague.session)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData("username", username).with("password", password)
                        .with("_csrf", csrf(form.getResponseBody())))
                .exchange().expectStatus().is3xxRedirection().expectBody().returnResult();
        assertThat(String.valueOf(signedIn.getResponseHeaders().getLocation())).as("where the login sent " + username)
                .doesNotContain("error");
        colleague.keepSession(signedIn);
        return colleague;
    }

    /** Submits a page's form (no fields but the CSRF token), as its button does; the answer redirects. */
    void submit(String action) {
        EntityExchangeResult<String> page = web.get().uri("/inbox").cookie("SESSION", session).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult();
        web.post().uri(action).cookie("SESSION", session).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData("_csrf", csrf(page.getResponseBody())))
                .exchange().expectStatus().is3xxRedirection().expectBody().returnResult();
    }

    private void keepSession(EntityExchangeResult<?> result) {
        ResponseCookie cookie = result.getResponseCookies().getFirst("SESSION");
        if (cookie != null) {
            session = cookie.getValue();
        }
    }

    private static String csrf(String html) {
        Matcher matcher = CSRF.matcher(html);
        assertThat(matcher.find()).as("a CSRF token in the page").isTrue();
        return matcher.group(1);
    }
}

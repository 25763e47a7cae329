package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

/** A browser's session on the back-office pages: signs in with the login form and posts forms with their CSRF token. */
public record PageSession(WebTestClient web, String id) {

    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    /** Opens the login page: a session that is not signed in yet, and the token of its form. */
    static EntityExchangeResult<String> loginPage(WebTestClient web) {
        return web.get().uri("/login").exchange().expectStatus().isOk().expectBody(String.class).returnResult();
    }

    public static PageSession signIn(WebTestClient web, String username, String password) {
        EntityExchangeResult<String> login = loginPage(web);
        ResponseCookie anonymous = login.getResponseCookies().getFirst("SESSION");
        assertThat(anonymous).isNotNull();
        EntityExchangeResult<byte[]> result = web.post().uri("/login").cookie("SESSION", anonymous.getValue())
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData(form(Map.of("username", username, "password", password,
                        "_csrf", csrf(login.getResponseBody())))))
                .exchange().expectStatus().is3xxRedirection().expectBody().returnResult();
        assertThat(result.getResponseHeaders().getLocation()).as("signed in").hasToString("/");
        // Signing in changes the session id, against session fixation.
        ResponseCookie session = result.getResponseCookies().getFirst("SESSION");
        return new PageSession(web, session == null ? anonymous.getValue() : session.getValue());
    }

    String get(String path) {
        return web.get().uri(path).cookie("SESSION", id).exchange().expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody();
    }

    WebTestClient.ResponseSpec getting(String path) {
        return web.get().uri(path).cookie("SESSION", id).exchange();
    }

    /** Posts a form from {@code page} with the page's CSRF token, and returns where it redirects. */
    public String post(String page, String action, Map<String, String> fields) {
        LinkedMultiValueMap<String, String> body = form(fields);
        body.add("_csrf", csrf(get(page)));
        return web.post().uri(action).cookie("SESSION", id).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData(body)).exchange().expectStatus().is3xxRedirection()
                .returnResult(Void.class).getResponseHeaders().getLocation().toString();
    }

    static String csrf(String page) {
        return field(page, CSRF_FIELD);
    }

    static String field(String page, Pattern pattern) {
        Matcher matcher = pattern.matcher(page);
        assertThat(matcher.find()).as("%s in the page", pattern).isTrue();
        return matcher.group(1);
    }

    static LinkedMultiValueMap<String, String> form(Map<String, String> fields) {
        LinkedMultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        fields.forEach(form::add);
        return form;
    }
}

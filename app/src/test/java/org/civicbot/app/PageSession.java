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

    /** The cookie that carries the login form's CSRF token (an anonymous visitor has no session). */
    static final String CSRF_COOKIE = "XSRF-TOKEN";

    /** Opens the login page: no session, only the token of its form and the cookie it is checked against. */
    public static EntityExchangeResult<String> loginPage(WebTestClient web) {
        return web.get().uri("/login").exchange().expectStatus().isOk().expectBody(String.class).returnResult();
    }

    /** Fills in and submits the login form as a browser does, with any other cookies the browser holds. */
    public static EntityExchangeResult<byte[]> submitLogin(WebTestClient web, String username, String password,
            Map<String, String> cookies) {
        EntityExchangeResult<String> login = loginPage(web);
        assertThat(login.getResponseCookies()).as("no session for an anonymous visitor").doesNotContainKey("SESSION");
        ResponseCookie csrf = login.getResponseCookies().getFirst(CSRF_COOKIE);
        assertThat(csrf).as("the login form's token cookie").isNotNull();
        return web.post().uri("/login")
                .cookies(jar -> {
                    jar.add(CSRF_COOKIE, csrf.getValue());
                    cookies.forEach(jar::add);
                })
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData(form(Map.of("username", username, "password", password,
                        "_csrf", csrf(login.getResponseBody())))))
                .exchange().expectBody().returnResult();
    }

    public static EntityExchangeResult<byte[]> submitLogin(WebTestClient web, String username, String password) {
        return submitLogin(web, username, password, Map.of());
    }

    public static PageSession signIn(WebTestClient web, String username, String password) {
        return signIn(web, username, password, "/");
    }

    /** Signs in and checks where the login form sends the browser. */
    public static PageSession signIn(WebTestClient web, String username, String password, String landing) {
        EntityExchangeResult<byte[]> result = submitLogin(web, username, password);
        assertThat(result.getStatus().is3xxRedirection()).as("signed in").isTrue();
        assertThat(result.getResponseHeaders().getLocation()).as("signed in").hasToString(landing);
        ResponseCookie session = result.getResponseCookies().getFirst("SESSION");
        assertThat(session).as("a session from signing in").isNotNull();
        return new PageSession(web, session.getValue());
    }

    public String get(String path) {
        return web.get().uri(path).cookie("SESSION", id).exchange().expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody();
    }

    public WebTestClient.ResponseSpec getting(String path) {
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

    /** Changes the password on the change-password page; the session goes on under a new id. */
    public PageSession changePassword(String current, String password) {
        EntityExchangeResult<byte[]> changed = web.post().uri("/password").cookie("SESSION", id)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData(form(Map.of("current", current, "password", password,
                        "confirm", password, "_csrf", csrf(get("/password"))))))
                .exchange().expectStatus().is3xxRedirection().expectBody().returnResult();
        assertThat(changed.getResponseHeaders().getLocation()).as("changed").hasToString("/");
        ResponseCookie renewed = changed.getResponseCookies().getFirst("SESSION");
        assertThat(renewed).as("a new session id").isNotNull();
        return new PageSession(web, renewed.getValue());
    }

    public static String csrf(String page) {
        return field(page, CSRF_FIELD);
    }

    static String field(String page, Pattern pattern) {
        Matcher matcher = pattern.matcher(page);
        assertThat(matcher.find()).as("%s in the page", pattern).isTrue();
        return matcher.group(1);
    }

    public static LinkedMultiValueMap<String, String> form(Map<String, String> fields) {
        LinkedMultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        fields.forEach(form::add);
        return form;
    }
}

package org.civicbot.app.browser;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Telegram's Bot API in WireMock for the browser tests, answering every send as on a good day, and the
 * updates a citizen's messages arrive as. It is never reset: each test uses its own chat ids, and reads
 * only what was sent to them.
 */
final class FakeTelegram {

    static final String TOKEN = "654321:browser";
    static final String SECRET = "browser-webhook-secret";
    static final WireMockServer API = new WireMockServer(options().dynamicPort());

    private static final String SEND = "/bot" + TOKEN + "/(?i)sendmessage";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong UPDATES = new AtomicLong(70_000_000);
    private static final AtomicLong CHATS = new AtomicLong(880_000_000);

    static {
        API.start();
        API.stubFor(post(urlPathMatching(SEND)).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody("{\"ok\": true, \"result\": {\"message_id\": {{randomInt lower=1 upper=1000000}},"
                        + " \"date\": 1700000000, \"chat\": {\"id\": 1, \"type\": \"private\"}}}")
                .withTransformers("response-template")));
        API.stubFor(post(urlPathMatching("/bot" + TOKEN + "/(?i)answercallbackquery"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"ok\": true, \"result\": true}")));
    }

    private FakeTelegram() {}

    static String baseUrl() {
        return API.baseUrl();
    }

    /** A chat id no other test uses. */
    static long newChat() {
        return CHATS.incrementAndGet();
    }

    static long nextUpdateId() {
        return UPDATES.incrementAndGet();
    }

    /** A text message update from a citizen named {@code firstName lastName}. */
    static String text(long updateId, long chatId, String firstName, String lastName, String text) {
        return "{\"update_id\": " + updateId + ", \"message\": {\"message_id\": " + updateId + ", \"date\": 1700000000,"
                + " \"chat\": {\"id\": " + chatId + ", \"type\": \"private\"}, \"from\": {\"id\": " + chatId
                + ", \"is_bot\": false, \"first_name\": " + quote(firstName) + ", \"last_name\": " + quote(lastName)
                + "}, \"text\": " + quote(text) + "}}";
    }

    /** The texts Telegram was asked to send to the chat, in the order asked. */
    static List<String> textsTo(long chatId) {
        List<String> texts = new ArrayList<>();
        for (LoggedRequest request : API.findAll(postRequestedFor(urlPathMatching(SEND)))) {
            try {
                JsonNode body = JSON.readTree(request.getBodyAsString());
                if (String.valueOf(chatId).equals(body.path("chat_id").asText())) {
                    texts.add(body.path("text").asText());
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return texts;
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

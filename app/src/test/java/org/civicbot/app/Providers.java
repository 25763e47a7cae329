package org.civicbot.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The providers as the full-stack tests see them: Twilio's and Telegram's APIs in WireMock, answering
 * as the real ones do, and the signatures and secrets a real delivery carries.
 */
public final class Providers {

    public static final String PUBLIC_BASE = "https://civicbot.example.org";
    static final String TWILIO_SID = "ACfullstack0000000000000000000000";
    static final String TWILIO_TOKEN = "twilio-auth-token";
    static final String WHATSAPP_FROM = "whatsapp:+34930000000";
    static final String TELEGRAM_TOKEN = "123456:full-stack";
    public static final String TELEGRAM_SECRET = "telegram-webhook-secret";
    static final String MESSAGES = "/2010-04-01/Accounts/" + TWILIO_SID + "/Messages.json";
    /** A small JPEG: the bytes a citizen's photo arrives as. */
    static final byte[] JPEG = Base64.getDecoder().decode(
            "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////"
                    + "////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=");

    static final WireMockServer TWILIO = new WireMockServer(options().dynamicPort());
    public static final WireMockServer TELEGRAM = new WireMockServer(options().dynamicPort());
    /** A Nominatim geocoder: it knows no address unless a test teaches it one ({@link #onTheMap}). */
    static final WireMockServer NOMINATIM = new WireMockServer(options().dynamicPort());
    /** The town's live information sources (news, agenda, pharmacies): what a test serves ({@code SourceTests}). */
    public static final WireMockServer SOURCES = new WireMockServer(options().dynamicPort());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger SIDS = new AtomicInteger();
    private static final java.util.concurrent.atomic.AtomicLong UPDATES = new java.util.concurrent.atomic.AtomicLong(70_000_000);
    private static final java.util.concurrent.atomic.AtomicLong CHATS = new java.util.concurrent.atomic.AtomicLong(880_000_000);

    static {
        TWILIO.start();
        TELEGRAM.start();
        NOMINATIM.start();
        SOURCES.start();
    }

    private Providers() {}

    /** Both APIs answer every call successfully, as on a good day. */
    static void goodDay() {
        TWILIO.resetAll();
        TELEGRAM.resetAll();
        NOMINATIM.resetAll();
        NOMINATIM.stubFor(get(urlPathEqualTo("/search")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("[]")));
        TWILIO.stubFor(post(urlPathEqualTo(MESSAGES)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"sid\": \"{{randomValue length=32 type='ALPHANUMERIC'}}\", \"status\": \"queued\"}")
                .withTransformers("response-template")));
        TWILIO.stubFor(get(urlPathMatching("/2010-04-01/Accounts/" + TWILIO_SID + "/Messages/.*/Media/.*"))
                .willReturn(aResponse().withHeader("Content-Type", "image/jpeg").withBody(JPEG)));
        TELEGRAM.stubFor(post(urlPathMatching("/bot" + TELEGRAM_TOKEN + "/(?i)sendmessage")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody("{\"ok\": true, \"result\": {\"message_id\": {{randomInt lower=1 upper=1000000}},"
                        + " \"date\": 1700000000, \"chat\": {\"id\": 1, \"type\": \"private\"}}}")
                .withTransformers("response-template")));
        TELEGRAM.stubFor(post(urlPathMatching("/bot" + TELEGRAM_TOKEN + "/(?i)answercallbackquery"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"ok\": true, \"result\": true}")));
        TELEGRAM.stubFor(post(urlPathMatching("/bot" + TELEGRAM_TOKEN + "/(?i)getfile")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody("{\"ok\": true, \"result\": {\"file_id\": \"big\", \"file_unique_id\": \"b\","
                        + " \"file_size\": " + JPEG.length + ", \"file_path\": \"photos/file_1.jpg\"}}")));
        TELEGRAM.stubFor(get(urlPathEqualTo("/file/bot" + TELEGRAM_TOKEN + "/photos/file_1.jpg"))
                .willReturn(aResponse().withHeader("Content-Type", "image/jpeg").withBody(JPEG)));
    }

    /** Teaches the geocoder where an address is: a search for {@code typed} finds this street and number. */
    static void onTheMap(String typed, double latitude, double longitude, String road, String number, String city) {
        NOMINATIM.stubFor(get(urlPathEqualTo("/search"))
                .withQueryParam("q", com.github.tomakehurst.wiremock.client.WireMock.equalTo(typed))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("[{\"lat\": \""
                        + latitude + "\", \"lon\": \"" + longitude + "\", \"display_name\": \"" + number + ", " + road
                        + ", " + city + ", Catalunya, España\", \"address\": {\"road\": \"" + road
                        + "\", \"house_number\": \"" + number + "\", \"city\": \"" + city + "\"}}]")));
    }

    /** A small JPEG, for a test to send as a photo. */
    public static byte[] jpeg() {
        return JPEG.clone();
    }

    /** Teaches the geocoder an address for any point of the map (a pin placed by staff). */
    public static void reverseGeocodesTo(String displayName) {
        NOMINATIM.stubFor(get(urlPathEqualTo("/reverse")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody("{\"display_name\": \"" + displayName + "\"}")));
    }

    // --- Twilio ---------------------------------------------------------------------------------------

    static String nextMessageSid() {
        return String.format("SMfs%028d", SIDS.incrementAndGet());
    }

    /** A WhatsApp text as Twilio posts it. */
    static Map<String, String> whatsappText(String from, String sid, String body) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("MessageSid", sid);
        form.put("AccountSid", TWILIO_SID);
        form.put("From", from);
        form.put("To", WHATSAPP_FROM);
        form.put("Body", body);
        form.put("NumMedia", "0");
        form.put("ProfileName", "Maria Vila");
        form.put("WaId", from.replace("whatsapp:+", ""));
        return form;
    }

    /** Twilio's signature: HMAC-SHA1 over the URL and the sorted parameters, keyed with the auth token. */
    static String twilioSignature(String url, Map<String, String> params) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(params).forEach((name, value) -> data.append(name).append(value));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(TWILIO_TOKEN.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The messages Twilio was asked to send to {@code to}, in the order asked: their Body fields. */
    public static List<String> twilioBodiesTo(String to) {
        List<String> bodies = new ArrayList<>();
        for (LoggedRequest request : TWILIO.findAll(postRequestedFor(urlPathEqualTo(MESSAGES)))) {
            Map<String, String> form = form(request.getBodyAsString());
            if (to.equals(form.get("To"))) {
                bodies.add(form.get("Body"));
            }
        }
        return bodies;
    }

    /** Everything Twilio was asked to send to {@code to}, in order: each request's form fields. */
    static List<Map<String, String>> twilioRequestsTo(String to) {
        List<Map<String, String>> requests = new ArrayList<>();
        for (LoggedRequest request : TWILIO.findAll(postRequestedFor(urlPathEqualTo(MESSAGES)))) {
            Map<String, String> form = form(request.getBodyAsString());
            if (to.equals(form.get("To"))) {
                requests.add(form);
            }
        }
        return requests;
    }

    static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return form;
    }

    // --- Telegram -------------------------------------------------------------------------------------

    static String telegramText(long updateId, long chatId, String text) {
        return telegramText(updateId, chatId, "Jordi", "Serra", text);
    }

    /** A text message update from a citizen named {@code firstName lastName}. */
    public static String telegramText(long updateId, long chatId, String firstName, String lastName, String text) {
        return "{\"update_id\": " + updateId + ", \"message\": {\"message_id\": " + updateId + ", \"date\": 1700000000,"
                + " \"chat\": {\"id\": " + chatId + ", \"type\": \"private\"}, \"from\": {\"id\": " + chatId
                + ", \"is_bot\": false, \"first_name\": " + quote(firstName) + ", \"last_name\": " + quote(lastName)
                + "}, \"text\": " + quote(text) + "}}";
    }

    /** A Telegram chat id no other test uses. */
    public static long newChat() {
        return CHATS.incrementAndGet();
    }

    /** A Telegram update id no other delivery uses. */
    public static long nextUpdateId() {
        return UPDATES.incrementAndGet();
    }

    static String telegramLocation(long updateId, long chatId, double latitude, double longitude) {
        return "{\"update_id\": " + updateId + ", \"message\": {\"message_id\": " + updateId + ", \"date\": 1700000000,"
                + " \"chat\": {\"id\": " + chatId + ", \"type\": \"private\"}, \"location\": {\"latitude\": " + latitude
                + ", \"longitude\": " + longitude + "}}}";
    }

    static String telegramPhoto(long updateId, long chatId) {
        return "{\"update_id\": " + updateId + ", \"message\": {\"message_id\": " + updateId + ", \"date\": 1700000000,"
                + " \"chat\": {\"id\": " + chatId + ", \"type\": \"private\"}, \"photo\": ["
                + "{\"file_id\": \"small\", \"file_unique_id\": \"s\", \"width\": 90, \"height\": 90, \"file_size\": 100},"
                + "{\"file_id\": \"big\", \"file_unique_id\": \"b\", \"width\": 1280, \"height\": 960, \"file_size\": "
                + JPEG.length + "}]}}";
    }

    static String telegramButton(long updateId, long chatId, String data) {
        return "{\"update_id\": " + updateId + ", \"callback_query\": {\"id\": \"cbq-" + updateId + "\", \"from\": {\"id\": "
                + chatId + ", \"is_bot\": false, \"first_name\": \"Jordi\"}, \"chat_instance\": \"ci\", \"data\": "
                + quote(data) + ", \"message\": {\"message_id\": 5, \"date\": 1700000000, \"chat\": {\"id\": " + chatId
                + ", \"type\": \"private\"}}}}";
    }

    /** The messages Telegram was asked to send to the chat, in the order asked: text and button labels. */
    public static List<JsonNode> telegramMessagesTo(long chatId) {
        List<JsonNode> sent = new ArrayList<>();
        for (LoggedRequest request : TELEGRAM.findAll(postRequestedFor(
                urlPathMatching("/bot" + TELEGRAM_TOKEN + "/(?i)sendmessage")))) {
            try {
                JsonNode body = JSON.readTree(request.getBodyAsString());
                if (String.valueOf(chatId).equals(body.path("chat_id").asText())) {
                    sent.add(body);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return sent;
    }

    public static List<String> telegramTextsTo(long chatId) {
        return telegramMessagesTo(chatId).stream().map(m -> m.path("text").asText()).toList();
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.civicbot.channels.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.civicbot.bot.Channel;
import org.civicbot.bot.inbound.InboundContent;
import org.civicbot.bot.inbound.InboundMessage;
import org.civicbot.bot.outbox.DeliveryStatus;
import org.civicbot.bot.outbox.StatusCallbacks;
import org.civicbot.channels.RecordingIntake;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import reactor.core.publisher.Mono;

class TwilioWebhooksTests {

    static final String TOKEN = "twilio-auth-token";
    static final String PUBLIC_BASE = "https://civicbot.example.org";
    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    RecordingIntake intake;
    RecordingStatusCallbacks callbacks;
    WebTestClient client;

    @BeforeEach
    void setUp() {
        client = clientFor(PUBLIC_BASE);
    }

    WebTestClient clientFor(String publicBase) {
        intake = new RecordingIntake();
        callbacks = new RecordingStatusCallbacks();
        TwilioWebhooks webhooks = new TwilioWebhooks(new TwilioSignature(TOKEN, publicBase), intake, callbacks,
                Clock.fixed(NOW, ZoneOffset.UTC));
        return WebTestClient.bindToRouterFunction(webhooks.routes()).build();
    }

    @Test
    void storesSignedTextAndAnswersEmptyTwiml() {
        Map<String, String> form = message("SM001", Map.of("Body", "hola", "ProfileName", "Ana Puig"));

        post(TwilioWebhooks.INBOUND_PATH, form, sign(TOKEN, PUBLIC_BASE + TwilioWebhooks.INBOUND_PATH, form))
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_XML)
                .expectBody(String.class).value(body -> assertThat(body).contains("<Response/>"));

        assertThat(intake.received).containsExactly(new InboundMessage(Channel.WHATSAPP, "SM001",
                "whatsapp:+34600111222", "Ana Puig", new InboundContent.Text("hola"), NOW));
    }

    @Test
    void answersADuplicateDeliveryWith200AndStoresItOnce() {
        Map<String, String> form = message("SM002", Map.of("Body", "hola"));
        String signature = sign(TOKEN, PUBLIC_BASE + TwilioWebhooks.INBOUND_PATH, form);

        post(TwilioWebhooks.INBOUND_PATH, form, signature).expectStatus().isOk();
        post(TwilioWebhooks.INBOUND_PATH, form, signature).expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).contains("<Response/>"));

        assertThat(intake.received).hasSize(1);
    }

    record SignatureCase(String label, String signature) {}

    @Test
    void rejectsWebhookWithMissingOrInvalidSignatureAndStoresNothing() {
        Map<String, String> form = message("SM003", Map.of("Body", "hola"));
        Map<String, String> tampered = new LinkedHashMap<>(form);
        tampered.put("Body", "adeu");
        List<SignatureCase> cases = new ArrayList<>();
        cases.add(new SignatureCase("missing", null));
        cases.add(new SignatureCase("blank", " "));
        cases.add(new SignatureCase("other token", sign("other-token", PUBLIC_BASE + TwilioWebhooks.INBOUND_PATH, form)));
        cases.add(new SignatureCase("other url", sign(TOKEN, "https://elsewhere.example.org" + TwilioWebhooks.INBOUND_PATH, form)));
        cases.add(new SignatureCase("other params", sign(TOKEN, PUBLIC_BASE + TwilioWebhooks.INBOUND_PATH, tampered)));

        for (SignatureCase c : cases) {
            post(TwilioWebhooks.INBOUND_PATH, form, c.signature())
                    .expectStatus().isForbidden()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(intake.received).as(c.label()).isEmpty();
        }
    }

    @ParameterizedTest(name = "public base {0}, signed for {1}")
    @CsvSource({
            "https://civicbot.example.org,     https://civicbot.example.org:443",
            "https://civicbot.example.org:443, https://civicbot.example.org",
            "https://civicbot.example.org/,    https://civicbot.example.org"})
    void acceptsSignatureOverUrlWithOrWithoutDefaultPort(String publicBase, String signedBase) {
        WebTestClient portClient = clientFor(publicBase);
        Map<String, String> form = message("SM004", Map.of("Body", "hola"));

        portClient.post().uri(TwilioWebhooks.INBOUND_PATH)
                .header(TwilioSignature.HEADER, sign(TOKEN, signedBase + TwilioWebhooks.INBOUND_PATH, form))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData(multi(form)))
                .exchange()
                .expectStatus().isOk();

        assertThat(intake.received).hasSize(1);
    }

    @Test
    void parsesALocationPin() {
        Map<String, String> form = message("SM005", Map.of("Latitude", "41.7212", "Longitude", "1.8246",
                "Address", "Plaça Major, 1", "Label", "Ajuntament"));

        postSigned(TwilioWebhooks.INBOUND_PATH, form).expectStatus().isOk();

        assertThat(intake.received).singleElement().extracting(InboundMessage::content)
                .isEqualTo(new InboundContent.Location(41.7212, 1.8246, "Plaça Major, 1", "Ajuntament"));
    }

    @Test
    void parsesTwoMediaWithTheBodyAsCaption() {
        Map<String, String> form = message("SM006", Map.of("NumMedia", "2", "Body", "farola trencada",
                "MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/SM006/Media/ME0",
                "MediaContentType0", "image/jpeg",
                "MediaUrl1", "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/SM006/Media/ME1",
                "MediaContentType1", "image/png"));

        postSigned(TwilioWebhooks.INBOUND_PATH, form).expectStatus().isOk();

        assertThat(intake.received).singleElement().extracting(InboundMessage::content)
                .isEqualTo(new InboundContent.Media(List.of(
                        new InboundContent.MediaRef(form.get("MediaUrl0"), "image/jpeg"),
                        new InboundContent.MediaRef(form.get("MediaUrl1"), "image/png")), "farola trencada"));
    }

    @Test
    void rejectsAMessageWithoutMessageSidAsBadRequest() {
        Map<String, String> form = new TreeMap<>(Map.of("From", "whatsapp:+34600111222", "Body", "hola"));

        postSigned(TwilioWebhooks.INBOUND_PATH, form)
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("MessageSid"));

        assertThat(intake.received).isEmpty();
    }

    @Test
    void answers503WhenTheMessageCannotBeStored() {
        intake.failStorage();

        postSigned(TwilioWebhooks.INBOUND_PATH, message("SM007", Map.of("Body", "hola")))
                .expectStatus().isEqualTo(503);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "queued, SENDING", "accepted, SENDING", "scheduled, SENDING", "sending, SENDING", "sent, SENT",
            "delivered, DELIVERED", "read, READ", "undelivered, UNDELIVERED", "failed, FAILED", "canceled, FAILED"})
    void mapsTwilioStatusesThroughTheTable(String twilioStatus, DeliveryStatus expected) {
        Map<String, String> form = new TreeMap<>(Map.of("MessageSid", "SM100", "MessageStatus", twilioStatus,
                "ErrorCode", twilioStatus.equals("undelivered") ? "63016" : ""));

        postSigned(TwilioWebhooks.STATUS_PATH, form).expectStatus().isOk();

        assertThat(callbacks.updates).containsExactly(new RecordingStatusCallbacks.Update(Channel.WHATSAPP, "SM100",
                expected, twilioStatus.equals("undelivered") ? "63016" : null));
    }

    @Test
    void recordsAStatusForTheEntryItsSignedUrlNames() {
        Map<String, String> form = new TreeMap<>(Map.of("MessageSid", "SM103", "MessageStatus", "delivered"));
        String path = TwilioWebhooks.STATUS_PATH + "?entry=WHATSAPP%3ASM9%2F0";

        postSigned(path, form).expectStatus().isOk();
        assertThat(callbacks.entries).containsExactly("WHATSAPP:SM9/0");
        assertThat(callbacks.updates).containsExactly(
                new RecordingStatusCallbacks.Update(Channel.WHATSAPP, "SM103", DeliveryStatus.DELIVERED, null));

        // The entry is part of what Twilio signed: another entry with the same signature is refused.
        post(TwilioWebhooks.STATUS_PATH + "?entry=WHATSAPP%3ASM8%2F0", form, sign(TOKEN, PUBLIC_BASE + path, form))
                .expectStatus().isForbidden();
        assertThat(callbacks.entries).hasSize(1);
    }

    @Test
    void acknowledgesAnUnknownStatusAndIgnoresIt() {
        postSigned(TwilioWebhooks.STATUS_PATH, new TreeMap<>(Map.of("MessageSid", "SM101", "MessageStatus", "teleported")))
                .expectStatus().isOk();

        assertThat(callbacks.updates).isEmpty();
    }

    @Test
    void rejectsAStatusCallbackWithAnInvalidSignature() {
        Map<String, String> form = new TreeMap<>(Map.of("MessageSid", "SM102", "MessageStatus", "delivered"));

        post(TwilioWebhooks.STATUS_PATH, form, sign("other-token", PUBLIC_BASE + TwilioWebhooks.STATUS_PATH, form))
                .expectStatus().isForbidden();

        assertThat(callbacks.updates).isEmpty();
    }

    private Map<String, String> message(String sid, Map<String, String> extra) {
        Map<String, String> form = new TreeMap<>(extra);
        form.put("MessageSid", sid);
        form.put("From", "whatsapp:+34600111222");
        form.put("To", "whatsapp:+34930000000");
        form.put("AccountSid", "ACtest");
        form.putIfAbsent("NumMedia", "0");
        return form;
    }

    private WebTestClient.ResponseSpec postSigned(String path, Map<String, String> form) {
        return post(path, form, sign(TOKEN, PUBLIC_BASE + path, form));
    }

    private WebTestClient.ResponseSpec post(String path, Map<String, String> form, String signature) {
        // As sent, without a second encoding of what the query already encodes (Twilio signs the raw URL).
        return client.post().uri(java.net.URI.create(path))
                .headers(h -> {
                    if (signature != null) {
                        h.set(TwilioSignature.HEADER, signature);
                    }
                })
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData(multi(form)))
                .exchange();
    }

    private static MultiValueMap<String, String> multi(Map<String, String> form) {
        MultiValueMap<String, String> multi = new LinkedMultiValueMap<>();
        form.forEach(multi::add);
        return multi;
    }

    /** Twilio's scheme, written out: HMAC-SHA1 over the URL and the sorted name+value pairs, in Base64. */
    static String sign(String token, String url, Map<String, String> params) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(params).forEach((name, value) -> data.append(name).append(value));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records status updates, as the outbox would receive them. */
    static class RecordingStatusCallbacks implements StatusCallbacks {

        record Update(Channel channel, String providerMessageId, DeliveryStatus status, String errorCode) {}

        final List<Update> updates = new CopyOnWriteArrayList<>();

        final List<String> entries = new CopyOnWriteArrayList<>();

        @Override
        public Mono<Boolean> update(Channel channel, String providerMessageId, DeliveryStatus status, String errorCode) {
            updates.add(new Update(channel, providerMessageId, status, errorCode));
            return Mono.just(true);
        }

        @Override
        public Mono<Boolean> updateEntry(Channel channel, String entryId, String providerMessageId,
                DeliveryStatus status, String errorCode) {
            entries.add(entryId);
            return update(channel, providerMessageId, status, errorCode);
        }
    }

    /** WhatsApp voice notes, videos, stickers (WebP), documents and contact cards are told apart from photos. */
    @Test
    void tellsWhatAWhatsAppMediaFileTheBotCannotTakeIs() {
        assertThat(TwilioWebhooks.unsupportedKind("audio/ogg; codecs=opus")).isEqualTo("voice");
        assertThat(TwilioWebhooks.unsupportedKind("video/mp4")).isEqualTo("video");
        assertThat(TwilioWebhooks.unsupportedKind("image/webp")).isEqualTo("sticker");
        assertThat(TwilioWebhooks.unsupportedKind("application/pdf")).isEqualTo("document");
        assertThat(TwilioWebhooks.unsupportedKind("text/vcard")).isEqualTo("contact");
        assertThat(TwilioWebhooks.unsupportedKind("image/jpeg")).isNull();
        assertThat(TwilioWebhooks.content(java.util.Map.of("NumMedia", "1", "MediaUrl0", "https://api.twilio.com/m/1",
                "MediaContentType0", "audio/ogg"))).isEqualTo(new org.civicbot.bot.inbound.InboundContent.Unsupported("voice"));
    }
}

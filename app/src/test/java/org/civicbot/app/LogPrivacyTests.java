package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.Conversation;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Whole conversations on both channels, a report with a phone number in it, a staff takeover and reply, a staff
 * sign-in and a device alert leave no message body, phone number, chat id, token or password in the logs.
 */
class LogPrivacyTests extends FullStackTest {

    static final String PHONE = "+34600004477";
    static final String WHATSAPP_WORDS = "La fanal del carrer de les Magnòlies parpelleja";
    static final String TELEGRAM_WORDS = "Hi ha un forat enorme davant del número 17";
    static final String STAFF_WORDS = "Hola Marta, avui hi passarà la brigada";
    static final String PASSWORD = STAFF_PASSWORD;

    @Test
    void conversationsATakeoverASignInAndADeviceAlertLogNoPersonalDataNorSecrets() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.setContext(context);
        captured.start();
        root.addAppender(captured);
        long chat = Providers.newChat();
        try {
            String citizen = "whatsapp:" + PHONE;
            for (String text : List.of("hola", "1", "3", WHATSAPP_WORDS + ", truqueu-me al " + PHONE, "Carrer de les"
                    + " Magnòlies 4", "ometre", "persona")) {
                whatsapp(citizen, text);
            }
            for (String text : List.of("hola", "1", "4", TELEGRAM_WORDS, "Carrer Major 17", "ometre")) {
                long update = Providers.nextUpdateId();
                telegram(update, Providers.telegramText(update, chat, "Marta", "Puigdomènech", text));
            }
            staff("log-agent");
            Conversation conversation = conversation(Channel.WHATSAPP, citizen);
            okPost("log-agent", "/api/v1/conversations/" + conversation.id() + "/takeover", Map.of());
            postAs("log-agent", "/api/v1/conversations/" + conversation.id() + "/messages", Map.of("text",
                    STAFF_WORDS)).expectStatus().is2xxSuccessful();
            awaitOutboxSettled(conversation.id());
            web.get().uri("/api/v1/incidents").headers(h -> h.setBasicAuth("log-agent", "a-wrong-password-9"))
                    .exchange().expectStatus().isUnauthorized();
            web.post().uri("/api/v1/device-alerts").header("Authorization", "Bearer device-token-7")
                    .contentType(org.springframework.http.MediaType.APPLICATION_JSON).bodyValue("{\"alertId\": "
                            + "\"LOG-1\", \"type\": \"bin_tilted\", \"message\": \"Contenidor tombat\"}")
                    .exchange().expectStatus().is2xxSuccessful();
        } finally {
            root.detachAppender(captured);
            captured.stop();
        }

        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : captured.list) {
            lines.add(event.getFormattedMessage());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                lines.add(t.getClassName() + ": " + t.getMessage());
            }
        }
        assertThat(lines).as("something was logged at all").isNotEmpty();
        String log = String.join("\n", lines);
        for (String secret : List.of(WHATSAPP_WORDS, TELEGRAM_WORDS, STAFF_WORDS, PHONE, PHONE.substring(1),
                "600004477", String.valueOf(chat), "Puigdomènech", PASSWORD, "a-wrong-password-9", "device-token-7",
                Providers.TELEGRAM_TOKEN, Providers.TELEGRAM_SECRET, Providers.TWILIO_TOKEN)) {
            assertThat(log).as("the logs name " + secret).doesNotContain(secret);
        }
    }
}

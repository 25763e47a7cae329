package org.civicbot.channels.telegram;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import org.civicbot.bot.Channel;
import org.civicbot.bot.inbound.InboundContent;
import org.civicbot.bot.inbound.InboundMessage;
import org.civicbot.bot.inbound.Intake;
import org.civicbot.channels.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.telegram.telegrambots.meta.api.objects.Update;
import reactor.core.publisher.Mono;

/**
 * Telegram's webhook. The secret token is checked before the body is read; an update we cannot use is
 * set aside and answered 200, because Telegram redelivers anything else and holds back the chat's later
 * updates meanwhile (https://core.telegram.org/bots/api#setwebhook).
 */
final class TelegramWebhook {

    static final String PATH = "/webhooks/telegram";
    static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";

    private static final Logger log = LoggerFactory.getLogger(TelegramWebhook.class);

    /**
     * Jackson 2, as telegrambots' types are annotated for it; Spring's Jackson 3 cannot build them.
     * Telegram adds fields over time, so unknown ones are ignored.
     */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final byte[] secretDigest;
    private final Intake intake;
    private final CallbackAnswers callbackAnswers;
    private final Clock clock;

    TelegramWebhook(String webhookSecret, Intake intake, CallbackAnswers callbackAnswers, Clock clock) {
        this.secretDigest = sha256(webhookSecret);
        this.intake = intake;
        this.callbackAnswers = callbackAnswers;
        this.clock = clock;
    }

    RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route().POST(PATH, this::receive).build();
    }

    Mono<ServerResponse> receive(ServerRequest request) {
        String secret = request.headers().firstHeader(SECRET_HEADER);
        if (!secretMatches(secret)) {
            log.warn("Rejected a Telegram webhook call: {} secret token", secret == null ? "missing" : "wrong");
            return Problems.respond(HttpStatus.UNAUTHORIZED, "Invalid Telegram secret token",
                    SECRET_HEADER + " is missing or wrong; it must equal civicbot.telegram.webhook-secret,"
                            + " the secret_token given to setWebhook.");
        }
        return request.bodyToMono(String.class).defaultIfEmpty("").flatMap(this::handle);
    }

    private Mono<ServerResponse> handle(String body) {
        Update update;
        try {
            update = MAPPER.readValue(body, Update.class);
        } catch (Exception e) {
            return setAside(fallbackId(body), "unparseable update: " + e.getClass().getSimpleName(), body);
        }
        if (update == null || update.getUpdateId() == null) {
            return setAside(fallbackId(body), "update without update_id", body);
        }
        String providerId = String.valueOf(update.getUpdateId());
        InboundMessage message;
        try {
            message = TelegramUpdates.toMessage(update, clock.instant());
        } catch (RuntimeException e) {
            String reason = e instanceof UnusableUpdate ? e.getMessage() : "unreadable update: " + e.getClass().getSimpleName();
            return setAside(providerId, reason, body);
        }
        return intake.receive(message)
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("intake completed without a receipt")))
                .flatMap(receipt -> {
                    log.info("Telegram update {} {}", providerId, receipt);
                    // answered for a duplicate too: the first delivery may have been stored but never answered
                    if (message.content() instanceof InboundContent.Choice choice) {
                        callbackAnswers.answer(providerId, choice.callbackId());
                    }
                    return ServerResponse.ok().build();
                })
                .onErrorResume(e -> {
                    log.error("Could not store Telegram update {}: {}", providerId, e.getClass().getName());
                    return Problems.storageUnavailable();
                });
    }

    /**
     * A poison update is stored for a person to look at and acknowledged. If even that cannot be stored
     * the store is down, and a 503 makes Telegram try again later rather than lose it.
     */
    private Mono<ServerResponse> setAside(String providerId, String reason, String body) {
        return intake.setAside(Channel.TELEGRAM, providerId, reason, body)
                .then(Mono.defer(() -> {
                    log.warn("Set aside Telegram update {}: {}", providerId, reason);
                    return ServerResponse.ok().build();
                }))
                .onErrorResume(e -> {
                    log.error("Could not set aside Telegram update {}: {}", providerId, e.getClass().getName());
                    return Problems.storageUnavailable();
                });
    }

    /** Digests first, so the comparison takes the same time whatever the length of the guess. */
    private boolean secretMatches(String candidate) {
        return candidate != null && MessageDigest.isEqual(secretDigest, sha256(candidate));
    }

    /** An update without a readable id is named by its content, so a redelivery finds the same entry. */
    private static String fallbackId(String body) {
        return "unparseable-" + HexFormat.of().formatHex(sha256(body), 0, 16);
    }

    private static byte[] sha256(String value) {
        return org.civicbot.bot.Hashes.sha256(value);
    }
}

package org.civicbot.channels.twilio;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.exception.TwilioException;
import com.twilio.http.Response;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.type.PhoneNumber;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.apache.hc.core5.http.Header;
import org.civicbot.bot.Channel;
import org.civicbot.bot.outbox.ChannelSender;
import org.civicbot.bot.outbox.OutboundMessage;
import org.civicbot.bot.outbox.SendOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Sends WhatsApp messages through Twilio's Messages API with the Twilio SDK. */
final class TwilioSender implements ChannelSender {

    private static final Logger log = LoggerFactory.getLogger(TwilioSender.class);

    private final TwilioRestClient client;
    private final RewritingHttpClient http;
    private final String from;
    private final String statusCallbackUrl;
    private final int maxPerSecond;

    /**
     * @param statusCallbackUrl where Twilio reports this message's delivery status: our status webhook,
     *     to which each message adds its outbox entry's id, so a report finds its entry even if it
     *     arrives before we have recorded Twilio's id for it
     * @param maxPerSecond {@code civicbot.twilio.max-per-second}
     */
    TwilioSender(TwilioRestClient client, RewritingHttpClient http, String from, String statusCallbackUrl,
            int maxPerSecond) {
        this.statusCallbackUrl = statusCallbackUrl;
        this.maxPerSecond = maxPerSecond;
        this.client = client;
        this.http = http;
        this.from = from;
    }

    @Override
    public Channel channel() {
        return Channel.WHATSAPP;
    }

    @Override
    public int maxPerSecond() {
        return maxPerSecond;
    }

    /** The SDK blocks (Apache HttpClient), so the call runs on boundedElastic, off the event loop. */
    @Override
    public Mono<SendOutcome> send(OutboundMessage message) {
        return Mono.fromCallable(() -> attempt(message))
                .subscribeOn(Schedulers.boundedElastic())
                .doOnNext(outcome -> log.info("Twilio send of outbox entry {}: {}", message.entryId(),
                        outcome.getClass().getSimpleName()));
    }

    /**
     * WhatsApp has no buttons through the plain Messages API, so a menu becomes numbered lines and the
     * citizen answers with the number.
     */
    static String render(OutboundMessage message) {
        if (message.options().isEmpty()) {
            return message.text();
        }
        StringBuilder body = new StringBuilder(message.text()).append("\n");
        for (int i = 0; i < message.options().size(); i++) {
            body.append('\n').append(i + 1).append(". ").append(message.options().get(i));
        }
        return body.toString();
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** Content variables as Twilio takes them: a JSON object of strings, {@code {"1":"INC-2026-000123"}}. */
    static String contentVariables(java.util.Map<String, String> variables) {
        try {
            return JSON.writeValueAsString(new java.util.TreeMap<>(variables));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always writes as JSON", e);
        }
    }

    private SendOutcome attempt(OutboundMessage message) {
        http.forgetLastResponse();
        try {
            MessageCreator creator;
            if (message.contentSid() != null) {
                // An approved template (Content API): WhatsApp's only way in outside the 24-hour window.
                creator = Message.creator(new PhoneNumber(message.address()), new PhoneNumber(from), (String) null)
                        .setContentSid(message.contentSid())
                        .setContentVariables(contentVariables(message.contentVariables()));
            } else {
                creator = Message.creator(new PhoneNumber(message.address()), new PhoneNumber(from), render(message));
            }
            Message sent = creator
                    .setStatusCallback(URI.create(statusCallbackUrl + "?" + TwilioWebhooks.ENTRY_PARAM + "="
                            + URLEncoder.encode(message.entryId(), StandardCharsets.UTF_8)))
                    .create(client);
            return new SendOutcome.Sent(sent.getSid());
        } catch (ApiConnectionException e) {
            return SendOutcome.ofTransportFailure(e, "Twilio");
        } catch (ApiException e) {
            return classify(e, http.lastResponseOnThisThread());
        } catch (TwilioException e) {
            // e.g. an unreadable answer; the message text stays out of the reason (it may hold personal data)
            return new SendOutcome.Retryable("Twilio client error: " + e.getClass().getSimpleName(), Optional.empty());
        }
    }

    /**
     * Twilio's error codes are listed at https://www.twilio.com/docs/api/errors (63016: outside the
     * WhatsApp 24-hour window, 21211: invalid 'To' number). Exception messages may quote the number, so
     * reasons carry codes only.
     */
    static SendOutcome classify(ApiException e, Optional<Response> response) {
        Integer status = e.getStatusCode();
        if (status == null) {
            // NetworkHttpClient wraps an IOException (refused, reset, timed out) without a status: only
            // one before the request left may be sent again.
            return SendOutcome.ofTransportFailure(e, "Twilio");
        }
        String codes = "Twilio HTTP " + status + (e.getCode() == null ? "" : ", error " + e.getCode());
        if (status == 429) {
            return new SendOutcome.Retryable("rate limited by Twilio (" + codes + ")",
                    response.flatMap(TwilioSender::retryAfter));
        }
        if (status >= 500) {
            return new SendOutcome.Retryable("Twilio server error (" + codes + ")", Optional.empty());
        }
        return new SendOutcome.Permanent("Twilio refused the message (" + codes + ")");
    }

    /** Retry-After in seconds; the HTTP-date form is not used by Twilio and is ignored. */
    static Optional<Duration> retryAfter(Response response) {
        Header[] headers = response.getHeaders();
        if (headers == null) {
            return Optional.empty();
        }
        return Arrays.stream(headers)
                .filter(h -> "Retry-After".equalsIgnoreCase(h.getName()))
                .findFirst()
                .flatMap(h -> {
                    try {
                        long seconds = Long.parseLong(h.getValue().trim());
                        return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
                    } catch (NumberFormatException notSeconds) {
                        return Optional.empty();
                    }
                });
    }
}

package org.civicbot.channels.twilio;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.civicbot.bot.Channel;
import org.civicbot.bot.inbound.InboundContent;
import org.civicbot.bot.inbound.InboundMessage;
import org.civicbot.bot.inbound.Intake;
import org.civicbot.bot.outbox.DeliveryStatus;
import org.civicbot.bot.outbox.StatusCallbacks;
import org.civicbot.channels.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Twilio's webhooks for WhatsApp: inbound messages and delivery status callbacks, both form-encoded and
 * signed with {@code X-Twilio-Signature}, which is checked before anything else.
 */
final class TwilioWebhooks {

    static final String INBOUND_PATH = "/webhooks/twilio/whatsapp";
    static final String STATUS_PATH = "/webhooks/twilio/status";
    /** The query parameter of our status callback URL that names the outbox entry (TwilioSender sets it). */
    static final String ENTRY_PARAM = "entry";

    /** Twilio allows at most 10 media per message. */
    private static final int MAX_MEDIA = 10;

    /**
     * Twilio's message statuses (https://www.twilio.com/docs/messaging/api/message-resource#message-status-values)
     * to ours. The pre-send states say the message is on its way; the outbox never moves an entry back.
     */
    static final Map<String, DeliveryStatus> STATUS_MAPPING = Map.of(
            "accepted", DeliveryStatus.SENDING,
            "scheduled", DeliveryStatus.SENDING,
            "queued", DeliveryStatus.SENDING,
            "sending", DeliveryStatus.SENDING,
            "sent", DeliveryStatus.SENT,
            "delivered", DeliveryStatus.DELIVERED,
            "read", DeliveryStatus.READ,
            "undelivered", DeliveryStatus.UNDELIVERED,
            "failed", DeliveryStatus.FAILED,
            "canceled", DeliveryStatus.FAILED);

    /** Statuses of inbound messages, which a status callback for one of ours never should carry. */
    static final Set<String> IGNORED_STATUSES = Set.of("receiving", "received");

    private static final Logger log = LoggerFactory.getLogger(TwilioWebhooks.class);
    private static final String EMPTY_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

    private final TwilioSignature signature;
    private final Intake intake;
    private final StatusCallbacks statusCallbacks;
    private final Clock clock;

    TwilioWebhooks(TwilioSignature signature, Intake intake, StatusCallbacks statusCallbacks, Clock clock) {
        this.signature = signature;
        this.intake = intake;
        this.statusCallbacks = statusCallbacks;
        this.clock = clock;
    }

    RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                .POST(INBOUND_PATH, this::inbound)
                .POST(STATUS_PATH, this::status)
                .build();
    }

    Mono<ServerResponse> inbound(ServerRequest request) {
        return signedForm(request, INBOUND_PATH).flatMap(form -> {
            if (form.isEmpty()) {
                return forbidden();
            }
            Map<String, String> params = form.get();
            String sid = params.get("MessageSid");
            String from = params.get("From");
            if (isBlank(sid) || isBlank(from)) {
                return Problems.respond(HttpStatus.BAD_REQUEST, "Incomplete Twilio message",
                        "The form must carry MessageSid and From; nothing was stored.");
            }
            InboundContent content;
            try {
                content = content(params);
            } catch (IllegalArgumentException e) {
                return Problems.respond(HttpStatus.BAD_REQUEST, "Unreadable Twilio message",
                        e.getMessage() + "; nothing was stored.");
            }
            InboundMessage message = new InboundMessage(Channel.WHATSAPP, sid, from,
                    blankToNull(params.get("ProfileName")), content, clock.instant());
            return intake.receive(message)
                    .switchIfEmpty(Mono.error(() -> new IllegalStateException("intake completed without a receipt")))
                    .flatMap(receipt -> {
                        log.info("Twilio message {} {}", sid, receipt);
                        return ServerResponse.ok().contentType(MediaType.TEXT_XML).bodyValue(EMPTY_TWIML);
                    })
                    .onErrorResume(e -> {
                        // no exception message: it may quote the stored document
                        log.error("Could not store Twilio message {}: {}", sid, e.getClass().getName());
                        return Problems.storageUnavailable();
                    });
        });
    }

    /** Always 200 once the signature holds: Twilio does nothing useful with an error on a status callback. */
    Mono<ServerResponse> status(ServerRequest request) {
        // Twilio signs the URL it called, query included: the entry id is part of what it signed.
        String query = request.uri().getRawQuery();
        String signedPath = query == null ? STATUS_PATH : STATUS_PATH + "?" + query;
        Optional<String> entry = request.queryParam(ENTRY_PARAM).filter(id -> !id.isBlank());
        return signedForm(request, signedPath).flatMap(form -> {
            if (form.isEmpty()) {
                return forbidden();
            }
            Map<String, String> params = form.get();
            String sid = params.get("MessageSid");
            String providerStatus = params.getOrDefault("MessageStatus", "").toLowerCase(Locale.ROOT);
            DeliveryStatus mapped = STATUS_MAPPING.get(providerStatus);
            if (isBlank(sid) || mapped == null) {
                log.info("Ignored Twilio status callback for {} with status '{}'", sid, abbreviate(providerStatus));
                return ServerResponse.ok().build();
            }
            String errorCode = blankToNull(params.get("ErrorCode"));
            Mono<Boolean> recorded = entry.isPresent()
                    ? statusCallbacks.updateEntry(Channel.WHATSAPP, entry.get(), sid, mapped, errorCode)
                    : statusCallbacks.update(Channel.WHATSAPP, sid, mapped, errorCode);
            return recorded
                    .doOnNext(moved -> log.info("Twilio status {} for {}: {}", mapped, sid, moved ? "moved" : "unchanged"))
                    .onErrorResume(e -> {
                        log.error("Could not record Twilio status {} for {}: {}", mapped, sid, e.getClass().getName());
                        return Mono.empty();
                    })
                    .then(ServerResponse.ok().build());
        });
    }

    /** The form's parameters when the signature holds, empty when it does not. */
    private Mono<Optional<Map<String, String>>> signedForm(ServerRequest request, String path) {
        String header = request.headers().firstHeader(TwilioSignature.HEADER);
        return request.formData().map(form -> {
            Map<String, String> params = form.toSingleValueMap();
            if (!signature.isValid(path, header, params)) {
                log.warn("Rejected a request to {}: {} X-Twilio-Signature", path, header == null ? "missing" : "invalid");
                return Optional.empty();
            }
            return Optional.of(params);
        });
    }

    private static Mono<ServerResponse> forbidden() {
        return Problems.respond(HttpStatus.FORBIDDEN, "Invalid Twilio signature",
                "X-Twilio-Signature is missing or does not match this request signed for civicbot.public-base-url;"
                        + " check civicbot.twilio.auth-token and civicbot.public-base-url.");
    }

    /**
     * The parameters of Twilio's WhatsApp webhook:
     * https://www.twilio.com/docs/messaging/guides/webhook-request
     */
    static InboundContent content(Map<String, String> params) {
        int numMedia = parseInt(params.getOrDefault("NumMedia", "0"), "NumMedia");
        if (numMedia > 0) {
            List<InboundContent.MediaRef> media = new ArrayList<>();
            String refused = null;
            for (int i = 0; i < Math.min(numMedia, MAX_MEDIA); i++) {
                String url = params.get("MediaUrl" + i);
                String type = blankToNull(params.get("MediaContentType" + i));
                String kind = unsupportedKind(type);
                if (kind != null) {
                    refused = refused == null ? kind : refused;
                } else if (!isBlank(url)) {
                    media.add(new InboundContent.MediaRef(url, type));
                }
            }
            if (!media.isEmpty()) {
                return new InboundContent.Media(media, blankToNull(params.get("Body")));
            }
            if (refused != null) {
                return new InboundContent.Unsupported(refused);
            }
        }
        String latitude = params.get("Latitude");
        String longitude = params.get("Longitude");
        if (!isBlank(latitude) && !isBlank(longitude)) {
            double lat = parseDouble(latitude, "Latitude");
            double lon = parseDouble(longitude, "Longitude");
            if (lat < -90 || lat > 90 || lon < -180 || lon > 180) {
                throw new IllegalArgumentException("Latitude or Longitude is out of range");
            }
            return new InboundContent.Location(lat, lon, blankToNull(params.get("Address")),
                    blankToNull(params.get("Label")));
        }
        return new InboundContent.Text(params.getOrDefault("Body", ""));
    }

    /**
     * What a WhatsApp media file the bot cannot take is, by its content type; null for a photo. WhatsApp sends
     * stickers as WebP images and contact cards as vCards.
     */
    static String unsupportedKind(String contentType) {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (type.startsWith("audio/")) {
            return "voice";
        }
        if (type.startsWith("video/")) {
            return "video";
        }
        if (type.equals("image/webp")) {
            return "sticker";
        }
        if (type.equals("text/vcard") || type.equals("text/x-vcard")) {
            return "contact";
        }
        if (type.startsWith("image/") || type.isEmpty()) {
            return null;
        }
        return "document";
    }

    private static int parseInt(String value, String name) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a number");
        }
    }

    private static double parseDouble(String value, String name) {
        try {
            double parsed = Double.parseDouble(value.trim());
            if (Double.isNaN(parsed) || Double.isInfinite(parsed)) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a number");
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static String blankToNull(String value) {
        return isBlank(value) ? null : value;
    }

    private static String abbreviate(String value) {
        return value.length() <= 20 ? value : value.substring(0, 20) + "...";
    }
}

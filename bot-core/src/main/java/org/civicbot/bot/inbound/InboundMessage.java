package org.civicbot.bot.inbound;

import java.time.Instant;
import java.util.Objects;
import org.civicbot.bot.Channel;

/**
 * A message a citizen sent, as a channel adapter parsed it from the provider's webhook.
 *
 * @param channel the channel it came on
 * @param providerId the provider's own id (Twilio MessageSid, Telegram update_id): the same id twice is
 *     the same message
 * @param address how we reach the citizen back on that channel (a {@code whatsapp:+34...} address or a
 *     Telegram chat id); personal data, never logged
 * @param displayName the name the provider gives for the citizen, if any
 * @param content what they sent
 * @param receivedAt when we received it
 * @param language the language the citizen's app is set to, when the channel tells it (Telegram's
 *     {@code language_code}, e.g. {@code es}); null otherwise
 */
public record InboundMessage(Channel channel, String providerId, String address, String displayName,
        InboundContent content, Instant receivedAt, String language) {

    public InboundMessage(Channel channel, String providerId, String address, String displayName,
            InboundContent content, Instant receivedAt) {
        this(channel, providerId, address, displayName, content, receivedAt, null);
    }

    public InboundMessage {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}

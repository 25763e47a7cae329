package org.civicbot.channels.telegram;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Telegram bot settings, bound from {@code civicbot.telegram.*}.
 *
 * @param botToken the bot's token; a secret, never logged (it is also part of every API URL)
 * @param webhookSecret the {@code secret_token} given to setWebhook, which Telegram echoes in a header
 * @param apiBaseUrl the Bot API base URL (another host only for tests or a local Bot API server)
 * @param maxPerSecond messages this instance sends a second at most: about 30 for a bot
 *     (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this), more with paid
 *     broadcasts; each instance keeps its own count, so several instances share the bot's limit between them
 */
@ConfigurationProperties("civicbot.telegram")
public record TelegramProperties(String botToken, String webhookSecret,
        @DefaultValue("https://api.telegram.org") URI apiBaseUrl, @DefaultValue("30") int maxPerSecond) {

    public TelegramProperties {
        if (maxPerSecond < 1) {
            throw new IllegalArgumentException("civicbot.telegram.max-per-second must be at least 1, not "
                    + maxPerSecond + " (a bot may send about 30 messages a second)");
        }
    }

    @Override
    public String toString() {
        return "TelegramProperties[botToken=***, webhookSecret=***, apiBaseUrl=" + apiBaseUrl
                + ", maxPerSecond=" + maxPerSecond + "]";
    }
}

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
 */
@ConfigurationProperties("civicbot.telegram")
public record TelegramProperties(String botToken, String webhookSecret,
        @DefaultValue("https://api.telegram.org") URI apiBaseUrl) {

    @Override
    public String toString() {
        return "TelegramProperties[botToken=***, webhookSecret=***, apiBaseUrl=" + apiBaseUrl + "]";
    }
}

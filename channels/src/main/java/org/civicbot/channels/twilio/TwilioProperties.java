package org.civicbot.channels.twilio;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Twilio credentials and our WhatsApp sender, bound from {@code civicbot.twilio.*}.
 *
 * @param accountSid the account (AC...) we send as and fetch media with
 * @param authToken signs webhooks and authenticates API calls; a secret, never logged
 * @param whatsappFrom our sender address, {@code whatsapp:+...}
 * @param apiBaseUrl Twilio's REST base URL (another host only for tests or a proxy)
 */
@ConfigurationProperties("civicbot.twilio")
public record TwilioProperties(String accountSid, String authToken, String whatsappFrom,
        @DefaultValue("https://api.twilio.com") URI apiBaseUrl) {

    @Override
    public String toString() {
        return "TwilioProperties[accountSid=" + accountSid + ", authToken=***, whatsappFrom=***, apiBaseUrl="
                + apiBaseUrl + "]";
    }
}

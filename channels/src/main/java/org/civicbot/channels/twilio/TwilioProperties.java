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
 * @param maxPerSecond messages this instance sends a second at most: 80 is a WhatsApp sender's default
 *     throughput (https://www.twilio.com/docs/whatsapp/api#throughput), which Twilio can raise; each instance
 *     keeps its own count, so several instances share the sender's throughput between them
 */
@ConfigurationProperties("civicbot.twilio")
public record TwilioProperties(String accountSid, String authToken, String whatsappFrom,
        @DefaultValue("https://api.twilio.com") URI apiBaseUrl, @DefaultValue("80") int maxPerSecond) {

    public TwilioProperties {
        if (maxPerSecond < 1) {
            throw new IllegalArgumentException("civicbot.twilio.max-per-second must be at least 1, not "
                    + maxPerSecond + " (a WhatsApp sender's default throughput is 80 messages a second)");
        }
    }

    @Override
    public String toString() {
        return "TwilioProperties[accountSid=" + accountSid + ", authToken=***, whatsappFrom=***, apiBaseUrl="
                + apiBaseUrl + ", maxPerSecond=" + maxPerSecond + "]";
    }
}

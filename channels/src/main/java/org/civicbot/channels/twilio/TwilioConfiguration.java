package org.civicbot.channels.twilio;

import com.twilio.http.TwilioRestClient;
import java.time.Clock;
import org.civicbot.bot.inbound.Intake;
import org.civicbot.bot.outbox.StatusCallbacks;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/** The WhatsApp channel through Twilio; off unless {@code civicbot.twilio.account-sid} is set. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "civicbot.twilio", name = "account-sid")
@EnableConfigurationProperties(TwilioProperties.class)
class TwilioConfiguration {

    TwilioConfiguration(TwilioProperties properties) {
        requireSettings(properties);
    }

    @Bean
    RewritingHttpClient twilioHttpClient(TwilioProperties properties) {
        return new RewritingHttpClient(properties.apiBaseUrl());
    }

    @Bean
    TwilioRestClient twilioRestClient(TwilioProperties properties, RewritingHttpClient twilioHttpClient) {
        return new TwilioRestClient.Builder(properties.accountSid(), properties.authToken())
                .httpClient(twilioHttpClient)
                .build();
    }

    @Bean
    TwilioSender twilioSender(TwilioProperties properties, RewritingHttpClient twilioHttpClient,
            TwilioRestClient client,
            @Value("${civicbot.public-base-url:http://localhost:8080}") String publicBaseUrl) {
        String base = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
        return new TwilioSender(client, twilioHttpClient, properties.whatsappFrom(), base + TwilioWebhooks.STATUS_PATH,
                properties.maxPerSecond());
    }

    @Bean
    TwilioMediaFetcher twilioMediaFetcher(TwilioProperties properties, TwilioRestClient client) {
        return new TwilioMediaFetcher(properties.apiBaseUrl(), properties.accountSid(), properties.authToken(), client);
    }

    @Bean
    RouterFunction<ServerResponse> twilioRoutes(TwilioProperties properties,
            @Value("${civicbot.public-base-url:http://localhost:8080}") String publicBaseUrl, Intake intake,
            StatusCallbacks statusCallbacks, ObjectProvider<Clock> clock) {
        TwilioSignature signature = new TwilioSignature(properties.authToken(), publicBaseUrl);
        return new TwilioWebhooks(signature, intake, statusCallbacks, clock.getIfAvailable(Clock::systemUTC))
                .routes();
    }

    private static void requireSettings(TwilioProperties properties) {
        if (properties.authToken() == null || properties.authToken().isBlank()) {
            throw new IllegalStateException(
                    "civicbot.twilio.auth-token must be set when civicbot.twilio.account-sid is");
        }
        if (properties.whatsappFrom() == null || !properties.whatsappFrom().startsWith("whatsapp:")) {
            throw new IllegalStateException(
                    "civicbot.twilio.whatsapp-from must be our WhatsApp sender, e.g. whatsapp:+34600000000");
        }
    }
}

package org.civicbot.channels.telegram;

import java.time.Clock;
import org.civicbot.bot.inbound.Intake;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.telegram.telegrambots.meta.generics.TelegramClient;

/** The Telegram channel; off unless {@code civicbot.telegram.bot-token} is set. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "civicbot.telegram", name = "bot-token")
@EnableConfigurationProperties(TelegramProperties.class)
class TelegramConfiguration {

    TelegramConfiguration(TelegramProperties properties) {
        // without a secret anyone who guesses the URL could post updates in any citizen's name
        if (properties.webhookSecret() == null || properties.webhookSecret().isBlank()) {
            throw new IllegalStateException(
                    "civicbot.telegram.webhook-secret must be set when civicbot.telegram.bot-token is;"
                            + " give the same value as secret_token to setWebhook");
        }
    }

    @Bean
    TelegramClient telegramClient(TelegramProperties properties) {
        return TelegramClients.create(properties.botToken(), properties.apiBaseUrl());
    }

    @Bean
    TelegramSender telegramSender(TelegramClient telegramClient, TelegramProperties properties) {
        return new TelegramSender(telegramClient, properties.maxPerSecond());
    }

    @Bean
    TelegramMediaFetcher telegramMediaFetcher(TelegramClient telegramClient, TelegramProperties properties) {
        return new TelegramMediaFetcher(telegramClient, properties.apiBaseUrl(), properties.botToken());
    }

    @Bean
    RouterFunction<ServerResponse> telegramRoutes(TelegramProperties properties, Intake intake,
            TelegramClient telegramClient, ObjectProvider<Clock> clock) {
        return new TelegramWebhook(properties.webhookSecret(), intake, new CallbackAnswers(telegramClient),
                clock.getIfAvailable(Clock::systemUTC)).routes();
    }
}

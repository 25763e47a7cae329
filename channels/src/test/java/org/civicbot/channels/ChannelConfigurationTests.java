package org.civicbot.channels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.civicbot.bot.device.DeviceAlert;
import org.civicbot.bot.device.DeviceAlerts;
import org.civicbot.bot.inbound.Intake;
import org.civicbot.bot.media.MediaFetcher;
import org.civicbot.bot.outbox.ChannelSender;
import org.civicbot.bot.Channel;
import org.civicbot.bot.outbox.DeliveryStatus;
import org.civicbot.bot.outbox.StatusCallbacks;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;

class ChannelConfigurationTests {

    /** What the app does: scan {@code org.civicbot.channels}. */
    @Configuration(proxyBeanMethods = false)
    @ComponentScan("org.civicbot.channels")
    static class Scan {}

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Scan.class)
            .withBean(Intake.class, RecordingIntake::new)
            .withBean(StatusCallbacks.class, () -> new StatusCallbacks() {
                @Override
                public Mono<Boolean> update(Channel channel, String id, DeliveryStatus status, String error) {
                    return Mono.just(true);
                }

                @Override
                public Mono<Boolean> updateEntry(Channel channel, String entryId, String id, DeliveryStatus status,
                        String error) {
                    return Mono.just(true);
                }
            })
            .withBean(DeviceAlerts.class, () -> new DeviceAlerts() {
                @Override
                public Mono<Optional<org.civicbot.bot.device.Device>> authenticate(String bearerToken) {
                    return Mono.just(Optional.empty());
                }

                @Override
                public Mono<Receipt> report(org.civicbot.bot.device.Device device, DeviceAlert alert) {
                    return Mono.error(new UnsupportedOperationException());
                }

                @Override
                public boolean signed(org.civicbot.bot.device.Device device, String timestamp, String signature,
                        String body) {
                    return false;
                }

                @Override
                public Mono<Optional<java.time.Duration>> throttled(org.civicbot.bot.device.Device device) {
                    return Mono.just(Optional.empty());
                }
            });

    @Test
    void leavesBothChannelsOffWithoutCredentials() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBeansOfType(ChannelSender.class)).isEmpty();
            assertThat(context.getBeansOfType(MediaFetcher.class)).isEmpty();
        });
    }

    @Test
    void turnsEachChannelOnWithItsCredentials() {
        runner.withPropertyValues("civicbot.twilio.account-sid=ACtest", "civicbot.twilio.auth-token=t",
                        "civicbot.twilio.whatsapp-from=whatsapp:+34930000000",
                        "civicbot.telegram.bot-token=123:abc", "civicbot.telegram.webhook-secret=s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBeansOfType(ChannelSender.class).values())
                            .extracting(ChannelSender::channel)
                            .containsExactlyInAnyOrder(org.civicbot.bot.Channel.WHATSAPP, org.civicbot.bot.Channel.TELEGRAM);
                    assertThat(context.getBeansOfType(MediaFetcher.class)).hasSize(2);
                });
    }

    @Test
    void refusesToStartTelegramWithoutAWebhookSecret() {
        runner.withPropertyValues("civicbot.telegram.bot-token=123:abc")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("civicbot.telegram.webhook-secret"));
    }

    @Test
    void takesEachProvidersRateLimitFromItsProperty() {
        runner.withPropertyValues("civicbot.twilio.account-sid=ACtest", "civicbot.twilio.auth-token=t",
                        "civicbot.twilio.whatsapp-from=whatsapp:+34930000000", "civicbot.twilio.max-per-second=200",
                        "civicbot.telegram.bot-token=123:abc", "civicbot.telegram.webhook-secret=s",
                        "civicbot.telegram.max-per-second=1000")
                .run(context -> assertThat(context.getBeansOfType(ChannelSender.class).values())
                        .extracting(ChannelSender::channel, ChannelSender::maxPerSecond)
                        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(Channel.WHATSAPP, 200),
                                org.assertj.core.groups.Tuple.tuple(Channel.TELEGRAM, 1000)));
    }

    @Test
    void keepsTheProvidersPublishedRatesByDefault() {
        runner.withPropertyValues("civicbot.twilio.account-sid=ACtest", "civicbot.twilio.auth-token=t",
                        "civicbot.twilio.whatsapp-from=whatsapp:+34930000000",
                        "civicbot.telegram.bot-token=123:abc", "civicbot.telegram.webhook-secret=s")
                .run(context -> assertThat(context.getBeansOfType(ChannelSender.class).values())
                        .extracting(ChannelSender::channel, ChannelSender::maxPerSecond)
                        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(Channel.WHATSAPP, 80),
                                org.assertj.core.groups.Tuple.tuple(Channel.TELEGRAM, 30)));
    }

    @Test
    void refusesARateLimitBelowOne() {
        runner.withPropertyValues("civicbot.telegram.bot-token=123:abc", "civicbot.telegram.webhook-secret=s",
                        "civicbot.telegram.max-per-second=0")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("civicbot.telegram.max-per-second must be at least 1, not 0"));
        runner.withPropertyValues("civicbot.twilio.account-sid=ACtest", "civicbot.twilio.auth-token=t",
                        "civicbot.twilio.whatsapp-from=whatsapp:+34930000000", "civicbot.twilio.max-per-second=-5")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("civicbot.twilio.max-per-second must be at least 1, not -5"));
    }
}

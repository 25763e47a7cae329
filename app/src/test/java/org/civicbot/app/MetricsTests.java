package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.ConversationIds;
import org.junit.jupiter.api.Test;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The message path's figures in Prometheus' format, moving as messages go through: the text the
 * management port's {@code /actuator/prometheus} serves. (That endpoint itself is scraped from the real
 * jar by CrashProcessTests and by .ci/run: in this JVM, apps that other tests start and stop take the
 * shared context's management server down with Reactor Netty's global resources.)
 */
class MetricsTests extends FullStackTest {

    @Autowired
    PrometheusMeterRegistry prometheus;

    String scrape() {
        return prometheus.scrape();
    }

    /** The value of a series (name and labels exactly as scraped), 0 when it is not there yet. */
    static double value(String scraped, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(scraped);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void countsAndTimesWhatGoesThroughTheMessagePath() {
        String before = scrape();
        long chat = Providers.newChat();
        long update = Providers.nextUpdateId();
        String hola = Providers.telegramText(update, chat, "Jordi", "Serra", "hola");
        telegram(update, hola);
        postTelegram(hola).expectStatus().isOk().expectBody().returnResult();
        awaitOutboxSettled(conversationIds.of(Channel.TELEGRAM, String.valueOf(chat)));

        await().atMost(PATIENCE).untilAsserted(() -> {
            String after = scrape();
            for (String series : new String[] {
                    "civicbot_inbound_accepted_total{channel=\"TELEGRAM\"}",
                    "civicbot_inbound_duplicates_total{channel=\"TELEGRAM\"}",
                    "civicbot_turn_seconds_count",
                    "civicbot_outbox_sends_total{channel=\"TELEGRAM\",outcome=\"sent\"}",
                    "civicbot_reply_latency_seconds_count{channel=\"TELEGRAM\"}",
                    "civicbot_webhook_ack_seconds_count{endpoint=\"/webhooks/telegram\"}"}) {
                assertThat(value(after, series)).as(series).isGreaterThan(value(before, series));
            }
            assertThat(after).contains("civicbot_inbound_backlog ").contains("civicbot_outbox_backlog{channel=\"TELEGRAM\"}")
                    .contains("civicbot_webhook_ack_seconds_bucket");
        });
    }

    @Test
    void keepsHealthOnTheMainPortWithOnlyTheStatusAndMetricsOffIt() {
        web.get().uri("/actuator/health").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP").jsonPath("$.components").doesNotExist();
        web.get().uri("/actuator/prometheus").exchange().expectStatus().value(status ->
                assertThat(status).isNotEqualTo(200));
    }
}

package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** The start-up report names what is on, what is off and what to set, and the address to open; never a secret. */
class StartupReportTests {

    @Test
    void saysWhichChannelsAreOffAndWhatToSet() {
        MockEnvironment env = new MockEnvironment().withProperty("local.server.port", "8085");
        String report = String.join("\n", StartupReport.lines(env, 1));
        assertThat(report).contains("Open http://localhost:8085/").contains("http://localhost:8085/try")
                .contains("WhatsApp (Twilio): off. To turn it on, set civicbot.twilio.account-sid")
                .contains("Telegram: off. To turn it on, set civicbot.telegram.bot-token")
                .contains("Store: embedded").contains("Flows: revision 1")
                .contains("Town: the demo town's name").contains("Live information: no source is set");
        env.withProperty("civicbot.town.name", "Ajuntament de Manlleu")
                .withProperty("civicbot.town.website", "https://www.manlleu.cat")
                .withProperty("civicbot.content.sources.news.url", "https://www.manlleu.cat/rss");
        report = String.join("\n", StartupReport.lines(env, 1));
        assertThat(report).contains("Town: Ajuntament de Manlleu, https://www.manlleu.cat.")
                .contains("Live information: only news;");
    }

    @Test
    void saysWhereProvidersCallWhenChannelsAreOnWithoutTheirSecrets() {
        MockEnvironment env = new MockEnvironment().withProperty("civicbot.public-base-url", "https://bot.town.cat/")
                .withProperty("civicbot.twilio.account-sid", "AC123secret")
                .withProperty("civicbot.twilio.auth-token", "token-secret")
                .withProperty("civicbot.twilio.whatsapp-from", "whatsapp:+34600000000")
                .withProperty("civicbot.telegram.bot-token", "123:telegram-secret")
                .withProperty("civicbot.telegram.webhook-secret", "hook-secret");
        String report = String.join("\n", StartupReport.lines(env, 4));
        assertThat(report).contains("WhatsApp (Twilio): on. Twilio's webhook: https://bot.town.cat/webhooks/twilio/whatsapp")
                .contains("Telegram: on. setWebhook to https://bot.town.cat/webhooks/telegram")
                .doesNotContain("token-secret").doesNotContain("hook-secret").doesNotContain("telegram-secret").doesNotContain("AC123").doesNotContain("+34600000000");
    }
}

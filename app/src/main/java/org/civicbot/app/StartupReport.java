package org.civicbot.app;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.PropertyResolver;
import org.springframework.stereotype.Component;

/**
 * Says at start what a newcomer needs: the address to open, where to talk to the bot without a phone, which
 * channels are on, which are off and what to set to turn them on, and the webhook addresses to give the providers.
 * Names settings only, never their values.
 */
@Component
class StartupReport {

    private static final Logger log = LoggerFactory.getLogger(StartupReport.class);
    /** The website of the demo town {@code application.yml} ships: still set means the town was not configured. */
    static final String DEMO_WEBSITE = "https://www.santaeulaliadebages.cat";

    @EventListener(ApplicationReadyEvent.class)
    void report(ApplicationReadyEvent ready) {
        log.info("\n{}", String.join("\n", lines(ready.getApplicationContext().getEnvironment(),
                ready.getApplicationContext().getBean(org.civicbot.bot.content.FlowSync.class).current())));
    }

    static List<String> lines(PropertyResolver env, long revision) {
        String port = env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
        String local = "http://localhost:" + port;
        String base = trimmed(env.getProperty("civicbot.public-base-url", local));
        List<String> lines = new ArrayList<>();
        lines.add("civicbot is ready. Open " + local + "/ and sign in; " + local
                + "/try talks to the bot as a citizen would, with nothing sent.");
        lines.add(set(env, "civicbot.twilio.account-sid", "civicbot.twilio.auth-token", "civicbot.twilio.whatsapp-from")
                ? "WhatsApp (Twilio): on. Twilio's webhook: " + base + "/webhooks/twilio/whatsapp"
                : "WhatsApp (Twilio): off. To turn it on, set civicbot.twilio.account-sid, civicbot.twilio.auth-token "
                        + "and civicbot.twilio.whatsapp-from, and civicbot.public-base-url to the address Twilio "
                        + "reaches.");
        lines.add(set(env, "civicbot.telegram.bot-token", "civicbot.telegram.webhook-secret")
                ? "Telegram: on. setWebhook to " + base + "/webhooks/telegram with the webhook secret."
                : "Telegram: off. To turn it on, set civicbot.telegram.bot-token and civicbot.telegram.webhook-secret, "
                        + "and civicbot.public-base-url to the address Telegram reaches.");
        lines.add(set(env, "spring.mail.host")
                ? "E-mail to staff and suppliers: on."
                : "E-mail to staff and suppliers: off. To turn it on, set spring.mail.host (and .port, .username, "
                        + ".password) and civicbot.mail.from.");
        lines.add(set(env, "spring.mongodb.uri")
                ? "Store: MongoDB (spring.mongodb.uri)."
                : "Store: embedded, under " + env.getProperty("civicbot.data-dir", "./data") + " (spring.mongodb.uri "
                        + "for a MongoDB server).");
        lines.add("Flows: revision " + revision + " (content editors change them at " + local + "/flows).");
        String website = env.getProperty("civicbot.town.website", "");
        lines.add(website.isBlank() || website.equals(DEMO_WEBSITE)
                ? "Town: the demo town's name, website, phone and privacy page. Set civicbot.town.name, .website, "
                        + ".phone, .address and .privacy-url to your town hall's (README, \"Your town\")."
                : "Town: " + env.getProperty("civicbot.town.name", "") + ", " + website + ".");
        List<String> sources = new ArrayList<>();
        for (String name : List.of("news", "agenda", "pharmacies")) {
            if (set(env, "civicbot.content.sources." + name + ".url")) {
                sources.add(name);
            }
        }
        lines.add(sources.size() == 3 ? "Live information: news, agenda and pharmacies read from their sources."
                : "Live information: " + (sources.isEmpty() ? "no source is set" : "only " + String.join(", ", sources))
                        + "; the chat says it cannot look the rest up. Set civicbot.content.sources.<news|agenda|"
                        + "pharmacies>.url and .kind (README, \"Live information sources\").");
        return lines;
    }

    private static boolean set(PropertyResolver env, String... names) {
        for (String name : names) {
            String value = env.getProperty(name);
            if (value == null || value.isBlank()) {
                return false;
            }
        }
        return true;
    }

    private static String trimmed(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}

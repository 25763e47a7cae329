package org.civicbot.app.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.civicbot.backoffice.staff.StaffUser;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.outbox.OutboxEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Any staff member tries the bot in the page, as WhatsApp or as Telegram, in any language, before a provider is
 * connected; an editor previews a draft there before publishing it. Nothing is sent or created.
 */
class TryBotBrowserTests extends BrowserStack {

    @RegisterExtension
    static final Browser browser = new Browser();

    @Test
    void anAgentTalksToTheBotAsOnWhatsAppAndTelegramAndNothingIsCreated() {
        staff("try-agent", StaffUser.Role.AGENT);
        long conversations = mongo.count(new org.springframework.data.mongodb.core.query.Query(), Conversation.class)
                .block();
        long incidents = mongo.count(new org.springframework.data.mongodb.core.query.Query(), Incident.class).block();
        long outbox = mongo.count(new org.springframework.data.mongodb.core.query.Query(), OutboxEntry.class).block();

        browser.forgetCookies();
        browser.login("try-agent", STAFF_PASSWORD);
        assertThat(browser.all(By.id("nav-try"))).as("in every staff member's menu").hasSize(1);
        browser.open("/try?lang=ca");
        browser.waitFor(ExpectedConditions.presenceOfElementLocated(By.id("try-chat")), "the try page");
        say("hola", 1);
        String menu = String.join("\n", browser.texts(By.cssSelector("#try-chat .try-bubble.bot .try-bubble-text")));
        assertThat(menu).contains("Sóc l'assistent de l'Ajuntament").contains("1. Comunicar una incidència");
        browser.screenshot("whatsapp");

        // Telegram: the same menu as buttons; a press goes on with the flow.
        browser.click(By.id("channel-telegram"));
        say("hola", 1);
        assertThat(browser.texts(By.cssSelector("#try-chat .option-button"))).contains("Comunicar una incidència");
        browser.driver().findElements(By.cssSelector("#try-chat .option-button")).stream()
                .filter(b -> b.getText().equals("Comunicar una incidència")).findFirst().orElseThrow().click();
        browser.waitFor(ExpectedConditions.attributeToBe(By.id("try-chat"), "data-turns", "2"), "the next question");
        browser.screenshot("telegram");

        // In Spanish from the start.
        new org.openqa.selenium.support.ui.Select(browser.driver().findElement(By.id("try-language")))
                .selectByValue("es");
        say("hola", 1);
        assertThat(String.join("\n", browser.texts(By.cssSelector("#try-chat .try-bubble.bot .try-bubble-text"))))
                .contains("Soy el asistente del Ayuntamiento");

        assertThat(mongo.count(new org.springframework.data.mongodb.core.query.Query(), Conversation.class).block())
                .isEqualTo(conversations);
        assertThat(mongo.count(new org.springframework.data.mongodb.core.query.Query(), Incident.class).block())
                .isEqualTo(incidents);
        assertThat(mongo.count(new org.springframework.data.mongodb.core.query.Query(), OutboxEntry.class).block())
                .isEqualTo(outbox);
    }

    @Test
    void anEditorPreviewsADraftBeforePublishingIt() {
        staff("try-editor", StaffUser.Role.EDITOR);
        org.civicbot.backoffice.content.FlowEditing editing = editing();
        String published = editing.yaml("main").block();
        String draft = published.replace("Hola! Sóc l'assistent de l'Ajuntament.", "Hola! Sóc l'esborrany nou.");
        try {
            editing.save("main", draft, "try-editor").block();
            browser.forgetCookies();
            browser.login("try-editor", STAFF_PASSWORD);
            browser.open("/try?lang=ca");
            new org.openqa.selenium.support.ui.Select(browser.driver().findElement(By.id("try-flows")))
                    .selectByValue("drafts");
            say("hola", 1);
            assertThat(String.join("\n", browser.texts(By.cssSelector("#try-chat .try-bubble.bot .try-bubble-text"))))
                    .contains("Sóc l'esborrany nou.");
            new org.openqa.selenium.support.ui.Select(browser.driver().findElement(By.id("try-flows")))
                    .selectByValue("published");
            say("hola", 1);
            assertThat(String.join("\n", browser.texts(By.cssSelector("#try-chat .try-bubble.bot .try-bubble-text"))))
                    .contains("Sóc l'assistent de l'Ajuntament.").doesNotContain("esborrany");
        } finally {
            // The draft goes, so other tests preview nothing of this one.
            assertThat(editing.discard("main").block()).isTrue();
        }
    }

    private org.civicbot.backoffice.content.FlowEditing editing() {
        return context.getBean(org.civicbot.backoffice.content.FlowEditing.class);
    }

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.context.ApplicationContext context;

    private void say(String text, int turns) {
        browser.fill(By.id("try-text"), text);
        browser.click(By.id("try-send"));
        browser.waitFor(ExpectedConditions.attributeToBe(By.id("try-chat"), "data-turns", String.valueOf(turns)),
                "the bot's answer to " + text);
    }
}

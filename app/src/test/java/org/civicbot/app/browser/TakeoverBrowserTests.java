package org.civicbot.app.browser;

import org.civicbot.app.Providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** Staff take a conversation over in the browser, answer, see the citizen live, and give it back to the bot. */
class TakeoverBrowserTests extends BrowserStack {

    @RegisterExtension
    static final Browser browser = new Browser();

    static final List<String> MAIN_MENU = List.of("Hola! Sóc l'assistent", "¡Hola! Soy el asistente",
            "Hi! I'm the town hall's assistant");

    /**
     * On WhatsApp the page says how long free text can still go; once the citizen's last message is more than
     * 24 hours old, it says why only the template can, and the composer sends it and holds the reply.
     */
    @Test
    void showsWhatsAppsWindowAndOffersTheTemplateOnceItIsClosed() {
        String citizen = "whatsapp:+34600001951";
        whatsapp(citizen, "hola");
        whatsapp(citizen, "persona");
        String id = conversationIds.of(org.civicbot.bot.Channel.WHATSAPP, citizen);
        awaitOutboxSettled(id);

        browser.login(ADMIN, ADMIN_PASSWORD);
        browser.open("/conversations/" + id);
        browser.click(By.id("takeover"));
        browser.waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("window-left")), "the window's time left");
        assertThat(browser.text(By.id("window-left"))).startsWith("WhatsApp: 23 h left").contains("until");
        browser.screenshot("whatsapp-window-open");

        mongo.updateFirst(org.springframework.data.mongodb.core.query.Query.query(
                        org.springframework.data.mongodb.core.query.Criteria.where("_id").is(id)),
                new org.springframework.data.mongodb.core.query.Update().set("lastInboundAt",
                        java.time.Instant.now().minus(java.time.Duration.ofHours(30))),
                org.civicbot.bot.conversation.Conversation.class).block();
        browser.open("/conversations/" + id);
        assertThat(browser.text(By.id("window-closed"))).contains("more than 24 hours ago");
        assertThat(browser.text(By.id("reply-send"))).isEqualTo("Send the template and hold the reply");
        browser.screenshot("whatsapp-window-closed");
        browser.fill(By.id("reply-text"), "Ja està arreglat.");
        browser.click(By.id("reply-send"));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(conversation(org.civicbot.bot.Channel.WHATSAPP, citizen)
                .heldMessages()).extracting(org.civicbot.bot.conversation.Conversation.HeldMessage::text)
                .containsExactly("Ja està arreglat."));
    }

    @Test
    void takesOverAnswersSeesTheCitizenLiveWhileTheBotIsSilentAndReleasesToTheBot() {
        long chat = Providers.newChat();
        String id = conversationId(chat);
        telegram(chat, "Jordi", "Serra", "hola");
        telegram(chat, "Jordi", "Serra", "persona");
        awaitOutboxSettled(id);
        List<String> beforeTakeover = Providers.telegramTextsTo(chat);
        assertThat(beforeTakeover).as("the bot answered hola and persona").isNotEmpty();

        browser.login(ADMIN, ADMIN_PASSWORD);
        browser.open("/conversations/" + id);
        assertThat(browser.attribute(By.id("conversation-status"), "data-status")).isEqualTo("AWAITING_AGENT");
        assertThat(browser.text(By.id("conversation-status"))).isEqualTo("Waiting for a person");
        browser.screenshot("awaiting");

        browser.click(By.id("takeover"));
        browser.waitFor(ExpectedConditions.attributeToBe(By.id("conversation-status"), "data-status", "AGENT"),
                "status AGENT");
        assertThat(browser.text(By.id("conversation-assignee"))).containsIgnoringCase("admin");
        browser.screenshot("taken-over");

        // A double click on send must still send once (the form's idempotency key).
        String reply = "Bon dia, soc a l'Ajuntament. Quin és el problema? (" + chat + ")";
        browser.fill(By.id("reply-text"), reply);
        new Actions(browser.driver()).doubleClick(browser.driver().findElement(By.id("reply-send"))).perform();
        await().atMost(PATIENCE).until(() -> Providers.telegramTextsTo(chat).contains(reply));
        browser.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), reply), "the reply in the timeline");
        assertThat(browser.texts(By.cssSelector("#timeline .message[data-author=STAFF] .text"))).containsOnlyOnce(reply);
        browser.screenshot("replied");

        // The citizen answers: it shows up live, and the bot says nothing.
        String marker = browser.mark();
        String citizenText = "Hi ha un forat a la vorera del carrer Major " + chat;
        telegram(chat, "Jordi", "Serra", citizenText);
        browser.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), citizenText),
                "the citizen's message in the timeline");
        assertThat(browser.texts(By.cssSelector("#timeline .message[data-author=CITIZEN] .text"))).contains(citizenText);
        assertThat(browser.samePage(marker)).as("the timeline changed without a reload").isTrue();
        browser.screenshot("citizen-live");
        awaitOutboxSettled(id);
        List<String> expected = new ArrayList<>(beforeTakeover);
        expected.add(reply);
        assertThat(Providers.telegramTextsTo(chat)).as("only the staff reply, once, was sent while staff owned it")
                .isEqualTo(expected);

        // The bot may take over at a question that starts something, named by what it asks; never mid-errand.
        assertThat(browser.texts(By.cssSelector("#release-node option")))
                .contains("Main menu", "Which language would you like us to use?")
                .noneMatch(label -> label.contains("/"));
        assertThat(browser.all(By.cssSelector("#release-node option[value='incident/address']"))).isEmpty();

        // Back to the bot, at the main menu, with a note to the citizen.
        String note = "Et torno a passar amb l'assistent. (" + chat + ")";
        browser.fill(By.id("release-note"), note);
        browser.click(By.id("release-submit"));
        browser.waitFor(ExpectedConditions.attributeToBe(By.id("conversation-status"), "data-status", "BOT"),
                "status BOT");
        browser.screenshot("released");
        await().atMost(PATIENCE).until(() -> Providers.telegramTextsTo(chat).contains(note));
        awaitOutboxSettled(id);
        long menusAfterRelease = mainMenus(Providers.telegramTextsTo(chat));

        telegram(chat, "Jordi", "Serra", "hola");
        await().atMost(PATIENCE).until(() -> mainMenus(Providers.telegramTextsTo(chat)) == menusAfterRelease + 1);
        browser.waitFor(driver -> mainMenus(browser.texts(By.cssSelector("#timeline .message[data-author=BOT] .text")))
                == menusAfterRelease + 1, "the bot's new menu in the timeline");
        browser.screenshot("bot-answers-again");
    }

    /**
     * A citizen whose report ended with a person: the page shows what they had told the bot, staff complete it and
     * register it, and land on the new incident.
     */
    @Test
    void registersTheReportACitizenLeftUnfinishedWithTheBot() {
        String citizen = "whatsapp:+34600001952";
        for (String text : List.of("hola", "1", "3", "El fanal de davant de l'escola fa pampallugues",
                "Plaça de Sant Domènec 3", "zzz", "qqq", "xxx")) {
            whatsapp(citizen, text);
        }
        String id = conversationIds.of(org.civicbot.bot.Channel.WHATSAPP, citizen);
        awaitOutboxSettled(id);

        browser.login(ADMIN, ADMIN_PASSWORD);
        browser.open("/conversations/" + id);
        assertThat(browser.text(By.cssSelector("#draft h2"))).isEqualTo("Unfinished report");
        assertThat(browser.value(By.id("draft-category"))).isEqualTo("street_lighting");
        assertThat(browser.value(By.id("draft-description")))
                .isEqualTo("El fanal de davant de l'escola fa pampallugues");
        assertThat(browser.value(By.id("draft-address"))).isEqualTo("Plaça de Sant Domènec 3");
        browser.screenshot("draft");

        browser.fill(By.id("draft-description"), "El fanal de davant de l'escola fa pampallugues des de dilluns");
        browser.click(By.id("draft-register"));
        browser.waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("incident-code")), "the new incident");
        String code = browser.text(By.id("incident-code"));
        assertThat(browser.text(By.cssSelector(".flash-ok"))).isEqualTo("Incident " + code
                + " registered; the citizen gets the code.");
        assertThat(browser.text(By.id("incident-description")))
                .isEqualTo("El fanal de davant de l'escola fa pampallugues des de dilluns");
        browser.screenshot("draft-registered");
        await().atMost(PATIENCE).until(() -> Providers.twilioBodiesTo(citizen).stream().anyMatch(b -> b.contains(code)));

        browser.open("/conversations/" + id);
        assertThat(browser.all(By.id("draft"))).as("the draft, once registered, is not offered again").isEmpty();
        browser.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"),
                "Message from the town hall · Hem registrat la teva incidència"), "the registration notice, in words");
    }

    static long mainMenus(List<String> texts) {
        return texts.stream().filter(t -> MAIN_MENU.stream().anyMatch(t::startsWith)).count();
    }
}

package org.civicbot.app.browser;

import org.civicbot.app.Providers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** What citizens write (their messages and their names) is shown as text, and never runs. */
class EscapingBrowserTests extends BrowserStack {

    @RegisterExtension
    static final Browser browser = new Browser();

    static final String FIRST_NAME = "<img src=x onerror=\"window.__pwned=1\">";
    static final String LAST_NAME = "<script>window.__pwned=1</script>";
    static final String NAME = FIRST_NAME + " " + LAST_NAME;
    static final String SCRIPT_TEXT = "<script>window.__pwned=1</script> hi ha un forat";
    static final String IMG_TEXT = "<img src=x onerror=\"window.__pwned=1\"> al carrer";

    @Test
    void showsHostileNamesAndMessagesAsLiteralTextInTheInboxAndTheTimeline() {
        long chat = Providers.newChat();
        String id = conversationId(chat);
        String inQueue = "#queue li.conversation[data-conversation-id='" + id + "']";
        By queued = By.cssSelector(inQueue);

        browser.login(ADMIN, ADMIN_PASSWORD);
        browser.open("/inbox");
        browser.waitFor(ExpectedConditions.presenceOfElementLocated(By.id("queue")), "the queue");
        telegram(chat, FIRST_NAME, LAST_NAME, "hola");
        telegram(chat, FIRST_NAME, LAST_NAME, "persona");
        telegram(chat, FIRST_NAME, LAST_NAME, SCRIPT_TEXT);

        // In the inbox, as it arrived live (a fragment swapped in) and on a fresh load.
        browser.waitFor(ExpectedConditions.visibilityOfElementLocated(queued), "the queued conversation");
        assertThat(browser.text(By.cssSelector(inQueue + " .contact-name"))).isEqualTo(NAME);
        assertLiteral("#queue");
        browser.screenshot("inbox-live");
        browser.driver().navigate().refresh();
        browser.waitFor(ExpectedConditions.visibilityOfElementLocated(queued), "the queued conversation");
        assertThat(browser.text(By.cssSelector(inQueue + " .contact-name"))).isEqualTo(NAME);
        assertLiteral("#queue");
        browser.screenshot("inbox-loaded");

        // In the conversation: its header and the timeline, as loaded and as updated live.
        browser.open("/conversations/" + id);
        browser.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), SCRIPT_TEXT),
                "the message with a script tag, as text");
        assertThat(browser.text(By.cssSelector("#conversation-meta .contact-name"))).isEqualTo(NAME);
        assertThat(browser.driver().getTitle()).contains(NAME);
        assertThat(texts()).contains(SCRIPT_TEXT);
        assertLiteral("body");
        browser.screenshot("timeline-loaded");

        String marker = browser.mark();
        telegram(chat, FIRST_NAME, LAST_NAME, IMG_TEXT);
        browser.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), IMG_TEXT),
                "the message with an img tag, as text");
        assertThat(browser.samePage(marker)).isTrue();
        assertThat(texts()).contains(SCRIPT_TEXT, IMG_TEXT);
        assertLiteral("body");
        browser.screenshot("timeline-live");
    }

    /** Citizen message texts in the timeline, as the browser renders them. */
    private List<String> texts() {
        return browser.texts(By.cssSelector("#timeline .message[data-author=CITIZEN] .text"));
    }

    /** Nothing ran, and no element came out of the citizen's text (CSP would stop the script; escaping must too). */
    private void assertLiteral(String container) {
        assertThat(browser.js("return typeof window.__pwned;")).as("window.__pwned").isEqualTo("undefined");
        assertThat(browser.js("return document.querySelectorAll(arguments[0] + ' img[src=x]').length;", container))
                .as("injected images").isEqualTo(0L);
        assertThat(browser.js("return Array.from(document.querySelectorAll(arguments[0] + ' script'))"
                + ".filter(s => s.textContent.includes('__pwned')).length;", container))
                .as("injected scripts").isEqualTo(0L);
    }
}

package org.civicbot.app.browser;

import org.civicbot.app.PageSession;

import org.civicbot.app.Providers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.civicbot.backoffice.staff.StaffUser;
import org.civicbot.backoffice.staff.StaffUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;

/** The inbox follows the conversations live, over SSE, without a reload. */
class InboxBrowserTests extends BrowserStack {

    @RegisterExtension
    static final Browser browser = new Browser();

    @Autowired
    StaffUsers staffUsers;

    @Test
    void showsACitizenWhoAsksForAPersonInTheQueueAndMovesItWhenAColleagueTakesItOverWithoutAReload() {
        // An agent of the department the flows hand "persona" to.
        staffUsers.create("inbox-colleague", "Pere Companys", "colleague-password", Set.of(StaffUser.Role.AGENT),
                Set.of("citizen_service")).block();
        long chat = Providers.newChat();
        String id = conversationId(chat);
        String inQueue = "#queue li.conversation[data-conversation-id='" + id + "']";
        By queued = By.cssSelector(inQueue);
        By atColleague = By.cssSelector("#colleagues li.conversation[data-conversation-id='" + id + "']");

        browser.login(ADMIN, ADMIN_PASSWORD);
        browser.open("/inbox");
        browser.waitFor(ExpectedConditions.presenceOfElementLocated(By.id("queue")), "the queue");
        assertThat(browser.all(queued)).isEmpty();
        browser.screenshot("empty-queue");
        String marker = browser.mark();

        telegram(chat, "Núria", "Cuadrat", "hola");
        telegram(chat, "Núria", "Cuadrat", "persona");

        browser.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("queue"), "Núria Cuadrat"),
                "the citizen's name in the queue");
        browser.waitFor(ExpectedConditions.visibilityOfElementLocated(queued), "the queued conversation");
        assertThat(browser.text(By.cssSelector(inQueue + " .contact-name"))).isEqualTo("Núria Cuadrat");
        assertThat(browser.attribute(By.cssSelector(inQueue + " a.conversation-link"), "href"))
                .endsWith("/conversations/" + id);
        assertThat(browser.text(By.cssSelector(inQueue + " .channel"))).containsIgnoringCase("telegram");
        assertThat(browser.texts(By.cssSelector(inQueue + " .last-message-at"))).hasSize(1);
        assertThat(browser.samePage(marker)).as("the queue changed without a reload").isTrue();
        browser.screenshot("queued-live");

        // A colleague takes it over from their own browser.
        PageSession.signIn(web, "inbox-colleague", "colleague-password").post("/inbox", "/conversations/" + id + "/takeover",
                java.util.Map.of());

        browser.waitFor(ExpectedConditions.visibilityOfElementLocated(atColleague), "the conversation under colleagues");
        browser.waitFor(ExpectedConditions.invisibilityOfElementLocated(queued), "the conversation gone from the queue");
        assertThat(browser.samePage(marker)).as("the lists changed without a reload").isTrue();
        browser.screenshot("taken-by-colleague");

        // The same lists on a fresh load of the page.
        browser.driver().navigate().refresh();
        browser.waitFor(ExpectedConditions.visibilityOfElementLocated(atColleague), "the conversation under colleagues");
        assertThat(browser.all(queued)).isEmpty();

        // The colleague closes it through the staff API (a script, another client): the open inbox follows too.
        marker = browser.mark();
        web.post().uri("/api/v1/conversations/" + id + "/close")
                .headers(h -> h.setBasicAuth("inbox-colleague", "colleague-password"))
                .exchange().expectStatus().isOk().expectBody().returnResult();
        browser.waitFor(ExpectedConditions.invisibilityOfElementLocated(atColleague),
                "the closed conversation gone from colleagues");
        assertThat(browser.samePage(marker)).as("the lists changed without a reload").isTrue();
        browser.screenshot("closed-by-api");
    }
}

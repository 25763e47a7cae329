package org.civicbot.app.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.civicbot.app.Providers;
import org.civicbot.backoffice.staff.StaffUser;
import org.civicbot.bot.Channel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The data-protection officer signs in, lands on the privacy page, finds a citizen by their Telegram chat id, reads
 * the retention policy, and erases the citizen with a reason; the page reports it and the audit lists it. An opening
 * of a social services conversation shows in the access log.
 */
class PrivacyBrowserTests extends BrowserStack {

    @RegisterExtension
    static final Browser browser = new Browser();

    @Test
    void theOfficerFindsACitizenAndErasesThemWithAReason() {
        staff("privacy-officer", StaffUser.Role.DPO);
        staff("privacy-agent", StaffUser.Role.AGENT, StaffUser.Role.SUPERVISOR);
        long chat = Providers.newChat();
        telegram(chat, "Jordi", "Puig", "hola");
        String id = conversationId(chat);
        // A social services chat, opened by an agent: the access log names who and when.
        mongo.updateFirst(org.springframework.data.mongodb.core.query.Query.query(
                        org.springframework.data.mongodb.core.query.Criteria.where("_id").is(id)),
                new org.springframework.data.mongodb.core.query.Update().set("department", "social_services"),
                "conversations").block();
        browser.forgetCookies();
        browser.login("privacy-agent", STAFF_PASSWORD);
        browser.open("/conversations/" + id + "?lang=en");
        browser.waitFor(ExpectedConditions.presenceOfElementLocated(By.id("main")), "the conversation");

        browser.forgetCookies();
        browser.login("privacy-officer", STAFF_PASSWORD);
        browser.waitFor(ExpectedConditions.presenceOfElementLocated(By.id("contact-search")), "the privacy page");
        browser.open("/privacy?lang=en");
        assertThat(browser.all(By.cssSelector(".contact-found"))).isEmpty();
        assertThat(browser.text(By.cssSelector("#retention-policy tr[data-class='message-bodies'] td")))
                .isEqualTo("180 days");
        assertThat(browser.text(By.id("access-log"))).contains("privacy-agent").contains("social_services");
        browser.fill(By.id("contact-q"), String.valueOf(chat));
        browser.click(By.id("contact-find"));
        browser.waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".contact-found")), "the citizen");
        assertThat(browser.text(By.cssSelector(".contact-found h3"))).contains("Jordi Puig").contains("TELEGRAM");
        browser.screenshot("privacy-found");

        browser.fill(By.cssSelector(".erase-form input[name=reason]"), "Written request, register entry 4521");
        browser.click(By.cssSelector(".erase-form input[name=confirm]"));
        browser.click(By.cssSelector(".erase-contact"));
        browser.waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".flash-ok")), "the erasure");
        assertThat(browser.text(By.cssSelector(".flash-ok"))).startsWith("Erased:");
        assertThat(browser.text(By.cssSelector("#privacy-audit tr[data-kind='ERASE']")))
                .contains("privacy-officer").contains("Written request, register entry 4521");
        browser.screenshot("privacy-erased");
        assertThat(conversation(Channel.TELEGRAM, String.valueOf(chat))).isNull();

        browser.fill(By.id("contact-q"), String.valueOf(chat));
        browser.click(By.id("contact-find"));
        browser.waitFor(ExpectedConditions.presenceOfElementLocated(By.id("contact-none")), "nobody any more");
    }
}

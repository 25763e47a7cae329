package org.civicbot.app.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.civicbot.backoffice.staff.StaffUser;
import org.civicbot.backoffice.staff.StaffUsers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;

/** A staff member whose password an admin reset signs in, is sent to change it, and then reaches the inbox. */
class PasswordBrowserTests extends BrowserStack {

    @RegisterExtension
    static final Browser browser = new Browser();

    @Autowired
    StaffUsers staffUsers;

    @BeforeEach
    void anonymous() {
        browser.forgetCookies();
    }

    @Test
    void sendsAStaffMemberWithAResetPasswordToChangeItAndThenToTheInbox() {
        staffUsers.create("browser-reset", "Núria Puig", "browser-first-password", Set.of(StaffUser.Role.AGENT),
                Set.of()).block();
        staffUsers.resetPassword("browser-reset", "browser-temporary").block();

        browser.login("browser-reset", "browser-temporary");
        browser.waitFor(ExpectedConditions.urlContains("/password"), "the change-password page");
        assertThat(browser.text(By.id("password-required"))).contains("choose your own");
        assertThat(browser.all(By.id("nav-inbox"))).as("no menu before the change").isEmpty();
        for (String field : new String[] {"current-password", "new-password", "confirm-password"}) {
            assertThat(browser.all(By.cssSelector("label[for=" + field + "]"))).as("a label for " + field).hasSize(1);
        }
        browser.screenshot("password-page");

        browser.fill(By.id("current-password"), "browser-temporary");
        browser.fill(By.id("new-password"), "my-own-browser-password");
        browser.fill(By.id("confirm-password"), "my-own-browser-passwort");
        browser.click(By.id("password-submit"));
        browser.waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".flash-error")), "the refusal");
        assertThat(browser.text(By.cssSelector(".flash-error"))).contains("not the same");
        browser.screenshot("passwords-differ");

        browser.open("/inbox");
        browser.waitFor(ExpectedConditions.urlContains("/password"), "still the change-password page");
        browser.fill(By.id("current-password"), "browser-temporary");
        browser.fill(By.id("new-password"), "my-own-browser-password");
        browser.fill(By.id("confirm-password"), "my-own-browser-password");
        browser.click(By.id("password-submit"));

        browser.waitFor(ExpectedConditions.urlContains("/inbox"), "the inbox");
        assertThat(browser.text(By.cssSelector(".flash-ok"))).contains("Password changed");
        assertThat(browser.text(By.id("current-user"))).isEqualTo("Núria Puig");
        assertThat(browser.all(By.id("nav-inbox"))).hasSize(1);
        browser.screenshot("changed");

        browser.click(By.id("nav-password"));
        browser.waitFor(ExpectedConditions.urlContains("/password"), "the change-password page from the menu");
        assertThat(browser.all(By.id("password-required"))).as("nothing required any more").isEmpty();
        browser.click(By.id("lang-ca"));
        browser.waitFor(ExpectedConditions.attributeToBe(By.tagName("html"), "lang", "ca"), "the page in Catalan");
        browser.screenshot("password-page-catalan");
        browser.click(By.id("lang-es"));
        browser.waitFor(ExpectedConditions.attributeToBe(By.tagName("html"), "lang", "es"), "the page in Spanish");
        browser.screenshot("password-page-spanish");
    }
}

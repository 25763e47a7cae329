package org.civicbot.app.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The login page, a refused password, the admin signing in, and the language switcher. */
class LoginBrowserTests extends BrowserStack {

    @RegisterExtension
    static final Browser browser = new Browser();

    @BeforeEach
    void anonymous() {
        browser.forgetCookies();
    }

    @Test
    void sendsAnAnonymousVisitorToTheLoginPageAndRefusesAWrongPassword() {
        browser.open("/inbox");
        browser.waitFor(ExpectedConditions.urlContains("/login"), "the redirect to /login");
        assertThat(browser.driver().getTitle()).containsIgnoringCase("civicbot");
        assertThat(browser.driver().findElement(By.tagName("html")).getDomAttribute("lang"))
                .as("the language the browser asks for").isEqualTo("en");
        assertThat(browser.all(By.cssSelector("label[for=username]"))).as("a label for the username").hasSize(1);
        assertThat(browser.all(By.cssSelector("label[for=password]"))).as("a label for the password").hasSize(1);
        assertThat(browser.all(By.cssSelector(".login-error"))).isEmpty();
        browser.screenshot("login-page");

        browser.fill(By.id("username"), ADMIN);
        browser.fill(By.id("password"), "not-the-password");
        browser.click(By.id("login-submit"));

        browser.waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".login-error")), "the login error");
        browser.screenshot("wrong-password");
        assertThat(browser.driver().getCurrentUrl()).contains("/login");
        assertThat(browser.all(By.id("current-user"))).as("nobody is signed in").isEmpty();
        browser.open("/inbox");
        browser.waitFor(ExpectedConditions.urlContains("/login"), "still the login page");
    }

    @Test
    void signsTheAdminInAndKeepsTheChosenLanguageOnTheNextPages() {
        browser.login(ADMIN, ADMIN_PASSWORD);
        assertThat(browser.text(By.id("current-user"))).containsIgnoringCase("admin");
        assertThat(browser.currentPath()).hasValueSatisfying(path -> assertThat(path).startsWith("/inbox"));
        assertThat(browser.all(By.id("nav-admin"))).as("an admin sees the admin link").hasSize(1);
        browser.screenshot("signed-in");

        browser.click(By.id("lang-es"));
        browser.waitFor(ExpectedConditions.attributeToBe(By.tagName("html"), "lang", "es"), "the page in Spanish");
        String spanish = browser.text(By.id("nav-inbox"));
        browser.screenshot("spanish");

        // The choice sticks: the next page, reached through the nav without ?lang=, is still in Spanish.
        browser.click(By.id("nav-incidents"));
        browser.waitFor(ExpectedConditions.urlContains("/incidents"), "the incidents page");
        assertThat(browser.driver().getCurrentUrl()).doesNotContain("lang=");
        assertThat(browser.driver().findElement(By.tagName("html")).getDomAttribute("lang")).isEqualTo("es");
        assertThat(browser.text(By.id("nav-inbox"))).isEqualTo(spanish);
        browser.screenshot("spanish-next-page");

        browser.click(By.id("lang-en"));
        browser.waitFor(ExpectedConditions.attributeToBe(By.tagName("html"), "lang", "en"), "the page in English");
        String english = browser.text(By.id("nav-inbox"));
        assertThat(english).isNotEqualTo(spanish);

        browser.click(By.id("lang-ca"));
        browser.waitFor(ExpectedConditions.attributeToBe(By.tagName("html"), "lang", "ca"), "the page in Catalan");
        String catalan = browser.text(By.id("nav-inbox"));
        assertThat(catalan).isNotEqualTo(spanish).isNotEqualTo(english);

        browser.open("/inbox");
        assertThat(browser.driver().findElement(By.tagName("html")).getDomAttribute("lang")).isEqualTo("ca");
        assertThat(browser.text(By.id("nav-inbox"))).isEqualTo(catalan);
        browser.screenshot("catalan-next-page");
    }
}

package org.civicbot.app.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.civicbot.bot.incident.Categories;
import org.civicbot.bot.incident.Category;
import org.civicbot.bot.incident.Rule;
import org.civicbot.bot.incident.Rules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

/** Admins keep the categories (names, service times) and the automation rules on one page, without the API. */
class IncidentSettingsBrowserTests extends BrowserStack {

    @RegisterExtension
    static final Browser browser = new Browser();

    @Autowired
    Categories categories;

    @Autowired
    Rules rules;

    @Autowired
    org.civicbot.backoffice.open311.Open311Clients open311;

    @Test
    void anAdminAllowsAnOpen311ClientSeesItsKeyOnceAndRevokesIt() {
        browser.login(ADMIN, ADMIN_PASSWORD);
        browser.open("/admin?lang=en");
        browser.fill(By.id("new-client-id"), "browser-app");
        browser.fill(By.id("new-client-name"), "Neighbourhood app");
        browser.click(By.id("new-client-submit"));
        browser.waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("open311-new-key")), "the new key");
        String key = browser.driver().findElement(By.id("open311-new-key")).getDomProperty("value");
        assertThat(key).startsWith("browser-app.");
        assertThat(open311.authenticate(key).block()).as("the key shown works").isNotNull();
        assertThat(browser.texts(By.cssSelector("#open311-clients tr.open311-client td:nth-child(2)")))
                .contains("Neighbourhood app");
        browser.screenshot("open311-key");

        browser.open("/admin?lang=en");
        assertThat(browser.driver().findElements(By.id("open311-new-key"))).as("shown once").isEmpty();
        browser.click(By.cssSelector("#open311-clients tr[data-id=browser-app] .revoke-submit"));
        browser.waitFor(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#open311-clients tr[data-id=browser-app]"), "revoked"), "the client revoked");
        assertThat(open311.authenticate(key).block()).as("a revoked key").isNull();
    }

    @Test
    void anAdminAddsASubcategoryWithItsServiceTimeAndARuleThatSendsItToADepartment() {
        browser.login(ADMIN, ADMIN_PASSWORD);
        browser.open("/admin?lang=en");
        browser.click(By.id("incident-settings-link"));
        browser.waitFor(ExpectedConditions.presenceOfElementLocated(By.id("categories")), "the settings page");
        assertThat(browser.texts(By.cssSelector("#categories tr.category td:nth-child(2)"))).contains("Enllumenat públic");

        browser.fill(By.id("category-id"), "lamp_post_settings");
        new Select(browser.driver().findElement(By.id("category-parent"))).selectByValue("street_lighting");
        browser.fill(By.id("category-ca"), "Fanal tort");
        browser.fill(By.id("category-es"), "Farola torcida");
        browser.fill(By.id("category-en"), "Bent lamp post");
        browser.fill(By.id("category-days"), "4");
        browser.click(By.id("category-submit"));
        browser.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash-ok"),
                "lamp_post_settings"), "the category saved");
        Category saved = categories.byId("lamp_post_settings").block();
        assertThat(saved.parent()).isEqualTo("street_lighting");
        assertThat(saved.serviceDays()).isEqualTo(4);
        assertThat(saved.labels()).containsEntry("es", "Farola torcida");

        browser.fill(By.id("rule-id"), "settings_lamps");
        browser.fill(By.id("rule-words"), "tort, torçat");
        new Select(browser.driver().findElement(By.id("rule-category"))).selectByValue("lamp_post_settings");
        new Select(browser.driver().findElement(By.id("rule-department"))).selectByValue("citizen_service");
        new Select(browser.driver().findElement(By.id("rule-priority"))).selectByValue("HIGH");
        browser.click(By.id("rule-submit"));
        browser.waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#rules li[data-id=settings_lamps]")),
                "the rule listed");
        Rule rule = rules.all().filter(r -> r.id().equals("settings_lamps")).blockFirst();
        assertThat(rule.when().category()).isEqualTo("lamp_post_settings");
        assertThat(rule.when().words()).containsExactly("tort", "torçat");
        assertThat(rule.then().department()).isEqualTo("citizen_service");
        assertThat(rule.enabled()).as("a new rule is on unless the admin unticks it").isTrue();
        assertThat(rule.then().priority()).hasToString("HIGH");
        browser.screenshot("settings");

        browser.fill(By.id("category-id"), "Not An Id!");
        browser.fill(By.id("category-ca"), "x");
        browser.fill(By.id("category-es"), "x");
        browser.fill(By.id("category-en"), "x");
        browser.click(By.id("category-submit"));
        browser.waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".flash-error")), "the refusal");
        assertThat(browser.text(By.cssSelector(".flash-error"))).contains("id must be");
        browser.click(By.cssSelector("#rules li[data-id=settings_lamps] form button"));
        browser.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash-ok"),
                "settings_lamps"), "the rule deleted");
        assertThat(rules.all().filter(r -> r.id().equals("settings_lamps")).collectList().block()).isEmpty();
    }
}

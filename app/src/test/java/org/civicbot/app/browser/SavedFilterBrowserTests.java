package org.civicbot.app.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** A staff member saves the list's filter under a name, opens it again in one click, and deletes it; it is theirs. */
class SavedFilterBrowserTests extends BrowserStack {

    @RegisterExtension
    static final Browser browser = new Browser();

    @Test
    void aSavedFilterOpensTheSameListAgainAndIsOnlyItsOwners() {
        staff("filter-user");
        staff("filter-other");
        String marker = "Filtremarca" + System.nanoTime();
        for (int i = 0; i < 2; i++) {
            postAs("filter-user", "/api/v1/incidents", Map.of("intake", "PHONE", "category", "street_lighting",
                    "description", "Fanal " + i + " " + marker)).expectStatus().isCreated();
        }
        browser.login("filter-user", STAFF_PASSWORD);
        browser.open("/incidents?lang=en&status=NEW&q=" + marker);
        assertThat(browser.text(By.id("incidents-total"))).isEqualTo("2");
        browser.fill(By.id("save-filter-name"), "Lamps, new");
        browser.click(By.id("save-filter-submit"));
        browser.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash-ok"), "Lamps, new"),
                "the filter saved");
        browser.screenshot("saved-filter");

        browser.open("/incidents?lang=en");
        browser.click(By.linkText("Lamps, new"));
        browser.waitFor(ExpectedConditions.attributeToBe(By.id("filter-q"), "value", marker), "the saved filter");
        assertThat(browser.text(By.id("incidents-total"))).isEqualTo("2");

        // Another staff member does not see it.
        assertThat(org.civicbot.app.PageSession.signIn(web, "filter-other", STAFF_PASSWORD).get("/incidents"))
                .doesNotContain("Lamps, new");

        browser.click(By.cssSelector("#saved-filters .chip-remove"));
        browser.waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".flash-ok")), "deleted");
        assertThat(browser.all(By.cssSelector("#saved-filters .saved-filter"))).isEmpty();
    }
}

package org.civicbot.app.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/** The dashboard's figures for a department are the list's for the same filter, drawn as charts and tables. */
class DashboardBrowserTests extends BrowserStack {

    @RegisterExtension
    static final Browser browser = new Browser();

    @Test
    void theDashboardsCountsEqualTheListsForTheSameFilter() {
        staff("dash-admin");
        postAs("dash-admin", "/api/v1/departments", Map.of("id", "dash_dept", "name", "Taulell de xifres"))
                .expectStatus().isCreated();
        for (int i = 0; i < 3; i++) {
            String code = json(postAs("dash-admin", "/api/v1/incidents", Map.of("intake", "PHONE",
                    "category", i == 0 ? "parks_gardens" : "street_lighting", "description", "Xifra " + i,
                    "department", "dash_dept")).expectStatus().isCreated().expectBody(String.class).returnResult()
                    .getResponseBody()).get("code").asText();
            if (i == 0) {
                okPost("dash-admin", "/api/v1/incidents/" + code + "/status", Map.of("status", "CLOSED",
                        "outcome", "POSITIVE"));
            }
        }

        browser.login(ADMIN, ADMIN_PASSWORD);
        browser.open("/dashboard?lang=ca");
        new Select(browser.driver().findElement(By.id("dash-department"))).selectByValue("dash_dept");
        browser.click(By.id("dash-submit"));
        browser.waitFor(ExpectedConditions.urlContains("department=dash_dept"), "the department's figures");
        assertThat(browser.text(By.id("stat-total"))).isEqualTo("3");
        assertThat(browser.text(By.id("stat-open"))).isEqualTo("2");
        browser.waitFor(d -> d.findElements(By.cssSelector("canvas.chart[data-drawn=true]")).size() == 7,
                "the seven charts drawn");
        browser.screenshot("dashboard");

        // The total links to the list with the same filter, which finds as many.
        browser.click(By.cssSelector("a.kpi"));
        browser.waitFor(ExpectedConditions.urlContains("/incidents"), "the list");
        assertThat(browser.text(By.id("incidents-total"))).isEqualTo("3");
    }
}

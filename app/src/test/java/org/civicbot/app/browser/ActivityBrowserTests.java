package org.civicbot.app.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.civicbot.backoffice.activity.Activities;
import org.civicbot.backoffice.activity.Activity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

/** A staff member plans a weekly activity from an incident's page, finds it in the month's calendar, and ticks one off. */
class ActivityBrowserTests extends BrowserStack {

    @RegisterExtension
    static final Browser browser = new Browser();

    @Autowired
    Activities activities;

    @Test
    void aWeeklyActivityPlannedOnAnIncidentShowsOnItsMondaysInTheCalendar() {
        staff("act-browser");
        String code = json(postAs("act-browser", "/api/v1/incidents", Map.of("intake", "COUNTER",
                "category", "street_furniture", "description", "Banc trencat al parc de la Seu"))
                .expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody())
                .get("code").asText();
        browser.login("act-browser", STAFF_PASSWORD);
        browser.open("/incidents/" + code + "?lang=en");
        browser.fill(By.id("activity-title"), "Check the bench is fixed");
        browser.js("document.getElementById('activity-date').value = arguments[0]", "2031-06-02");
        browser.js("document.getElementById('activity-time').value = arguments[0]", "10:30");
        new Select(browser.driver().findElement(By.id("activity-every"))).selectByValue("WEEK");
        browser.driver().findElement(By.id("activity-count")).clear();
        browser.fill(By.id("activity-count"), "3");
        browser.click(By.id("activity-submit"));
        browser.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash-ok"),
                "Check the bench is fixed"), "the activity planned");
        assertThat(browser.texts(By.cssSelector("#activities .activity time")))
                .containsExactly("02/06/2031 10:30", "09/06/2031 10:30", "16/06/2031 10:30");
        assertThat(browser.texts(By.cssSelector("#incident-timeline .timeline-entry[data-type=ACTIVITY] .text")))
                .singleElement().asString().contains("Planned: Check the bench is fixed · 02/06/2031 10:30");
        browser.js("document.getElementById('activities').scrollIntoView()");
        browser.screenshot("incident-activities");

        browser.click(By.id("nav-activities"));
        browser.open("/activities?month=2031-06&lang=en");
        assertThat(browser.text(By.id("month-label"))).isEqualTo("June 2031");
        for (String day : new String[] {"2031-06-02", "2031-06-09", "2031-06-16"}) {
            assertThat(browser.text(By.cssSelector("#calendar td[data-date='" + day + "'] .day-items")))
                    .contains("10:30").contains("Check the bench is fixed");
        }
        assertThat(browser.all(By.cssSelector("#calendar td[data-date='2031-06-23'] .day-item"))).isEmpty();
        browser.screenshot("calendar");

        String first = browser.attribute(By.cssSelector("#activity-list tr.activity"), "data-id");
        browser.click(By.cssSelector("#activity-list tr.activity .done-submit"));
        browser.waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".flash-ok")), "marked done");
        assertThat(browser.text(By.cssSelector("#activity-list tr.activity[data-id='" + first + "'] .badge")))
                .isEqualTo("done");
        Activity done = activities.find(first).block();
        assertThat(done.doneBy()).isEqualTo("act-browser");
        assertThat(browser.currentPath()).hasValueSatisfying(p -> assertThat(p).startsWith("/activities"));
    }
}

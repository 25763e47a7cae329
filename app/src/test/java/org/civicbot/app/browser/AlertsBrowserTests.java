package org.civicbot.app.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.civicbot.backoffice.staff.StaffUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.http.MediaType;

/** A staff-only notice of a device shows on the live Alerts page as it arrives, and goes to no citizen. */
class AlertsBrowserTests extends BrowserStack {

    @RegisterExtension
    static final Browser browser = new Browser();

    @Test
    void aNoticeAppearsLiveInTheAlertsFeedAndReachesNoCitizen() {
        staff("alerts-admin");
        staff("alerts-agent", StaffUser.Role.AGENT);
        String token = json(postAs("alerts-admin", "/api/v1/devices", Map.of("id", "sensor-t1", "type",
                "container_sensor", "assetId", "CNT-T1")).expectStatus().isCreated().expectBody(String.class)
                .returnResult().getResponseBody()).get("token").asText();
        web.put().uri("/api/v1/device-alert-types/temperature_high").headers(h -> h.setBasicAuth("alerts-admin",
                STAFF_PASSWORD)).contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("action", "NOTICE"))
                .exchange().expectStatus().isOk();
        long outboxBefore = mongo.count(new org.springframework.data.mongodb.core.query.Query(), "outbox").block();

        browser.forgetCookies();
        browser.login("alerts-agent", STAFF_PASSWORD);
        browser.click(By.id("nav-alerts"));
        browser.open("/alerts?lang=en");
        browser.waitFor(ExpectedConditions.presenceOfElementLocated(By.id("alert-list")), "the feed");
        // The page is open: the notice arrives and shows without a reload.
        browser.js("window.civicbotMarker = 'still the same page'");
        web.post().uri("/api/v1/device-alerts").header("Authorization", "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"alertId\": \"T1-1\", \"type\": "
                        + "\"temperature_high\", \"message\": \"Temperatura del contenidor: 65 °C\"}")
                .exchange().expectStatus().isCreated().expectBody().jsonPath("$.status").isEqualTo("notice");
        browser.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("alert-list"),
                "Temperatura del contenidor: 65 °C"), "the notice, live");
        assertThat(browser.js("return window.civicbotMarker")).isEqualTo("still the same page");
        assertThat(browser.text(By.cssSelector("#alert-list tr.device-notice td:nth-child(2)"))).isEqualTo("CNT-T1");
        browser.screenshot("alerts");
        assertThat(mongo.count(new org.springframework.data.mongodb.core.query.Query(), "outbox").block())
                .as("no citizen is told").isEqualTo(outboxBefore);
    }
}

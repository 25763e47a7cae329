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

    /**
     * An admin adds a device in the back-office and copies its token, shown once; the device's alerts gather on one
     * incident, which the asset's page shows with its alerts per day and where it was; the device is revoked.
     */
    @Test
    void anAdminAddsADeviceWhoseAlertsShowOnItsAssetsPageAndRevokesIt() {
        browser.forgetCookies();
        browser.login(ADMIN, ADMIN_PASSWORD);
        browser.open("/admin?lang=en");
        browser.click(By.id("devices-link"));
        browser.fill(By.id("device-id"), "truck-page-1");
        browser.fill(By.id("device-type"), "truck");
        browser.fill(By.id("device-name"), "Camió de la ruta 9");
        browser.fill(By.id("device-asset"), "ROUTE-9");
        browser.click(By.id("device-submit"));
        browser.waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("issued-token")), "the token, once");
        String token = browser.text(By.id("issued-token"));
        assertThat(token).hasSizeGreaterThan(30);
        assertThat(browser.text(By.id("issued-secret"))).hasSize(64);
        browser.screenshot("device-added");

        for (int i = 1; i <= 3; i++) {
            web.post().uri("/api/v1/device-alerts").header("Authorization", "Bearer " + token)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"alertId\": \"P9-" + i + "\", \"type\": "
                            + "\"bin_not_collected\", \"message\": \"Contenidor no buidat\", \"latitude\": 41.7262,"
                            + " \"longitude\": 1.8262}").exchange().expectStatus().isCreated();
        }
        browser.open("/admin/devices?lang=en");
        assertThat(browser.all(By.id("issued"))).as("shown once only").isEmpty();
        assertThat(browser.text(By.cssSelector("#device-list tr[data-id='truck-page-1'] td:nth-child(5)")))
                .isEqualTo("3");
        browser.click(By.cssSelector("#device-list tr[data-id='truck-page-1'] td:nth-child(2) a"));
        browser.waitFor(ExpectedConditions.presenceOfElementLocated(By.id("asset-incidents")), "the asset's page");
        assertThat(browser.text(By.id("asset-title"))).isEqualTo("Asset ROUTE-9");
        assertThat(browser.texts(By.cssSelector("#asset-incidents tr.asset-incident td:nth-child(4)")))
                .containsExactly("3");
        assertThat(browser.all(By.cssSelector("#asset-events li.asset-event"))).hasSize(3);
        browser.waitFor(ExpectedConditions.attributeToBe(By.id("asset-chart"), "data-drawn", "true"), "the chart");
        browser.waitFor(ExpectedConditions.attributeToBe(By.id("asset-map"), "data-map-ready", "true"), "the map");
        browser.screenshot("asset");

        browser.open("/admin/devices?lang=en");
        browser.click(By.cssSelector("#device-list tr[data-id='truck-page-1'] .revoke"));
        browser.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash-ok"),
                "truck-page-1"), "revoked");
        web.post().uri("/api/v1/device-alerts").header("Authorization", "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"alertId\": \"P9-4\", \"type\": \"x\","
                        + " \"message\": \"m\"}").exchange().expectStatus().isUnauthorized();
    }
}

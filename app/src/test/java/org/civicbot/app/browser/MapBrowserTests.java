package org.civicbot.app.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The overview map shows the incidents of the list's filter, and a pin opens its incident. */
class MapBrowserTests extends BrowserStack {

    @RegisterExtension
    static final Browser browser = new Browser();

    @Test
    void theMapShowsTheFiltersIncidentsAndAPinOpensOne() {
        staff("map-admin");
        String marker = "Mapamarca" + System.nanoTime();
        String north = enter(marker + " al nord", 41.5200, 1.5200);
        String south = enter(marker + " al sud", 41.5000, 1.5000);
        String elsewhere = enter("Un altre sense la marca", 41.5100, 1.5100);

        browser.login(ADMIN, ADMIN_PASSWORD);
        browser.open("/incidents?lang=ca&q=" + marker);
        browser.click(By.id("show-map"));
        browser.waitFor(ExpectedConditions.attributeToBe(By.id("overview-map"), "data-loaded", "2"), "the pins");
        assertThat(browser.text(By.id("map-count"))).isEqualTo("2");
        // Both pins in view once the map has settled on them (the clusterer draws them after its zoom).
        browser.waitFor(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".incident-pin[data-code]"), 2),
                "both pins in view");
        assertThat(browser.driver().findElements(By.cssSelector(".incident-pin[data-code='" + elsewhere + "']")))
                .isEmpty();
        browser.screenshot("map");

        // Zoomed out, the two gather into one circle that says 2; clicking it zooms back in to both.
        for (int i = 0; i < 6 && browser.all(By.cssSelector(".incident-cluster")).isEmpty(); i++) {
            browser.click(By.cssSelector(".leaflet-control-zoom-out"));
            browser.waitFor(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".leaflet-zoom-anim")),
                    "the zoom to end");
        }
        browser.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".incident-cluster"), "2"),
                "the two pins gathered");
        assertThat(browser.all(By.cssSelector(".incident-pin[data-code]"))).as("no pin drawn apart").allMatch(
                pin -> !pin.isDisplayed());
        browser.screenshot("map-cluster");
        browser.click(By.cssSelector(".incident-cluster"));
        browser.waitFor(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".incident-pin[data-code]"), 2),
                "both pins again");

        browser.click(By.cssSelector(".incident-pin[data-code='" + north + "']"));
        browser.waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".map-popup a.map-open")),
                "the pin's popup");
        assertThat(browser.text(By.cssSelector(".map-popup a.map-open"))).isEqualTo(north);
        browser.click(By.cssSelector(".map-popup a.map-open"));
        browser.waitFor(ExpectedConditions.urlMatches("/incidents/" + north + "$"), "the incident's page");
        assertThat(browser.text(By.id("incident-code"))).isEqualTo(north);
        assertThat(south).isNotEqualTo(north);
    }

    private String enter(String description, double latitude, double longitude) {
        return json(postAs("map-admin", "/api/v1/incidents", Map.of("intake", "INTERNAL", "category", "other",
                "description", description, "location", Map.of("address", "Camí del mapa", "latitude", latitude,
                        "longitude", longitude))).expectStatus().isCreated().expectBody(String.class).returnResult()
                .getResponseBody()).get("code").asText();
    }
}

package org.civicbot.app.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.civicbot.app.Providers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * A request that comes by phone, entered in the browser with a pin placed on the map, then corrected from its
 * page; the history shows who entered it, how it came in, and each correction with what was there before.
 */
class StaffRequestBrowserTests extends BrowserStack {

    @RegisterExtension
    static final Browser browser = new Browser();

    @Test
    void aPhoneRequestEnteredWithAPinOnTheMapThenCorrectedShowsBothInItsHistory() throws Exception {
        Providers.reverseGeocodesTo("Carrer de Sant Miquel, 4, Manresa");
        browser.login(ADMIN, ADMIN_PASSWORD);
        browser.open("/incidents?lang=en");
        browser.click(By.id("new-request"));
        browser.waitFor(ExpectedConditions.presenceOfElementLocated(By.id("request-form")), "the request form");

        browser.click(By.id("intake-PHONE"));
        new Select(browser.driver().findElement(By.id("request-category"))).selectByValue("street_lighting");
        browser.fill(By.id("request-description"), "Truca en Pere: el fanal de davant de casa seva no s'encén");
        WebElement map = browser.driver().findElement(By.id("request-map"));
        browser.waitFor(d -> map.getDomAttribute("data-map-ready") != null, "the map");
        new Actions(browser.driver()).moveToElement(map, 30, -20).click().perform();
        browser.waitFor(d -> !browser.value(By.id("request-latitude")).isEmpty(), "the pin's coordinates");
        browser.waitFor(d -> browser.value(By.id("request-address")).equals("Carrer de Sant Miquel, 4, Manresa"),
                "the address found at the pin");
        String latitude = browser.value(By.id("request-latitude"));
        browser.fill(By.id("contact-name"), "Pere Soler");
        browser.fill(By.id("contact-phone"), "+34600123456");
        java.nio.file.Path photo = java.nio.file.Files.createTempFile("fanal", ".jpg");
        java.nio.file.Files.write(photo, Providers.jpeg());
        browser.driver().findElement(By.id("request-attachments")).sendKeys(photo.toString());
        browser.screenshot("new-phone-request");
        browser.click(By.id("request-submit"));

        browser.waitFor(ExpectedConditions.urlMatches("/incidents/INC-\\d{4}-\\d{6}$"), "the new request's page");
        assertThat(browser.text(By.id("incident-source"))).isEqualTo("Staff");
        assertThat(browser.text(By.id("incident-intake"))).isEqualTo("By phone");
        assertThat(browser.text(By.id("incident-address"))).isEqualTo("Carrer de Sant Miquel, 4, Manresa");
        assertThat(browser.text(By.id("incident-contact"))).contains("Pere Soler").contains("+34600123456");
        assertThat(browser.text(By.id("incident-due"))).isNotEqualTo("—");
        assertThat(browser.attribute(By.id("incident-map"), "data-lat")).startsWith(latitude.substring(0, 6));
        assertThat(browser.texts(By.cssSelector("#incident-timeline li .text"))).first().asString()
                .isEqualTo("Entered by admin · By phone");
        assertThat(browser.texts(By.cssSelector("#attachments li a"))).containsExactly(photo.getFileName().toString());

        // Corrected: another description, the pin dragged elsewhere, a higher priority.
        browser.fill(By.id("edit-description"), "El fanal del número 4 no s'encén des de dilluns");
        WebElement editMap = browser.driver().findElement(By.id("edit-map"));
        browser.waitFor(d -> editMap.getDomAttribute("data-map-ready") != null, "the correction map");
        new Actions(browser.driver()).moveToElement(editMap, -40, 25).click().perform();
        browser.waitFor(d -> !browser.value(By.id("edit-latitude")).equals(latitude), "the pin moved");
        new Select(browser.driver().findElement(By.id("edit-priority"))).selectByValue("HIGH");
        browser.click(By.id("edit-submit"));

        browser.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("incident-priority"), "High"),
                "the corrected incident");
        assertThat(browser.text(By.id("incident-description"))).isEqualTo("El fanal del número 4 no s'encén des de dilluns");
        assertThat(browser.texts(By.cssSelector("#incident-timeline li[data-type=EDIT] .text")))
                .containsExactly("Description corrected", "Location corrected", "Priority changed");
        assertThat(browser.texts(By.cssSelector("#incident-timeline li[data-type=EDIT] .note"))).containsExactly(
                "Before: Truca en Pere: el fanal de davant de casa seva no s'encén · Now: El fanal del número 4 no"
                        + " s'encén des de dilluns",
                browser.texts(By.cssSelector("#incident-timeline li[data-type=EDIT] .note")).get(1),
                "Before: Normal · Now: High");
        assertThat(browser.texts(By.cssSelector("#incident-timeline li[data-type=EDIT] .note")).get(1))
                .startsWith("Before: Carrer de Sant Miquel, 4, Manresa (" + latitude.substring(0, 6));
        assertThat(browser.texts(By.cssSelector("#incident-timeline li[data-type=EDIT] .who")))
                .containsOnly("admin");
        browser.screenshot("phone-request-corrected");
    }

    @Test
    void aRequestWithoutItsDescriptionComesBackWithTheReasonAndWhatWasTyped() {
        browser.login(ADMIN, ADMIN_PASSWORD);
        browser.open("/incidents/new");
        browser.click(By.id("intake-COUNTER"));
        new Select(browser.driver().findElement(By.id("request-category"))).selectByValue("street_furniture");
        browser.fill(By.id("request-description"), "   ");
        browser.js("document.getElementById('request-description').removeAttribute('required')");
        browser.fill(By.id("contact-name"), "Anna <b>Puig</b>");
        browser.click(By.id("request-submit"));
        browser.waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("request-error")), "the reason");
        assertThat(browser.text(By.id("request-error"))).contains("describe the problem");
        assertThat(browser.value(By.id("contact-name"))).isEqualTo("Anna <b>Puig</b>");
        browser.screenshot("request-refused");
    }

    @Test
    void aReadyAnswerFillsTheReasonAndOutcomeWhenCancellingAsImproper() {
        browser.login(ADMIN, ADMIN_PASSWORD);
        browser.open("/incidents/new?lang=en");
        browser.click(By.id("intake-EMAIL"));
        new Select(browser.driver().findElement(By.id("request-category"))).selectByValue("other");
        browser.fill(By.id("request-description"), "Un correu sense cap petició");
        browser.click(By.id("request-submit"));
        browser.waitFor(ExpectedConditions.urlMatches("/incidents/INC-\\d{4}-\\d{6}$"), "the new request's page");

        new Select(browser.driver().findElement(By.id("status-template"))).selectByValue("improper");
        assertThat(browser.value(By.id("status-note")))
                .isEqualTo("El missatge no descriu cap problema que l'Ajuntament pugui atendre.");
        assertThat(browser.value(By.id("status-select"))).isEqualTo("CLOSED");
        assertThat(browser.value(By.id("outcome-select"))).isEqualTo("IMPROPER");
        browser.screenshot("ready-answer");
        browser.click(By.id("status-submit"));
        browser.waitFor(ExpectedConditions.attributeToBe(By.id("incident-outcome"), "data-outcome", "IMPROPER"),
                "the request cancelled as improper");
        assertThat(browser.texts(By.cssSelector("#incident-timeline li[data-type=STATUS] .note")))
                .containsExactly("El missatge no descriu cap problema que l'Ajuntament pugui atendre.");
    }
}

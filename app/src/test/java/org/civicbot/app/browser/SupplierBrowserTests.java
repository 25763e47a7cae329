package org.civicbot.app.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.civicbot.app.Mailbox;
import org.civicbot.app.Providers;
import org.civicbot.backoffice.supplier.SupplierLinks;
import org.civicbot.bot.Channel;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.Incidents;
import org.civicbot.bot.incident.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Staff forward an incident to a supplier who has no account: the e-mail's signed link opens the supplier page,
 * which shows the incident but nothing about who reported it; the supplier's step, note and photo land on the
 * incident's history, and the public note reaches the citizen. A changed link and an expired one are refused.
 */
class SupplierBrowserTests extends BrowserStack {

    static final String SUPPLIER = "brigada@llums-bages.example.org";
    static final Pattern LINK = Pattern.compile("https?://\\S+?(/supplier/[A-Za-z0-9_.-]+)");

    @RegisterExtension
    static final Browser browser = new Browser();

    @Autowired
    Incidents incidents;

    @Autowired
    SupplierLinks links;

    @Test
    void theSuppliersAnswerFromTheMailedLinkReachesTheHistoryAndTheCitizen() throws Exception {
        long chat = Providers.newChat();
        connect();
        telegram(chat, "Jordi", "Pujol", "hola");
        awaitOutboxSettled(conversationId(chat));
        Incident incident = incidents.report(new Incidents.Report("supplier-lamp", "street_lighting",
                "El fanal de la plaça de Sant Domènec no s'encén", new Incident.Location("Plaça de Sant Domènec", 41.6301,
                        1.6302, "PIN"), List.of(), Source.TELEGRAM, "Jordi Pujol", Channel.TELEGRAM,
                conversationId(chat), null, null, new Incident.TimelineEntry(Instant.now(), "CREATED", "citizen",
                        "Reported on TELEGRAM"))).block();

        browser.login(ADMIN, ADMIN_PASSWORD);
        browser.open("/incidents/" + incident.code() + "?lang=en");
        browser.fill(By.id("forward-to"), SUPPLIER);
        browser.fill(By.id("forward-note"), "Podeu canviar la làmpada aquesta setmana?");
        browser.click(By.id("forward-submit"));
        browser.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash-ok"), SUPPLIER),
                "the forward done");

        MimeMessage mail = await().atMost(PATIENCE).until(() -> Mailbox.to(SUPPLIER), found -> !found.isEmpty()).get(0);
        assertThat(mail.getSubject()).contains(incident.code());
        String text = Mailbox.text(mail);
        assertThat(text).contains("Podeu canviar la làmpada aquesta setmana?").doesNotContain("Jordi")
                .doesNotContain("/incidents/");
        Matcher link = LINK.matcher(text);
        assertThat(link.find()).as("the supplier page's link in the mail").isTrue();
        String path = link.group(1);

        // The supplier has no account: a fresh browser, no staff session.
        browser.forgetCookies();
        browser.open(path + "?lang=en");
        assertThat(browser.text(By.id("supplier-title"))).isEqualTo("Incident " + incident.code());
        assertThat(browser.text(By.id("supplier-description"))).isEqualTo(incident.description());
        assertThat(browser.text(By.id("supplier-note"))).isEqualTo("Podeu canviar la làmpada aquesta setmana?");
        assertThat(browser.driver().findElement(By.tagName("body")).getText()).doesNotContain("Jordi");
        browser.click(By.id("step-in-progress"));
        browser.fill(By.id("supplier-text"), "Hi anirem dijous al matí.");
        browser.click(By.id("supplier-shared"));
        Path photo = Files.createTempFile("fanal", ".jpg");
        Files.write(photo, Providers.jpeg());
        browser.driver().findElement(By.id("supplier-photos")).sendKeys(photo.toString());
        browser.screenshot("supplier-answers");
        browser.click(By.id("supplier-submit"));
        browser.waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("supplier-sent")), "the thanks");
        assertThat(browser.texts(By.cssSelector("#supplier-lines li"))).contains("Hi anirem dijous al matí.");
        assertThat(browser.driver().findElements(By.cssSelector(".photos img.photo"))).hasSize(1);
        browser.screenshot("supplier-sent");

        Incident after = incidents.byCode(incident.code()).block();
        assertThat(after.status().name()).isEqualTo("IN_PROGRESS");
        assertThat(after.photos()).hasSize(1);
        assertThat(after.timeline()).filteredOn(e -> ("supplier:" + SUPPLIER).equals(e.actor()))
                .extracting(Incident.TimelineEntry::type).containsExactly("PHOTO", "NOTE", "STATUS");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(Providers.telegramTextsTo(chat))
                .anyMatch(t -> t.startsWith("Novetats de la teva incidència " + incident.code()
                        + ": Hi anirem dijous al matí.")));

        // Staff read it on the incident's history, under the supplier's address.
        browser.login(ADMIN, ADMIN_PASSWORD);
        browser.open("/incidents/" + incident.code() + "?lang=en");
        assertThat(browser.texts(By.cssSelector("#incident-timeline li .who"))).contains("supplier:" + SUPPLIER);
        assertThat(browser.texts(By.cssSelector("#incident-timeline li .text")))
                .contains("Forwarded to " + SUPPLIER, "Added a photo");

        // A link changed by one character, and one past its time, are refused.
        browser.forgetCookies();
        String token = path.substring("/supplier/".length());
        char last = token.charAt(token.length() - 1);
        browser.open("/supplier/" + token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A') + "?lang=en");
        assertThat(browser.attribute(By.id("supplier-refused"), "data-refused")).isEqualTo("invalid");
        assertThat(browser.text(By.id("supplier-refused"))).isEqualTo("This link is not valid");
        String expired = links.sign(token.substring(0, 8), Instant.now().minusSeconds(60)).block();
        browser.open("/supplier/" + expired + "?lang=en");
        assertThat(browser.attribute(By.id("supplier-refused"), "data-refused")).isEqualTo("expired");
        browser.screenshot("supplier-expired");
        web.get().uri("/supplier/" + expired).exchange().expectStatus().isEqualTo(410);
        web.get().uri("/supplier/" + token + "x").exchange().expectStatus().isNotFound();
        web.get().uri(path).exchange().expectStatus().isOk();
    }
}

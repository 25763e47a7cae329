package org.civicbot.app.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.Set;
import org.civicbot.app.Providers;
import org.civicbot.backoffice.staff.StaffUser;
import org.civicbot.backoffice.staff.StaffUsers;
import org.civicbot.bot.Channel;
import org.civicbot.bot.announcement.Subscriptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Communications staff write an announcement in three languages, see how WhatsApp and Telegram will show it, send
 * it, and watch its delivery.
 */
class AnnouncementBrowserTests extends BrowserStack {

    @RegisterExtension
    static final Browser browser = new Browser();

    @Autowired
    StaffUsers users;

    @Autowired
    Subscriptions subscriptions;

    @Test
    void writesPreviewsSendsAndFollowsAnAnnouncement() {
        users.find("nuria").switchIfEmpty(users.create("nuria", "Núria", "a-long-staff-password",
                Set.of(StaffUser.Role.COMMUNICATIONS), Set.of())).block();
        String citizen = "whatsapp:+34600007001";
        whatsapp(citizen, "hola");
        subscriptions.subscribe(conversation(Channel.WHATSAPP, citizen).id(), "events", null).block();

        browser.login("nuria", "a-long-staff-password");
        browser.waitFor(ExpectedConditions.urlContains("/announcements"), "the announcements, her start page");
        assertThat(browser.all(By.id("nav-inbox"))).as("no inbox for communications staff").isEmpty();
        new Select(browser.driver().findElement(By.id("announce-topic"))).selectByValue("events");
        browser.fill(By.id("announce-text-ca"), "*Festa Major*: dissabte a les 22 h, concert a la plaça <b>Major</b>.");
        browser.fill(By.id("announce-text-es"), "*Fiesta Mayor*: el sábado a las 22 h, concierto en la plaza Mayor.");
        browser.fill(By.id("announce-text-en"), "*Town festival*: Saturday at 10 pm, concert in the main square.");
        browser.fill(By.id("announce-link"), "https://www.example.cat/festa-major");

        assertThat(browser.text(By.id("preview-whatsapp"))).startsWith("📢 Activitats i festes\nFesta Major: dissabte")
                .contains("<b>Major</b>").endsWith("https://www.example.cat/festa-major");
        assertThat(browser.texts(By.cssSelector("#preview-telegram strong")))
                .containsExactly("Activitats i festes", "Festa Major");
        browser.screenshot("form");
        browser.click(By.cssSelector(".preview-lang[data-lang=en]"));
        assertThat(browser.text(By.id("preview-whatsapp"))).startsWith("📢 Events and festivals\nTown festival:");

        browser.click(By.id("announce-send"));
        browser.waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("report")), "the delivery report");
        assertThat(browser.text(By.cssSelector(".flash-ok"))).isEqualTo("Announcement saved: it goes at the time given.");
        browser.waitFor(ExpectedConditions.textToBe(By.id("report-sent"), "1"), "the message sent");
        assertThat(browser.text(By.id("report-recipients"))).isEqualTo("1");
        assertThat(browser.text(By.id("report-status"))).isEqualTo("Sent");
        browser.screenshot("report");
        await().atMost(PATIENCE).until(() -> Providers.twilioBodiesTo(citizen).stream()
                .anyMatch(b -> b != null && b.startsWith("📢 *Activitats i festes*\n*Festa Major*: dissabte")));

        browser.open("/announcements");
        assertThat(browser.texts(By.cssSelector("#announcements tr.announcement td:nth-child(2)")))
                .contains("Events and festivals");
        browser.js("document.getElementById('announcements').scrollIntoView()");
        browser.screenshot("list");

        // The topics and areas citizens choose from.
        browser.click(By.id("topics-link"));
        browser.waitFor(ExpectedConditions.presenceOfElementLocated(By.id("topics")), "the topics");
        browser.fill(By.id("topic-id"), "pools");
        browser.fill(By.id("topic-ca"), "Piscines municipals");
        browser.fill(By.id("topic-es"), "Piscinas municipales");
        browser.fill(By.id("topic-en"), "Public pools");
        browser.click(By.id("topic-save"));
        browser.waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr.topic[data-id=pools]")),
                "the new topic");
        assertThat(browser.text(By.cssSelector("tr.topic[data-id=events] td.number"))).isEqualTo("1");
        browser.fill(By.id("area-id"), "barri_antic");
        browser.fill(By.id("area-name"), "Barri Antic");
        browser.fill(By.id("area-geometry"), "{\"type\": \"Point\", \"coordinates\": [1.82, 41.72]}");
        browser.click(By.id("area-save"));
        assertThat(browser.text(By.cssSelector(".flash-error"))).contains("GeoJSON Polygon");
        browser.fill(By.id("area-id"), "barri_antic");
        browser.fill(By.id("area-name"), "Barri Antic");
        // Far from the places the other tests use: the store is shared.
        browser.fill(By.id("area-geometry"), "{\"type\": \"Polygon\", \"coordinates\": [[[1.95, 41.85], [1.96, 41.85],"
                + " [1.96, 41.86], [1.95, 41.85]]]}");
        browser.click(By.id("area-save"));
        browser.waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#areas li[data-id=barri_antic]")),
                "the new area");
        browser.screenshot("topics");
    }
}

package org.civicbot.app.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.civicbot.backoffice.staff.StaffUser;
import org.civicbot.bot.appointment.Appointment;
import org.civicbot.bot.appointment.AppointmentService;
import org.civicbot.bot.appointment.Appointments;
import org.civicbot.bot.appointment.Office;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * At the desk: an agent opens the office's day, books a caller into a free time, sees them on the day's list,
 * marks a citizen who booked in the chat as not come, and closes a time to bookings.
 */
class AppointmentBrowserTests extends BrowserStack {

    static final ZoneId TOWN = ZoneId.of("Europe/Madrid");

    @RegisterExtension
    static final Browser browser = new Browser();

    @Autowired
    Appointments appointments;

    @Test
    void anAgentBooksACallerAndMarksANoShow() {
        staff("desk-agent", StaffUser.Role.AGENT);
        LocalDate day = LocalDate.now(TOWN).plusDays(2);
        appointments.save(new Office("desk-oac", "OAC del Carme", "Carrer del Carme, 4", Map.of(
                day.getDayOfWeek().name(), List.of("09:00-11:00")), List.of(), List.of())).block();
        appointments.save(new AppointmentService("desk-padro", Map.of("ca", "Padró", "es", "Padrón", "en",
                "Residence register"), Map.of(), List.of("desk-oac"), 30, 1, 30, 2, true)).block();
        Appointment chat = ((Appointments.Booked) appointments.book(new Appointments.Request("desk-chat", "desk-padro",
                "desk-oac", day.atTime(9, 0).atZone(TOWN).toInstant(), "Pere Roca", null, "WHATSAPP", "conversation-x",
                "ca", "citizen", false)).block()).appointment();

        browser.forgetCookies();
        browser.login("desk-agent", STAFF_PASSWORD);
        browser.click(By.id("nav-appointments"));
        browser.open("/appointments?office=desk-oac&date=" + day + "&lang=en");
        assertThat(browser.text(By.id("day-heading"))).endsWith("OAC del Carme");
        assertThat(browser.texts(By.cssSelector("#day-list tr.appointment td:nth-child(2)")))
                .containsExactly(chat.code());
        // 09:00 is taken: the caller is offered the other free times only.
        List<String> free = browser.texts(By.cssSelector("#book-slot option"));
        assertThat(free).containsExactly("09:30 · Residence register", "10:00 · Residence register",
                "10:30 · Residence register");
        new Select(browser.driver().findElement(By.id("book-slot"))).selectByVisibleText("10:00 · Residence register");
        browser.fill(By.id("book-name"), "Marta Soler");
        browser.fill(By.id("book-phone"), "938 123 456");
        browser.screenshot("booking");
        browser.click(By.id("book-submit"));
        browser.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash-ok"), "Marta Soler"),
                "the booking");
        assertThat(browser.texts(By.cssSelector("#day-list tr.appointment td:nth-child(3)")))
                .containsExactly("Pere Roca", "Marta Soler");
        assertThat(browser.texts(By.cssSelector("#book-slot option"))).doesNotContain("10:00 · Residence register");
        List<Appointment> booked = appointments.day("desk-oac", day).collectList().block();
        assertThat(booked).extracting(Appointment::channel).containsExactly("WHATSAPP", "STAFF");
        assertThat(booked.get(1).phone()).isEqualTo("938 123 456");
        assertThat(booked.get(1).createdBy()).isEqualTo("desk-agent");

        // The citizen who booked in the chat did not come.
        browser.click(By.cssSelector("#day-list tr[data-code='" + chat.code() + "'] .mark-no-show"));
        browser.waitFor(ExpectedConditions.attributeToBe(By.cssSelector("#day-list tr[data-code='" + chat.code() + "']"),
                "data-status", "NO_SHOW"), "the no-show");
        assertThat(browser.text(By.cssSelector("#day-list tr[data-code='" + chat.code() + "'] .appointment-status")))
                .isEqualTo("did not come");
        assertThat(appointments.byCode(chat.code()).block().status()).isEqualTo(Appointment.Status.NO_SHOW);
        assertThat(browser.text(By.id("day-counts"))).contains("1 to come").contains("1 did not come");

        // A meeting closes 10:30 to bookings.
        browser.js("document.getElementById('block-from').value = '10:30'; document.getElementById('block-to').value"
                + " = '11:00'");
        browser.fill(By.id("block-reason"), "Reunió d'equip");
        browser.click(By.id("block-submit"));
        browser.waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#blocks li.block")), "the block");
        assertThat(browser.texts(By.cssSelector("#book-slot option"))).containsExactly("09:30 · Residence register");
        browser.screenshot("day");
    }

    /** An admin sets up an office and a service in the back-office; a mistake is refused with what to fix. */
    @Test
    void anAdminSetsUpAnOfficeAndAService() {
        browser.forgetCookies();
        browser.login(ADMIN, ADMIN_PASSWORD);
        browser.open("/admin?lang=en");
        browser.click(By.id("appointment-setup-link"));
        browser.fill(By.id("office-id"), "setup-nord");
        browser.fill(By.id("office-name"), "Centre Cívic Nord");
        browser.fill(By.id("office-address"), "Carrer Nou, 5");
        browser.driver().findElement(By.id("hours-MONDAY")).clear();
        browser.fill(By.id("hours-MONDAY"), "9 a 14");
        browser.click(By.id("office-submit"));
        browser.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash-error"),
                "hours of MONDAY: \"9 a 14\" is not HH:MM-HH:MM"), "the refusal");
        browser.driver().findElement(By.id("hours-MONDAY")).clear();
        browser.fill(By.id("hours-MONDAY"), "09:00-14:00, 16:00-19:00");
        browser.click(By.id("office-submit"));
        browser.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash-ok"),
                "Centre Cívic Nord"), "the office saved");
        assertThat(appointments.office("setup-nord").block().hours().get("MONDAY"))
                .containsExactly("09:00-14:00", "16:00-19:00");

        browser.fill(By.id("service-id"), "setup-socials");
        browser.fill(By.id("service-name-ca"), "Serveis socials");
        browser.fill(By.id("service-name-es"), "Servicios sociales");
        browser.fill(By.id("service-name-en"), "Social services");
        browser.fill(By.id("service-bring-ca"), "DNI");
        browser.click(By.cssSelector("#service-form input[name=offices][value=setup-nord]"));
        browser.driver().findElement(By.id("service-minutes")).clear();
        browser.fill(By.id("service-minutes"), "45");
        browser.screenshot("setup");
        browser.click(By.id("service-submit"));
        browser.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash-ok"),
                "Serveis socials"), "the service saved");
        AppointmentService saved = appointments.service("setup-socials").block();
        assertThat(saved.offices()).containsExactly("setup-nord");
        assertThat(saved.minutes()).isEqualTo(45);
        assertThat(saved.active()).isTrue();
        assertThat(browser.texts(By.cssSelector("#service-list tr.service td:first-child")))
                .contains("Serveis socials");
    }
}

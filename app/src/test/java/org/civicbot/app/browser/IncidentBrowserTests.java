package org.civicbot.app.browser;

import org.civicbot.app.Providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.List;
import org.civicbot.bot.Channel;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.IncidentDesk;
import org.civicbot.bot.incident.IncidentStatus;
import org.civicbot.bot.incident.Incidents;
import org.civicbot.bot.incident.Outcome;
import org.civicbot.bot.incident.Source;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

/** The incident list and its filters, opening an incident by its code, and closing it from its page. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IncidentBrowserTests extends BrowserStack {

    @RegisterExtension
    static final Browser browser = new Browser();

    @Autowired
    Incidents incidents;

    @Autowired
    IncidentDesk desk;

    long chat;
    Incident lamp;
    Incident pothole;
    Incident bench;
    Incident container;
    Incident closed;

    @BeforeAll
    void seed() {
        // A citizen's conversation on Telegram, so that closing its incidents has someone to tell.
        chat = Providers.newChat();
        connect();
        telegram(chat, "Laia", "Fanals", "hola");
        awaitOutboxSettled(conversationId(chat));

        lamp = report("browser-lamp", "street_lighting", "Fanal apagat al carrer de la Riera", Source.TELEGRAM,
                "Laia Fanals", Channel.TELEGRAM, conversationId(chat));
        pothole = report("browser-pothole", "roads_pavements", "Forat a la vorera davant de l'escola", Source.TELEGRAM,
                "Laia Fanals", Channel.TELEGRAM, conversationId(chat));
        bench = report("browser-bench", "street_furniture", "Banc trencat a la plaça", Source.STAFF, "Marta",
                null, null);
        container = report("browser-container", "device_container_full", "Contenidor ple al 95%", Source.DEVICE,
                null, null, null);
        desk.changeStatus(container.code(), IncidentStatus.IN_PROGRESS, null, null, "seed").block();
        closed = report("browser-closed", "street_lighting", "Fanal que fa pampallugues", Source.WHATSAPP,
                "Pau", null, null);
        desk.changeStatus(closed.code(), IncidentStatus.CLOSED, Outcome.NEGATIVE, null, "seed").block();
    }

    Incident report(String ref, String category, String description, Source source, String contact, Channel channel,
            String conversationId) {
        return incidents.report(new Incidents.Report(ref, category, description,
                new Incident.Location("Carrer Major 12", 41.7266, 1.8233, "PIN"), List.of(), source, contact, channel,
                conversationId, source == Source.DEVICE ? "truck-7" : null, null,
                new Incident.TimelineEntry(Instant.now(), "CREATED", "citizen", "Reported on " + source))).block();
    }

    /**
     * An incident several citizens reported shows how many, and who hears of it; one whose reporter said it was
     * another problem than an open incident nearby links to that one, for staff to judge.
     */
    @Test
    void showsHowManyReportedAnIncidentAndLinksAPossibleDuplicate() {
        Incident tree = incidents.report(new Incidents.Report("browser-tree", "parks_gardens",
                "Branca trencada penjant sobre el camí", new Incident.Location("Parc de l'Agulla", 41.7420, 1.8420,
                        "PIN"), List.of(), Source.TELEGRAM, "Laia Fanals", Channel.TELEGRAM, conversationId(chat),
                null, null, new Incident.TimelineEntry(Instant.now(), "CREATED", "citizen", "Reported on TELEGRAM")))
                .block();
        incidents.join(tree.code(), "another-conversation", List.of(), Channel.WHATSAPP).block();
        incidents.join(tree.code(), "a-third-conversation", List.of(), Channel.TELEGRAM).block();
        Incident other = incidents.report(new Incidents.Report("browser-tree-2", "parks_gardens",
                "Arbre caigut a l'entrada del parc", new Incident.Location("Parc de l'Agulla", 41.7421, 1.8421, "PIN"),
                List.of(), Source.WHATSAPP, "Pau", Channel.WHATSAPP, "a-fourth-conversation", null, null,
                new Incident.TimelineEntry(Instant.now(), "CREATED", "citizen", "Reported on WHATSAPP"),
                tree.code())).block();

        mongo.updateFirst(org.springframework.data.mongodb.core.query.Query.query(
                        org.springframework.data.mongodb.core.query.Criteria.where("code").is(tree.code())),
                new org.springframework.data.mongodb.core.query.Update().set("satisfaction",
                        new Incident.Satisfaction(4, "Van venir de pressa")), Incident.class).block();

        browser.login(ADMIN, ADMIN_PASSWORD);
        browser.open("/incidents/" + tree.code());
        assertThat(browser.text(By.id("incident-reports"))).isEqualTo("3 reports");
        assertThat(browser.text(By.id("incident-satisfaction"))).contains("4 of 5").contains("Van venir de pressa");
        assertThat(browser.text(By.id("incident-followers"))).isEqualTo("3 contacts");
        assertThat(browser.texts(By.cssSelector("#incident-timeline li .text"))).contains(
                "Reported by the citizen on Telegram", "Another citizen reported the same problem on WhatsApp");
        browser.screenshot("three-reports");

        browser.open("/incidents/" + other.code());
        assertThat(browser.text(By.id("possible-duplicate"))).contains("said this is another problem")
                .endsWith(tree.code());
        browser.click(By.cssSelector("#possible-duplicate a"));
        browser.waitFor(ExpectedConditions.textToBe(By.id("incident-code"), tree.code()), "the other incident");
        browser.open("/incidents/" + other.code());
        browser.screenshot("possible-duplicate");
    }

    @Test
    void listsOpenIncidentsByDefaultAndNarrowsThemByCategoryAndStatus() {
        browser.login(ADMIN, ADMIN_PASSWORD);
        browser.open("/incidents");
        browser.waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector("table#incidents")), "the incidents");
        assertThat(codes()).as("NEW and IN_PROGRESS by default, not CLOSED")
                .contains(lamp.code(), bench.code(), container.code()).doesNotContain(closed.code());
        // The total counts them all; the page shows the first page of them (other tests' incidents are open too).
        int total = Integer.parseInt(browser.text(By.id("incidents-total")));
        assertThat(codes()).hasSize(Math.min(total, 25));
        WebElement link = browser.driver().findElement(By.cssSelector(
                "tr.incident[data-code='" + lamp.code() + "'] a.incident-link"));
        assertThat(link.getDomAttribute("href")).endsWith("/incidents/" + lamp.code());
        browser.screenshot("default-list");

        new Select(browser.driver().findElement(By.id("filter-category"))).selectByValue("street_lighting");
        browser.click(By.id("filter-submit"));
        browser.waitFor(ExpectedConditions.urlContains("category=street_lighting"), "the filtered list");
        assertThat(codes()).contains(lamp.code()).doesNotContain(bench.code(), container.code(), closed.code());
        browser.screenshot("street-lighting");

        // Asking for closed ones too shows the closed lamp.
        chooseStatuses("NEW", "IN_PROGRESS", "CLOSED");
        browser.click(By.id("filter-submit"));
        browser.waitFor(ExpectedConditions.urlContains("CLOSED"), "the list with closed incidents");
        assertThat(codes()).contains(lamp.code(), closed.code()).doesNotContain(bench.code(), container.code());
        browser.screenshot("street-lighting-with-closed");
    }

    @Test
    void aPublicNoteReachesTheCitizenAndItsPublicPageShowsItOnAPhone() {
        browser.login(ADMIN, ADMIN_PASSWORD);
        browser.open("/incidents/" + lamp.code());
        String note = "Hem demanat la peça; la canviarem dimarts.";
        browser.fill(By.id("note-text"), note);
        browser.click(By.id("note-public"));
        browser.click(By.id("note-submit"));
        browser.waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(
                "#incident-timeline li[data-type=NOTE] .public-badge")), "the note, marked as told to the citizen");
        browser.screenshot("public-note");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(Providers.telegramTextsTo(chat)).last().asString()
                .startsWith("Novetats de la teva incidència " + lamp.code() + ": " + note));

        String page = browser.driver().findElement(By.id("public-page-link")).getDomAttribute("href");
        assertThat(page).startsWith(Providers.PUBLIC_BASE + "/s/");
        browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        try {
            browser.open(page.substring(Providers.PUBLIC_BASE.length()) + "?lang=ca");
            browser.waitFor(ExpectedConditions.presenceOfElementLocated(By.id("status-steps")), "the public page");
            assertThat(browser.text(By.id("status-title"))).isEqualTo("Incidència " + lamp.code());
            assertThat(browser.text(By.id("status-category"))).isEqualTo("Enllumenat públic");
            List<String> steps = browser.read(d -> d.findElements(By.cssSelector("#status-steps li")).stream()
                    .map(li -> li.getText() + (li.getDomAttribute("aria-current") != null ? "*" : "")).toList(),
                    "the steps");
            assertThat(steps)
                    .containsExactly("Rebuda*", "En curs", "Tancada");
            assertThat(browser.text(By.id("status-updates"))).contains(note).contains("Hem rebut la incidència.");
            assertThat(browser.driver().findElement(By.tagName("body")).getText())
                    .doesNotContain(lamp.description()).doesNotContain("Carrer Major").doesNotContain("Laia");
            browser.screenshot("public-page-phone");
        } finally {
            browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
        }
    }

    @Test
    void opensAnIncidentByItsCodeAndClosesItTellingTheCitizen() {
        browser.login(ADMIN, ADMIN_PASSWORD);
        browser.open("/incidents");
        browser.fill(By.id("open-code"), "nope-" + pothole.code());
        browser.click(By.id("open-code-submit"));
        browser.waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".flash-error")), "an unknown code refused");
        browser.screenshot("unknown-code");

        // Typed as people do: lower case, with spaces around.
        browser.fill(By.id("open-code"), "  " + pothole.code().toLowerCase() + " ");
        browser.click(By.id("open-code-submit"));
        browser.waitFor(ExpectedConditions.urlMatches("/incidents/" + pothole.code() + "$"), "the incident's page");
        assertThat(browser.text(By.id("incident-code"))).isEqualTo(pothole.code());
        assertThat(browser.attribute(By.id("incident-status"), "data-status")).isEqualTo("NEW");
        assertThat(browser.text(By.id("incident-status"))).isEqualTo("New");
        assertThat(browser.driver().findElement(By.tagName("body")).getText()).contains(pothole.description());
        assertThat(browser.driver().findElement(By.id("conversation-link")).getDomAttribute("href"))
                .endsWith("/conversations/" + conversationId(chat));
        browser.screenshot("opened");

        String note = "Hem reparat la vorera (" + chat + ")";
        new Select(browser.driver().findElement(By.id("status-select"))).selectByValue("CLOSED");
        new Select(browser.driver().findElement(By.id("outcome-select"))).selectByValue("POSITIVE");
        browser.fill(By.id("status-note"), note);
        browser.click(By.id("status-submit"));

        browser.waitFor(ExpectedConditions.attributeToBe(By.id("incident-status"), "data-status", "CLOSED"),
                "status CLOSED");
        assertThat(browser.text(By.id("incident-outcome"))).isNotBlank();
        WebElement entry = browser.waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(
                "#incident-timeline li.timeline-entry[data-type=STATUS]")), "the status change on the timeline");
        // In the staff's words, not the stored record ("NEW -> CLOSED (POSITIVE)").
        assertThat(entry.getText()).containsIgnoringCase("admin").contains("From “New” to “Closed” · Resolved")
                .contains(note).doesNotContain("->");
        browser.screenshot("closed");

        await().atMost(PATIENCE).until(() -> Providers.telegramTextsTo(chat).stream()
                .anyMatch(text -> text.contains(pothole.code()) && text.contains(note)));
    }

    private List<String> codes() {
        return browser.read(d -> d.findElements(By.cssSelector("table#incidents tr.incident")).stream()
                .map(row -> row.getDomAttribute("data-code")).toList(), "the incident rows");
    }

    /** The status filter is a multi-select or a group of checkboxes named status: either way, exactly these. */
    private void chooseStatuses(String... statuses) {
        WebElement filter = browser.driver().findElement(By.id("filter-status"));
        if ("select".equals(filter.getTagName())) {
            Select select = new Select(filter);
            select.deselectAll();
            for (String status : statuses) {
                select.selectByValue(status);
            }
            return;
        }
        List<String> wanted = List.of(statuses);
        for (WebElement box : browser.driver().findElements(By.cssSelector("input[name=status]"))) {
            if (box.isSelected() != wanted.contains(box.getDomAttribute("value"))) {
                box.click();
            }
        }
    }

    @Test
    void theListsCsvLinkGivesTheFilteredRowsWithTheirAccents() {
        browser.login(ADMIN, ADMIN_PASSWORD);
        browser.open("/incidents?lang=ca");
        new Select(browser.driver().findElement(By.id("filter-category"))).selectByValue("street_furniture");
        browser.click(By.id("filter-submit"));
        browser.waitFor(ExpectedConditions.urlContains("category=street_furniture"), "the filtered list");
        String href = browser.driver().findElement(By.id("download-csv")).getDomAttribute("href");
        assertThat(href).contains("format=csv").contains("category=street_furniture");
        // Chromium fetches the link with the signed-in session, as a click on it downloads it.
        Object result = ((org.openqa.selenium.JavascriptExecutor) browser.driver()).executeAsyncScript(
                "var done = arguments[arguments.length - 1];"
                        + "fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.arrayBuffer()).then(b => {"
                        + "  var bytes = new Uint8Array(b);"
                        + "  done([bytes[0], bytes[1], bytes[2], new TextDecoder('utf-8', {ignoreBOM: true}).decode(b)]);"
                        + "}).catch(e => done(['error', String(e)]));", href);
        List<?> got = (List<?>) result;
        assertThat(List.<Object>copyOf(got.subList(0, 3))).as("UTF-8 with a byte-order mark")
                .containsExactly(239L, 187L, 191L);
        String csv = (String) got.get(3);
        assertThat(csv.split("\r\n")).as(href + " gave " + csv).hasSizeGreaterThanOrEqualTo(2);
        assertThat(csv).contains(bench.code()).contains("Mobiliari urbà").contains("Banc trencat a la plaça")
                .doesNotContain(lamp.code());
    }
}

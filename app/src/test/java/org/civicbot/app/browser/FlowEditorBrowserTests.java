package org.civicbot.app.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.civicbot.backoffice.content.FlowEditing;
import org.civicbot.backoffice.staff.StaffUser;
import org.civicbot.bot.FlowRuntime;
import org.civicbot.flows.Language;
import org.civicbot.flows.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A content editor changes the bot in the browser: edits the main menu's text, sees the validator's marker at the
 * line of a mistake, previews the fixed draft in the simulator beside the editor, and publishes it live.
 */
class FlowEditorBrowserTests extends BrowserStack {

    private static final String ORIGINAL = "Hola! Sóc l'assistent de l'Ajuntament.";
    private static final String EDITED = "Hola! Sóc l'assistent que ha editat la Marta.";

    @RegisterExtension
    static final Browser browser = new Browser();

    @Autowired
    FlowEditing editing;

    @Autowired
    FlowRuntime runtime;

    @Autowired
    org.civicbot.backoffice.content.FlowTests tests;

    @Test
    void anEditorFixesAMarkedMistakePreviewsTheDraftAndPublishesIt() {
        staff("marta-editor", StaffUser.Role.EDITOR);
        long first = editing.revisions("main").collectList().block().stream()
                .mapToLong(org.civicbot.bot.content.FlowRevision::number).min().orElseThrow();
        try {
            browser.forgetCookies();
            browser.login("marta-editor", STAFF_PASSWORD);
            browser.waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".flow-editor .CodeMirror")),
                    "the editor, an editor's first page");
            // Beside the flows, the live information sources and their state (news, agenda, pharmacies).
            assertThat(browser.all(By.cssSelector("#flow-sources tr.source"))).hasSize(3);
            browser.js("document.getElementById('flow-sources').scrollIntoView()");
            browser.screenshot("sources");
            String yaml = (String) browser.js("return window.civicbotFlowEditor.getValue()");
            assertThat(yaml).contains(ORIGINAL);

            // A mistake: the menu points at a flow that does not exist. Saved, it is marked at its line.
            String broken = yaml.replace(ORIGINAL, EDITED).replaceFirst("next: flow:incident", "next: flow:enlloc");
            int line = lineOf(broken, "next: flow:enlloc");
            browser.js("window.civicbotFlowEditor.setValue(arguments[0])", broken);
            browser.click(By.id("flow-save"));
            By mainError = By.cssSelector(".flow-issue.error[data-file='main.yaml']");
            browser.waitFor(ExpectedConditions.presenceOfElementLocated(mainError), "the report");
            assertThat(browser.attribute(mainError, "data-line"))
                    .isEqualTo(String.valueOf(line));
            browser.waitFor(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector(".CodeMirror-lint-marker-error")), "the marker in the gutter");
            WebElement marker = browser.driver().findElement(By.cssSelector(".CodeMirror-lint-marker-error"));
            String markedLine = (String) browser.js("return arguments[0].closest('.CodeMirror-gutter-wrapper')"
                    + ".querySelector('.CodeMirror-linenumber').textContent", marker);
            assertThat(markedLine).isEqualTo(String.valueOf(line));
            browser.screenshot("marked");
            browser.click(By.id("flow-publish"));
            browser.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("flow-status"), "Not published"),
                    "the refusal");
            assertThat(menuText()).as("the bot keeps the published flows").startsWith(ORIGINAL);

            // Fixed and saved: the preview beside says the draft's words; the live bot does not yet.
            browser.js("window.civicbotFlowEditor.setValue(arguments[0])", yaml.replace(ORIGINAL, EDITED));
            browser.click(By.id("flow-save"));
            browser.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("flow-status"),
                    "No errors"), "the draft valid");
            new org.openqa.selenium.support.ui.Select(browser.driver().findElement(By.id("try-language")))
                    .selectByValue("ca");
            browser.fill(By.id("try-text"), "hola");
            browser.click(By.id("try-send"));
            browser.waitFor(ExpectedConditions.attributeToBe(By.id("try-chat"), "data-turns", "1"), "the preview");
            assertThat(String.join("\n", browser.texts(By.cssSelector("#try-chat .try-bubble.bot .try-bubble-text"))))
                    .contains(EDITED);
            assertThat(menuText()).startsWith(ORIGINAL);
            browser.screenshot("preview");

            // The conversation, kept as a test: it runs before every publish.
            browser.fill(By.id("test-name"), "La salutació");
            browser.click(By.id("test-record"));
            browser.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("test-list"), "La salutació"),
                    "the test listed");

            browser.fill(By.id("flow-comment"), "La salutació de la Marta");
            browser.click(By.id("flow-publish"));
            browser.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("flow-status"), "Published"),
                    "published");
            assertThat(menuText()).startsWith(EDITED);

            // Another change that answers the test differently: the publish is refused, naming the test.
            browser.js("window.civicbotFlowEditor.setValue(arguments[0])", yaml.replace(ORIGINAL, "Bon dia a tothom!"));
            browser.click(By.id("flow-save"));
            browser.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("flow-status"), "No errors"),
                    "the second draft");
            browser.click(By.id("flow-publish"));
            browser.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("flow-status"),
                    "a conversation test fails"), "the publish blocked");
            assertThat(browser.text(By.cssSelector(".test-failure"))).contains("La salutació").contains("step 1");
            browser.screenshot("blocked");
            assertThat(menuText()).startsWith(EDITED);

            // The history: Marta's revision, in force, compared with the draft, line by line.
            browser.open("/flows?flow=main&lang=en");
            By rows = By.cssSelector("#flow-history tr.revision");
            browser.waitFor(ExpectedConditions.presenceOfElementLocated(rows), "the history");
            assertThat(browser.texts(By.cssSelector("#flow-history tr.revision:first-child td")))
                    .contains("marta-editor", "La salutació de la Marta");
            browser.click(By.cssSelector("#flow-history tr.revision:first-child .revision-compare"));
            browser.waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("flow-diff")), "the differences");
            assertThat(browser.texts(By.cssSelector("#flow-diff .diff-del"))).anyMatch(l -> l.contains(EDITED));
            assertThat(browser.texts(By.cssSelector("#flow-diff .diff-add")))
                    .anyMatch(l -> l.contains("Bon dia a tothom!"));
            assertThat(browser.text(By.id("flow-diff-summary"))).isEqualTo("Lines added: 1; lines removed: 1.");
            browser.screenshot("history");

            // Publishing the revision before Marta's again runs the tests too: hers, which expects her greeting,
            // blocks it. Without the test, it is restored as a new revision, and the bot says the old greeting.
            String before = browser.attribute(By.cssSelector("#flow-history tr.revision:nth-child(2)"),
                    "data-revision");
            browser.click(By.cssSelector("#flow-history tr.revision:nth-child(2) .revision-restore"));
            browser.click(By.cssSelector("#flow-history tr.revision:nth-child(2) .revision-confirm"));
            browser.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("flow-status"),
                    "a conversation test fails"), "the restore blocked");
            assertThat(menuText()).startsWith(EDITED);
            tests.all().filter(t -> t.name().equals("La salutació")).flatMap(t -> tests.delete(t.id())).blockLast();
            browser.click(By.cssSelector("#flow-history tr.revision:nth-child(2) .revision-restore"));
            browser.click(By.cssSelector("#flow-history tr.revision:nth-child(2) .revision-confirm"));
            browser.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("flow-status"),
                    "Revision " + before + " published again"), "the restore");
            assertThat(menuText()).startsWith(ORIGINAL);
            assertThat(browser.text(By.cssSelector("#flow-history tr.revision:first-child td:nth-child(4)")))
                    .contains("back to revision " + before);
            browser.screenshot("restored");
        } finally {
            tests.all().filter(t -> t.name().equals("La salutació")).flatMap(t -> tests.delete(t.id())).blockLast();
            editing.discard("main").block();
            editing.rollback("main", first, "back to the shipped greeting", "test").block();
        }
        assertThat(menuText()).startsWith(ORIGINAL);
    }

    private String menuText() {
        return ((Node.Menu) runtime.get().flows().node("main", "main_menu").orElseThrow()).text().in(Language.CA);
    }

    private static int lineOf(String yaml, String text) {
        String[] lines = yaml.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line with " + text);
    }
}

package org.civicbot.app.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.List;
import org.civicbot.app.Providers;
import org.civicbot.bot.Channel;
import org.civicbot.bot.outbox.DeliveryStatus;
import org.civicbot.bot.outbox.OutboxEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** A reply whose send is in doubt is marked on the conversation page, and staff send it again from there. */
class DeliveryProblemsBrowserTests extends BrowserStack {

    @RegisterExtension
    static final Browser browser = new Browser();

    @Test
    void marksAReplyInDoubtAndSendsItAgainWhenStaffSaySo() {
        long chat = Providers.newChat();
        String id = conversationId(chat);
        telegram(chat, "Pau", "Riera", "hola");
        awaitOutboxSettled(id);
        Instant now = Instant.now();
        mongo.insert(new OutboxEntry("doubt:" + id + "/0", id, Channel.TELEGRAM, String.valueOf(chat),
                "Demà al matí passarà la brigada.", List.of(), 999_000_001L, "STAFF", "admin", DeliveryStatus.UNKNOWN,
                1, null, null, null, "no answer within PT30S; not repeated", now, null, now, null)).block();

        browser.login(ADMIN, ADMIN_PASSWORD);
        browser.open("/conversations/" + id);
        By resend = By.cssSelector("#timeline form.message-action button.resend");
        browser.waitFor(ExpectedConditions.visibilityOfElementLocated(resend), "the Send again button");
        assertThat(browser.texts(By.cssSelector("#timeline .delivery-status[data-status=UNKNOWN]")))
                .containsExactly("May not have arrived");
        assertThat(browser.all(resend)).hasSize(1);
        browser.screenshot("reply-in-doubt");

        browser.click(resend);
        browser.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash-ok"),
                "Message sent again."), "the confirmation");
        await().atMost(PATIENCE).until(() -> Providers.telegramMessagesTo(chat).stream()
                .anyMatch(m -> m.path("text").asText().equals("Demà al matí passarà la brigada.")));
        browser.open("/conversations/" + id);
        browser.waitFor(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#timeline .delivery-status[data-status=SENT]")), "the sent reply");
        assertThat(browser.all(resend)).isEmpty();
        browser.screenshot("reply-sent-again");
    }
}

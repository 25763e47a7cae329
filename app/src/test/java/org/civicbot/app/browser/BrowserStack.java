package org.civicbot.app.browser;

import org.civicbot.app.FullStackTest;
import org.civicbot.app.Providers;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.ConversationIds;
import org.civicbot.bot.inbound.InboundRecord;

/**
 * The whole application as the full-stack tests run it (the same Spring context), for the browser tests:
 * a citizen writing on Telegram, and the admin who signs in to the pages.
 */
abstract class BrowserStack extends FullStackTest {

    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "admin-password";

    String conversationId(long chat) {
        return conversationIds.of(Channel.TELEGRAM, String.valueOf(chat));
    }

    /** The citizen {@code firstName lastName} writes {@code text} on Telegram; returns once the bot has processed it. */
    void telegram(long chat, String firstName, String lastName, String text) {
        long updateId = Providers.nextUpdateId();
        postTelegram(Providers.telegramText(updateId, chat, firstName, lastName, text))
                .expectStatus().isOk().expectBody().returnResult();
        awaitProcessed(InboundRecord.idOf(Channel.TELEGRAM, String.valueOf(updateId)));
    }
}

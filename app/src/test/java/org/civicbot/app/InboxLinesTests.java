package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.Incidents;
import org.civicbot.bot.incident.Source;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Each line of the inbox staff act on says what the citizen last wrote and which of their incidents are open. */
class InboxLinesTests extends FullStackTest {

    @Autowired
    Incidents incidents;

    @Test
    void anInboxLineShowsTheLastMessageAndTheCitizensOpenIncidents() {
        long chat = Providers.newChat();
        long update = Providers.nextUpdateId();
        telegram(update, Providers.telegramText(update, chat, "Bon dia, el contenidor del carrer Nou fa dies que és ple"));
        long second = Providers.nextUpdateId();
        telegram(second, Providers.telegramText(second, chat, "vull parlar amb una persona"));
        Conversation conversation = conversation(Channel.TELEGRAM, String.valueOf(chat));
        awaitOutboxSettled(conversation.id());
        Incident open = incidents.report(new Incidents.Report("inbox-lines-" + chat, "cleaning_waste",
                "Contenidor ple", null, List.of(), Source.TELEGRAM, "Veí", Channel.TELEGRAM, conversation.id(), null,
                null, new Incident.TimelineEntry(Instant.now(), "CREATED", "citizen", "Reported on TELEGRAM"))).block();

        staff("inbox-lines-admin");
        String inbox = PageSession.signIn(web, "inbox-lines-admin", STAFF_PASSWORD).get("/inbox/lists?lang=ca");
        int line = inbox.indexOf("data-conversation-id=\"" + conversation.id() + "\"");
        assertThat(line).as("the conversation is listed").isPositive();
        String row = inbox.substring(line, inbox.indexOf("</li>", line));
        assertThat(row).as("a citizen waiting for a person: what they last wrote, and their open incidents")
                .contains("vull parlar amb una persona").contains("Obertes: " + open.code());
    }
}

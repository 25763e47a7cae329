package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.conversation.ConversationStatus;
import org.civicbot.bot.conversation.StaffDesk;
import org.civicbot.bot.outbox.OutboxEntry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Asking for a person, staff taking over, the bot silent meanwhile, and the bot back after release. */
class HandoffTests extends FullStackTest {

    @Autowired
    StaffDesk desk;

    @Test
    void staysSilentWhileStaffOwnTheConversationAndAnswersAgainOnceReleased() {
        String citizen = "whatsapp:+34600000601";
        whatsapp(citizen, "hola");
        whatsapp(citizen, "persona");
        Conversation waiting = conversation(Channel.WHATSAPP, citizen);
        assertThat(waiting.status()).isEqualTo(ConversationStatus.AWAITING_AGENT);
        assertThat(waiting.department()).isEqualTo("citizen_service");
        int beforeQueue = awaitOutboxSettled(waiting.id()).size();

        // In the queue the bot says nothing, not even to a menu number.
        whatsapp(citizen, "1");
        assertThat(outbox(waiting.id())).hasSize(beforeQueue);

        desk.takeOver(waiting.id(), "anna").block();
        for (String text : List.of("hola", "menu", "1", "persona", "Quan obriu l'oficina?")) {
            whatsapp(citizen, text);
        }
        assertThat(outbox(waiting.id())).as("the bot said nothing while staff owned it").hasSize(beforeQueue);

        desk.reply(waiting.id(), "anna", "Bon dia, soc l'Anna. L'oficina obre a les 9.", "key-1").block();
        desk.reply(waiting.id(), "anna", "Bon dia, soc l'Anna. L'oficina obre a les 9.", "key-1").block();
        desk.release(waiting.id(), "anna", Optional.empty(), Optional.of("Et torno a passar amb l'assistent.")).block();
        assertThat(conversation(Channel.WHATSAPP, citizen).status()).isEqualTo(ConversationStatus.BOT);

        whatsapp(citizen, "3");
        List<OutboxEntry> all = awaitOutboxSettled(waiting.id());
        List<String> after = all.subList(beforeQueue, all.size()).stream().map(OutboxEntry::text).toList();
        assertThat(after).hasSize(4);
        assertThat(after.get(0)).isEqualTo("Bon dia, soc l'Anna. L'oficina obre a les 9.");
        assertThat(after.get(1)).isEqualTo("Et torno a passar amb l'assistent.");
        assertThat(after.get(2)).startsWith("Hola! Sóc l'assistent");
        assertThat(after.get(3)).isEqualTo("Quina informació busques?");
        assertThat(all.subList(beforeQueue, all.size())).extracting(OutboxEntry::author)
                .containsExactly("STAFF", "STAFF", "BOT", "BOT");
    }

    @Test
    void letsACitizenLeaveTheQueueWithTheRestartWord() {
        String citizen = "whatsapp:+34600000602";
        whatsapp(citizen, "hola");
        whatsapp(citizen, "persona");
        assertThat(conversation(Channel.WHATSAPP, citizen).status()).isEqualTo(ConversationStatus.AWAITING_AGENT);

        whatsapp(citizen, "menu");

        Conversation back = conversation(Channel.WHATSAPP, citizen);
        assertThat(back.status()).isEqualTo(ConversationStatus.BOT);
        // Still within the scope of the department it asked for, though the bot has it back.
        assertThat(back.department()).isEqualTo("citizen_service");
        List<OutboxEntry> replies = outbox(back.id());
        assertThat(replies.get(replies.size() - 1).text()).startsWith("Hola! Sóc l'assistent");
    }

    @Test
    void reopensAClosedConversationWithTheBot() {
        String citizen = "whatsapp:+34600000603";
        whatsapp(citizen, "hola");
        Conversation conversation = conversation(Channel.WHATSAPP, citizen);
        desk.takeOver(conversation.id(), "anna").block();
        desk.close(conversation.id(), "anna").block();
        assertThat(conversation(Channel.WHATSAPP, citizen).status()).isEqualTo(ConversationStatus.CLOSED);

        whatsapp(citizen, "bon dia");

        assertThat(conversation(Channel.WHATSAPP, citizen).status()).isEqualTo(ConversationStatus.BOT);
        List<OutboxEntry> replies = outbox(conversation.id());
        // Not a first contact any more: no second privacy notice.
        assertThat(replies).filteredOn(e -> e.text().contains("privacitat")).hasSize(1);
        assertThat(replies.get(replies.size() - 1).text()).startsWith("Hola! Sóc l'assistent");
    }
}

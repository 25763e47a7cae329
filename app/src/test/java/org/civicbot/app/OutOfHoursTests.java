package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.conversation.ConversationStatus;
import org.civicbot.bot.outbox.OutboxEntry;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A citizen who asks for a person while the office is closed is told at once when it opens, and waits in the queue. */
class OutOfHoursTests extends FullStackTest {

    /** Open one minute a week, so that the test, whenever it runs, almost surely finds the office closed. */
    @DynamicPropertySource
    static void officeClosed(DynamicPropertyRegistry registry) {
        registry.add("civicbot.handoff.office-hours", () -> "SUN 03:00-03:01");
    }

    @Test
    void tellsACitizenWhenTheOfficeOpensAndKeepsTheRequestInTheQueue() {
        String citizen = "whatsapp:+34600000991";
        whatsapp(citizen, "hola");
        whatsapp(citizen, "persona");

        Conversation conversation = conversation(Channel.WHATSAPP, citizen);
        assertThat(conversation.status()).isEqualTo(ConversationStatus.AWAITING_AGENT);
        List<OutboxEntry> replies = awaitOutboxSettled(conversation.id());
        OutboxEntry notice = replies.get(replies.size() - 1);
        assertThat(notice.author()).isEqualTo("SYSTEM");
        assertThat(notice.text()).isEqualTo("Ara mateix l'oficina és tancada. La teva consulta queda a la cua i"
                + " t'atendrem a partir de diumenge a les 03:00. Si vols tornar al menú, escriu MENÚ.");
        assertThat(Providers.twilioBodiesTo(citizen)).last().isEqualTo(notice.text());
        assertThat(conversation.waitNoticeAt()).as("no second notice when the wait runs long").isNotNull();
    }
}

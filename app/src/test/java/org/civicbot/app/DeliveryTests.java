package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.ConversationIds;
import org.civicbot.bot.inbound.InboundRecord;
import org.civicbot.bot.outbox.OutboxEntry;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.Sort;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** What providers retry, and what arrives at once, is handled once and in order. */
class DeliveryTests extends FullStackTest {

    @Test
    void storesAndAnswersATwilioMessageDeliveredTwiceOnce() {
        String citizen = "whatsapp:+34600000301";
        String sid = Providers.nextMessageSid();
        Map<String, String> form = Providers.whatsappText(citizen, sid, "hola");

        postTwilio(form).expectStatus().isOk();
        postTwilio(form).expectStatus().isOk();
        awaitProcessed(InboundRecord.idOf(Channel.WHATSAPP, sid));

        String conversationId = ConversationIds.of(Channel.WHATSAPP, citizen);
        assertThat(count(InboundRecord.class, "conversationId", conversationId)).isEqualTo(1);
        List<OutboxEntry> replies = awaitOutboxSettled(conversationId);
        assertThat(replies).hasSize(2);
        assertThat(Providers.twilioBodiesTo(citizen)).hasSize(2);
    }

    @Test
    void storesAndAnswersATelegramUpdateDeliveredTwiceOnce() {
        long chat = 700_301;
        String update = Providers.telegramText(9301, chat, "hola");

        postTelegram(update).expectStatus().isOk();
        postTelegram(update).expectStatus().isOk();
        awaitProcessed(InboundRecord.idOf(Channel.TELEGRAM, "9301"));

        String conversationId = ConversationIds.of(Channel.TELEGRAM, String.valueOf(chat));
        assertThat(count(InboundRecord.class, "conversationId", conversationId)).isEqualTo(1);
        awaitOutboxSettled(conversationId);
        assertThat(Providers.telegramTextsTo(chat)).hasSize(2);
    }

    @Test
    void appliesTwentyMessagesPostedAtOnceInTheOrderTheyArrived() {
        String citizen = "whatsapp:+34600000302";
        List<String> sids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sids.add(Providers.nextMessageSid());
        }
        Flux.fromIterable(sids)
                .flatMap(sid -> Mono.fromRunnable(() -> postTwilio(Providers.whatsappText(citizen, sid,
                                sids.indexOf(sid) % 2 == 0 ? "hola" : "3")).expectStatus().isOk())
                        .subscribeOn(Schedulers.boundedElastic()), 20)
                .blockLast();
        sids.forEach(sid -> awaitProcessed(InboundRecord.idOf(Channel.WHATSAPP, sid)));

        String conversationId = ConversationIds.of(Channel.WHATSAPP, citizen);
        List<String> arrivalOrder = mongo.find(query(where("conversationId").is(conversationId)).with(Sort.by("seq")),
                InboundRecord.class).map(InboundRecord::id).collectList().block();
        Set<String> turnOrder = new LinkedHashSet<>();
        for (OutboxEntry entry : outbox(conversationId)) {
            turnOrder.add(entry.id().substring(0, entry.id().lastIndexOf('/')));
        }
        assertThat(arrivalOrder).hasSize(20);
        assertThat(new ArrayList<>(turnOrder)).containsExactlyElementsOf(arrivalOrder);
        List<OutboxEntry> sent = awaitOutboxSettled(conversationId);
        List<String> bodies = Providers.twilioBodiesTo(citizen);
        assertThat(bodies).hasSameSizeAs(sent);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(bodies.get(i)).startsWith(sent.get(i).text());
        }
    }
}

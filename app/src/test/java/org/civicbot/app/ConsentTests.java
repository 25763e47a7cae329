package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.util.List;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.Conversation;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.query.Update;

/**
 * The privacy notice's reading and acceptance are recorded with the version of the terms; when the town hall
 * publishes new terms, a contact who accepted older ones reads the notice again.
 */
class ConsentTests extends FullStackTest {

    static final String PRIVACY_URL = "https://www.ajuntamentdeprova.cat/privacitat";

    @Test
    void theNoticeIsRecordedWithItsVersionAcceptedByContinuedUseAndShownAgainForNewTerms() {
        String citizen = "whatsapp:+34600009951";
        whatsapp(citizen, "hola");
        Conversation first = conversation(Channel.WHATSAPP, citizen);
        assertThat(first.consent().termsVersion()).isEqualTo("1");
        assertThat(first.consent().shownAt()).isNotNull();
        assertThat(first.consent().acceptedAt()).isNull();
        assertThat(Providers.twilioBodiesTo(citizen)).anySatisfy(body -> assertThat(body).contains(PRIVACY_URL));

        whatsapp(citizen, "3");
        Conversation accepted = conversation(Channel.WHATSAPP, citizen);
        assertThat(accepted.consent().acceptedAt()).isAfterOrEqualTo(first.consent().shownAt());
        assertThat(accepted.consent().how()).isEqualTo("continued use");
        assertThat(accepted.consent().termsVersion()).isEqualTo("1");

        // Another message changes nothing of what was accepted.
        whatsapp(citizen, "hola");
        awaitOutboxSettled(accepted.id());
        assertThat(conversation(Channel.WHATSAPP, citizen).consent()).isEqualTo(accepted.consent());
        long noticesSoFar = Providers.twilioBodiesTo(citizen).stream().filter(b -> b.contains(PRIVACY_URL)).count();
        assertThat(noticesSoFar).isOne();

        // The contact had accepted an earlier version of the terms: on their next visit they read the notice again.
        mongo.updateFirst(query(where("_id").is(accepted.id())), new Update().set("consent.termsVersion", "0"),
                Conversation.class).block();
        whatsapp(citizen, "hola");
        awaitOutboxSettled(accepted.id());
        List<String> bodies = Providers.twilioBodiesTo(citizen);
        assertThat(bodies.stream().filter(b -> b.contains(PRIVACY_URL)).count()).isEqualTo(2);
        Conversation again = conversation(Channel.WHATSAPP, citizen);
        assertThat(again.consent().termsVersion()).isEqualTo("1");
        assertThat(again.consent().acceptedAt()).isNull();
        assertThat(again.consent().shownAt()).isAfter(accepted.consent().acceptedAt());
    }
}

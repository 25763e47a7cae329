package org.civicbot.bot.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.civicbot.bot.Channel;
import org.civicbot.bot.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class OutboxStatusCallbacksTests {

    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    TestStore store = TestStore.start();
    OutboxStatusCallbacks callbacks = new OutboxStatusCallbacks(store.template(), Clock.fixed(NOW, ZoneOffset.UTC));

    @BeforeEach
    void sentEntry() {
        store.template().insert(new OutboxEntry("turn-1/0", "conversation-1", Channel.WHATSAPP, "whatsapp:+34600000001",
                "Hola", List.of(), 1, "BOT", null, DeliveryStatus.SENT, 1, null, null, "SM1", null, NOW, NOW, NOW, null))
                .block();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void movesTheEntryACallbackNamesEvenBeforeItsSendIsRecorded() {
        store.template().insert(new OutboxEntry("turn-2/0", "conversation-1", Channel.WHATSAPP, "whatsapp:+34600000001",
                "Hola", List.of(), 2, "BOT", null, DeliveryStatus.SENDING, 1, null, NOW, null, null, NOW, null, NOW,
                null)).block();

        StepVerifier.create(callbacks.updateEntry(Channel.WHATSAPP, "turn-2/0", "SM2", DeliveryStatus.DELIVERED, null))
                .expectNext(true).verifyComplete();

        OutboxEntry entry = store.template().findById("turn-2/0", OutboxEntry.class).block();
        assertThat(entry.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(entry.providerMessageId()).isEqualTo("SM2");
        // A later, lesser report changes nothing, and neither does one for an entry of another channel.
        StepVerifier.create(callbacks.updateEntry(Channel.WHATSAPP, "turn-2/0", "SM2", DeliveryStatus.SENT, null))
                .expectNext(false).verifyComplete();
        StepVerifier.create(callbacks.updateEntry(Channel.TELEGRAM, "turn-2/0", "SM2", DeliveryStatus.READ, null))
                .expectNext(false).verifyComplete();
        assertThat(store.template().findById("turn-2/0", OutboxEntry.class).block().status())
                .isEqualTo(DeliveryStatus.DELIVERED);
    }

    DeliveryStatus status() {
        return store.template().findById("turn-1/0", OutboxEntry.class).block().status();
    }

    void update(String providerId, DeliveryStatus status, boolean moved) {
        StepVerifier.create(callbacks.update(Channel.WHATSAPP, providerId, status, null))
                .expectNext(moved)
                .verifyComplete();
    }

    @Test
    void movesAnEntryForward() {
        update("SM1", DeliveryStatus.DELIVERED, true);
        assertThat(status()).isEqualTo(DeliveryStatus.DELIVERED);

        update("SM1", DeliveryStatus.READ, true);
        assertThat(status()).isEqualTo(DeliveryStatus.READ);
    }

    @Test
    void neverMovesAnEntryBack() {
        update("SM1", DeliveryStatus.READ, true);

        update("SM1", DeliveryStatus.DELIVERED, false);
        update("SM1", DeliveryStatus.SENT, false);

        assertThat(status()).isEqualTo(DeliveryStatus.READ);
    }

    @Test
    void keepsAReadEntryReadWhateverComesLater() {
        update("SM1", DeliveryStatus.READ, true);

        update("SM1", DeliveryStatus.UNDELIVERED, false);
        update("SM1", DeliveryStatus.FAILED, false);

        assertThat(status()).isEqualTo(DeliveryStatus.READ);
    }

    @Test
    void keepsAProviderErrorCode() {
        StepVerifier.create(callbacks.update(Channel.WHATSAPP, "SM1", DeliveryStatus.UNDELIVERED, "63016"))
                .expectNext(true)
                .verifyComplete();

        OutboxEntry entry = store.template().findById("turn-1/0", OutboxEntry.class).block();
        assertThat(entry.status()).isEqualTo(DeliveryStatus.UNDELIVERED);
        assertThat(entry.lastError()).contains("63016");
    }

    @Test
    void changesNothingForAnUnknownProviderId() {
        update("SM-unknown", DeliveryStatus.DELIVERED, false);

        assertThat(status()).isEqualTo(DeliveryStatus.SENT);
    }

    @Test
    void changesNothingForTheSameIdOnAnotherChannel() {
        StepVerifier.create(callbacks.update(Channel.TELEGRAM, "SM1", DeliveryStatus.DELIVERED, null))
                .expectNext(false)
                .verifyComplete();

        assertThat(status()).isEqualTo(DeliveryStatus.SENT);
    }
}

package org.civicbot.bot.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.civicbot.bot.Channel;
import org.civicbot.bot.MutableClock;
import org.civicbot.bot.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class DispatcherTests {

    static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
    static final Dispatcher.Settings SETTINGS = new Dispatcher.Settings(Duration.ofMillis(500), Duration.ofSeconds(5),
            Duration.ofMinutes(2), new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(5), 3));

    TestStore store = TestStore.start();
    MutableClock clock = new MutableClock(START);
    ScriptedSender whatsapp = new ScriptedSender(Channel.WHATSAPP);
    Dispatcher dispatcher = new Dispatcher(store.template(), List.of(whatsapp), clock, SETTINGS);

    @AfterEach
    void close() {
        store.close();
    }

    /** Answers each send as scripted for its entry, and Sent when nothing is scripted; remembers what it sent. */
    static class ScriptedSender implements ChannelSender {
        private final Channel channel;
        private final Map<String, Deque<SendOutcome>> script = new ConcurrentHashMap<>();
        final List<String> sent = new CopyOnWriteArrayList<>();

        ScriptedSender(Channel channel) {
            this.channel = channel;
        }

        ScriptedSender answer(String entryId, SendOutcome... outcomes) {
            script.computeIfAbsent(entryId, id -> new ArrayDeque<>()).addAll(List.of(outcomes));
            return this;
        }

        @Override
        public Channel channel() {
            return channel;
        }

        @Override
        public Mono<SendOutcome> send(OutboundMessage message) {
            sent.add(message.entryId());
            Deque<SendOutcome> outcomes = script.get(message.entryId());
            SendOutcome outcome = outcomes == null || outcomes.isEmpty() ? null : outcomes.poll();
            return Mono.just(outcome != null ? outcome : new SendOutcome.Sent("P-" + message.entryId()));
        }
    }

    void enqueue(String id, String conversationId, long seq) {
        enqueue(id, conversationId, seq, Channel.WHATSAPP, DeliveryStatus.PENDING, null);
    }

    void enqueue(String id, String conversationId, long seq, Channel channel, DeliveryStatus status,
            Instant sendingSince) {
        store.template().insert(new OutboxEntry(id, conversationId, channel, "address-" + conversationId, "text " + id,
                List.of(), seq, "BOT", null, status, status == DeliveryStatus.SENDING ? 1 : 0, null, sendingSince,
                null, null, START, null, START, null)).block();
    }

    OutboxEntry entry(String id) {
        return store.template().findById(id, OutboxEntry.class).block();
    }

    long round() {
        return dispatcher.round().block();
    }

    @Test
    void neverSendsFasterThanTheProviderAccepts() {
        ScriptedSender slow = new ScriptedSender(Channel.TELEGRAM) {
            @Override
            public int maxPerSecond() {
                return 2;
            }
        };
        dispatcher = new Dispatcher(store.template(), List.of(slow), clock, SETTINGS);
        for (int i = 0; i < 5; i++) {
            enqueue("c" + i + "/0", "c" + i, i, Channel.TELEGRAM, DeliveryStatus.PENDING, null);
        }

        assertThat(round()).isEqualTo(2);
        assertThat(round()).isZero();
        assertThat(entry("c4/0").status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(entry("c4/0").attempts()).isZero();
        clock.advance(java.time.Duration.ofMillis(500));
        assertThat(round()).isEqualTo(1);
        clock.advance(java.time.Duration.ofSeconds(1));
        assertThat(round()).isEqualTo(2);
        // Conversations are independent: within a round they go out in parallel, in no set order.
        assertThat(slow.sent).containsExactlyInAnyOrder("c0/0", "c1/0", "c2/0", "c3/0", "c4/0");
    }

    @Test
    void sendsTheEntriesOfAConversationInOrderOnePerRound() {
        enqueue("a/2", "a", 20);
        enqueue("a/0", "a", 1);
        enqueue("a/1", "a", 10);

        assertThat(round()).isEqualTo(1);
        assertThat(whatsapp.sent).containsExactly("a/0");
        round();
        round();
        assertThat(whatsapp.sent).containsExactly("a/0", "a/1", "a/2");
        assertThat(round()).isZero();
    }

    @Test
    void holdsALaterEntryWhileAnEarlierOneIsRetrying() {
        whatsapp.answer("a/0", new SendOutcome.Retryable("503", Optional.of(Duration.ofSeconds(30))));
        enqueue("a/0", "a", 1);
        enqueue("a/1", "a", 2);

        round();
        round();
        assertThat(whatsapp.sent).containsExactly("a/0");

        clock.advance(Duration.ofSeconds(30));
        round();
        round();
        assertThat(whatsapp.sent).containsExactly("a/0", "a/0", "a/1");
        assertThat(entry("a/0").status()).isEqualTo(DeliveryStatus.SENT);
        assertThat(entry("a/0").attempts()).isEqualTo(2);
    }

    @Test
    void holdsALaterEntryWhileAnEarlierOneIsBeingSent() {
        enqueue("a/0", "a", 1, Channel.WHATSAPP, DeliveryStatus.SENDING, START);
        enqueue("a/1", "a", 2);

        assertThat(round()).isZero();
        assertThat(whatsapp.sent).isEmpty();
    }

    @Test
    void movesTwoConversationsOnInTheSameRound() {
        enqueue("a/0", "a", 1);
        enqueue("a/1", "a", 2);
        enqueue("b/0", "b", 3);

        assertThat(round()).isEqualTo(2);
        assertThat(whatsapp.sent).containsExactlyInAnyOrder("a/0", "b/0");
    }

    @Test
    void recordsTheProvidersIdOfASentEntry() {
        enqueue("a/0", "a", 1);

        round();

        OutboxEntry sent = entry("a/0");
        assertThat(sent.status()).isEqualTo(DeliveryStatus.SENT);
        assertThat(sent.providerMessageId()).isEqualTo("P-a/0");
        assertThat(sent.sentAt()).isEqualTo(START);
        assertThat(sent.attempts()).isEqualTo(1);
        assertThat(sent.sendingSince()).isNull();
    }

    @Test
    void retriesNoSoonerThanTheProviderAsked() {
        whatsapp.answer("a/0", new SendOutcome.Retryable("429 too many requests", Optional.of(Duration.ofMinutes(1))));
        enqueue("a/0", "a", 1);

        round();

        OutboxEntry retrying = entry("a/0");
        assertThat(retrying.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(retrying.nextAttemptAt()).isAfterOrEqualTo(START.plus(Duration.ofMinutes(1)));
        assertThat(retrying.attempts()).isEqualTo(1);
        assertThat(retrying.lastError()).isEqualTo("429 too many requests");

        clock.advance(Duration.ofSeconds(59));
        round();
        assertThat(whatsapp.sent).hasSize(1);
    }

    @Test
    void givesUpAfterMaxAttempts() {
        SendOutcome busy = new SendOutcome.Retryable("503", Optional.empty());
        whatsapp.answer("a/0", busy, busy, busy, busy);
        enqueue("a/0", "a", 1);

        for (int i = 0; i < 5; i++) {
            round();
            clock.advance(Duration.ofMinutes(10));
        }

        OutboxEntry failed = entry("a/0");
        assertThat(failed.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(failed.attempts()).isEqualTo(SETTINGS.backoff().maxAttempts());
        assertThat(failed.lastError()).contains("gave up after 3 attempts");
        assertThat(whatsapp.sent).hasSize(3);
    }

    @Test
    void treatsASenderErrorAsRetryable() {
        ChannelSender broken = new ChannelSender() {
            @Override
            public Channel channel() {
                return Channel.WHATSAPP;
            }

            @Override
            public Mono<SendOutcome> send(OutboundMessage message) {
                return Mono.error(new IllegalStateException("connection reset"));
            }
        };
        dispatcher = new Dispatcher(store.template(), List.of(broken), clock, SETTINGS);
        enqueue("a/0", "a", 1);

        round();

        assertThat(entry("a/0").status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(entry("a/0").nextAttemptAt()).isAfter(START);
    }

    @Test
    void failsAPermanentlyRefusedEntryAtOnce() {
        whatsapp.answer("a/0", new SendOutcome.Permanent("63016 outside the 24-hour window"));
        enqueue("a/0", "a", 1);
        enqueue("a/1", "a", 2);

        round();

        OutboxEntry failed = entry("a/0");
        assertThat(failed.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(failed.lastError()).isEqualTo("63016 outside the 24-hour window");

        round();
        assertThat(whatsapp.sent).containsExactly("a/0", "a/1");
    }

    @Test
    void failsAnInterruptedSendWithoutSendingItAgain() {
        enqueue("a/0", "a", 1, Channel.WHATSAPP, DeliveryStatus.SENDING, START);
        clock.advance(SETTINGS.interruptedAfter().plusSeconds(1));

        round();
        round();

        OutboxEntry interrupted = entry("a/0");
        assertThat(interrupted.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(interrupted.lastError()).contains("interrupted");
        assertThat(whatsapp.sent).isEmpty();
    }

    @Test
    void failsAnEntryForAChannelWithNoSender() {
        enqueue("t/0", "t", 1, Channel.TELEGRAM, DeliveryStatus.PENDING, null);

        round();

        OutboxEntry failed = entry("t/0");
        assertThat(failed.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(failed.lastError()).contains("TELEGRAM");
        assertThat(whatsapp.sent).isEmpty();
    }
}

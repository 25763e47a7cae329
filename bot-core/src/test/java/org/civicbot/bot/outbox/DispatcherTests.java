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
import org.civicbot.bot.Durability;
import org.civicbot.bot.PathMetrics;
import org.civicbot.bot.MutableClock;
import org.civicbot.bot.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class DispatcherTests {

    static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
    static final Dispatcher.Settings SETTINGS = new Dispatcher.Settings(Duration.ofMillis(500), Duration.ofSeconds(5),
            Duration.ofMinutes(2), new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(5), 3));

    /** The store commands sent, by name. */
    final Map<String, java.util.concurrent.atomic.AtomicInteger> commands = new ConcurrentHashMap<>();
    TestStore store = TestStore.start(new com.mongodb.event.CommandListener() {
        @Override
        public void commandStarted(com.mongodb.event.CommandStartedEvent event) {
            commands.computeIfAbsent(event.getCommandName(), k -> new java.util.concurrent.atomic.AtomicInteger())
                    .incrementAndGet();
            // And by command and collection: "find outbox_queue".
            org.bson.BsonValue collection = event.getCommand().get(event.getCommandName());
            if (collection != null && collection.isString()) {
                commands.computeIfAbsent(event.getCommandName() + " " + collection.asString().getValue(),
                        k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
            }
        }
    });
    MutableClock clock = new MutableClock(START);
    ScriptedSender whatsapp = new ScriptedSender(Channel.WHATSAPP);
    Dispatcher dispatcher = new Dispatcher(store.template(), Durability.journaledWrites(), List.of(whatsapp),
                clock, SETTINGS, PathMetrics.unobserved());

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

    /** A WhatsApp sender that answers each send as {@code send} says. */
    static ChannelSender whatsappSender(java.util.function.Function<OutboundMessage, Mono<SendOutcome>> send) {
        return new ChannelSender() {
            @Override
            public Channel channel() {
                return Channel.WHATSAPP;
            }

            @Override
            public Mono<SendOutcome> send(OutboundMessage message) {
                return send.apply(message);
            }
        };
    }

    /** A WhatsApp sender on a raised rate (a thousand a second), so that many sends are in flight at once. */
    static ChannelSender fastSender(java.util.function.Function<OutboundMessage, Mono<SendOutcome>> send) {
        ChannelSender sender = whatsappSender(send);
        return new ChannelSender() {
            @Override
            public Channel channel() {
                return sender.channel();
            }

            @Override
            public Mono<SendOutcome> send(OutboundMessage message) {
                return sender.send(message);
            }

            @Override
            public int maxPerSecond() {
                return 1_000;
            }
        };
    }

    /**
     * A fast WhatsApp sender whose sends of entries named {@code conversation/index} take a while to be accepted, and
     * that notes any entry sent before the one ahead of it in its conversation was accepted.
     */
    static final class OrderChecking {
        final Map<String, Integer> acceptedUpTo = new ConcurrentHashMap<>();
        final List<String> outOfOrder = new CopyOnWriteArrayList<>();
        final List<String> sent = new CopyOnWriteArrayList<>();
        final ChannelSender sender;

        OrderChecking(java.util.function.IntFunction<Duration> acceptedAfter) {
            sender = fastSender(message -> {
                String[] parts = message.entryId().split("/");
                int index = Integer.parseInt(parts[1]);
                if (acceptedUpTo.getOrDefault(parts[0], -1) != index - 1) {
                    outOfOrder.add(message.entryId());
                }
                sent.add(message.entryId());
                return Mono.delay(acceptedAfter.apply(index)).then(Mono.fromSupplier(() -> {
                    acceptedUpTo.put(parts[0], index);
                    return (SendOutcome) new SendOutcome.Sent("P-" + message.entryId());
                }));
            });
        }
    }

    /** A new entry, not yet stored. */
    static OutboxEntry pending(String id, String conversationId, long seq) {
        return OutboxEntry.pending(id, conversationId, Channel.WHATSAPP, "address-" + conversationId, "text " + id,
                List.of(), seq, "BOT", null, START.plusMillis(seq));
    }

    void enqueue(String id, String conversationId, long seq) {
        enqueue(id, conversationId, seq, Channel.WHATSAPP, DeliveryStatus.PENDING, null);
    }

    void enqueue(String id, String conversationId, long seq, Channel channel, DeliveryStatus status,
            Instant sendingSince) {
        OutboxEntry entry = new OutboxEntry(id, conversationId, channel, "address-" + conversationId, "text " + id,
                List.of(), seq, "BOT", null, status, status == DeliveryStatus.SENDING ? 1 : 0, null, sendingSince,
                null, null, START.plusMillis(seq), null, START, null);
        store.template().insert(entry).block();
        store.template().insert(QueuedEntry.of(entry, START)).block();
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
        dispatcher = new Dispatcher(store.template(), Durability.journaledWrites(), List.of(slow),
                clock, clock::nanos, SETTINGS, PathMetrics.unobserved());
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

    /**
     * A conversation's next entry may go once the provider has accepted the last one, before that one's outcome is
     * recorded: running on its own, with many conversations at once, no entry is sent while an earlier one of its
     * conversation is still waiting for the provider, and each is sent once.
     */
    @Test
    void sendsEachConversationInOrderWhileEarlierOutcomesAreStillBeingRecorded() {
        int conversations = 30;
        int each = 4;
        java.util.Random random = new java.util.Random(7);
        OrderChecking sender = new OrderChecking(index -> Duration.ofMillis(10 + random.nextInt(30)));
        List<String> outOfOrder = sender.outOfOrder;
        List<String> sent = sender.sent;
        Dispatcher running = new Dispatcher(store.template(), Durability.journaledWrites(), List.of(sender.sender),
                clock, SETTINGS, PathMetrics.unobserved());
        for (int k = 0; k < each; k++) {
            for (int c = 0; c < conversations; c++) {
                enqueue("c" + c + "/" + k, "c" + c, k + 1L);
            }
        }
        running.start();
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> store.template()
                    .count(new org.springframework.data.mongodb.core.query.Query(), QueuedEntry.class).block() == 0);
        } finally {
            running.stop();
        }
        assertThat(outOfOrder).isEmpty();
        assertThat(sent).hasSize(conversations * each).doesNotHaveDuplicates();
        assertThat(store.template().count(org.springframework.data.mongodb.core.query.Query.query(
                org.springframework.data.mongodb.core.query.Criteria.where("status").is(DeliveryStatus.SENT)),
                OutboxEntry.class).block()).isEqualTo(conversations * each);
    }

    /**
     * The embedded store's only sender keeps its queue in memory: forty replies queued while it sends cost no store
     * command on the queue, and go in each conversation's order, once each.
     */
    @Test
    void theSoleSenderKeepsItsQueueInMemory() {
        turnsQueuedAsTheySend(new MemoryQueue());
        assertThat(commands.keySet()).noneMatch(command -> command.endsWith(" outbox_queue"));
        assertThat(commands).containsKeys("insert outbox", "update outbox");
    }

    @Test
    void anInstanceThatSharesTheStoreReadsTheQueueForWhatIsQueued() {
        turnsQueuedAsTheySend(new StoredQueue(store.template()));
        int reads = commands.getOrDefault("find outbox_queue", new java.util.concurrent.atomic.AtomicInteger()).get();
        // Another instance's turn may have queued an earlier entry of the same conversation: only a read sees it. Wakes
        // that come together share a read (17 or 18 of the forty, here, on a quiet machine).
        assertThat(reads).isGreaterThanOrEqualTo(8);
    }

    /**
     * A queue longer than one read holds (a backlog after an outage): a read is cut in conversation order, so it never
     * has a conversation's later reply without its earlier ones, in memory or in the store, whatever order they were
     * queued in.
     */
    @Test
    void aQueueLongerThanOneReadNeverSendsAConversationsLaterReplyFirst() {
        for (SendQueue queue : List.of(new MemoryQueue(), new StoredQueue(store.template()))) {
            whatsapp.sent.clear();
            // A read's worth of places not yet due (retrying in an hour), all before conversation x's replies.
            List<QueuedEntry> backlog = new java.util.ArrayList<>();
            for (int i = 0; i < Dispatcher.MAX_QUEUE_READ; i++) {
                backlog.add(new QueuedEntry("b" + i + "/0", "b" + i, Channel.WHATSAPP, 1, START,
                        START.plus(Duration.ofHours(1))));
            }
            queue.add(backlog).block();
            Dispatcher dispatcher = new Dispatcher(store.template(), queue, Durability.journaledWrites(),
                    List.of(whatsapp), clock, SETTINGS, PathMetrics.unobserved());
            Outbox outbox = new Outbox(store.template(), clock, queue, dispatcher::placed);
            String x = "x" + queue.inMemory();
            outbox.enqueue(List.of(pending(x + "/1", x, 3))).block();
            outbox.enqueue(List.of(pending(x + "/0", x, 2))).block();

            assertThat(dispatcher.round().block()).isZero();
            // Room for one more in a read: x's first reply, not its second.
            queue.drop("b0/0").block();
            assertThat(dispatcher.round().block()).isEqualTo(1);
            assertThat(whatsapp.sent).containsExactly(x + "/0");
            queue.drop("b1/0").block();
            assertThat(dispatcher.round().block()).isEqualTo(1);
            assertThat(whatsapp.sent).containsExactly(x + "/0", x + "/1");
        }
    }

    /**
     * Staff send a reply again while its last send's outcome is still being recorded (the store refused it at first, and
     * a status callback said meanwhile that it was not delivered): the place staff queued stays, and the reply goes
     * again, in memory or with the queue in the store.
     */
    @Test
    void aReplySentAgainWhileItsLastOutcomeIsBeingRecordedStaysQueued() throws Exception {
        for (SendQueue queue : List.of(new MemoryQueue(), new StoredQueue(store.template()))) {
            String conversation = "r" + queue.inMemory();
            String id = conversation + "/0";
            Dispatcher dispatcher = new Dispatcher(store.template(), queue, Durability.journaledWrites(),
                    List.of(whatsapp), clock, SETTINGS, PathMetrics.unobserved());
            Outbox outbox = new Outbox(store.template(), clock, queue, dispatcher::placed);
            outbox.enqueue(List.of(pending(id, conversation, 1))).block();
            java.util.concurrent.atomic.AtomicInteger refused =
                    store.failNext("update", 4, command -> sets(command, "outbox", "SENT"));

            java.util.concurrent.CompletableFuture<Long> round =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> dispatcher.round().block());
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> refused.get() > 0);
            clock.advance(Duration.ofSeconds(5));
            assertThat(new OutboxStatusCallbacks(store.template(), clock).updateEntry(Channel.WHATSAPP, id, null,
                    DeliveryStatus.UNDELIVERED, "63016").block()).isTrue();
            assertThat(outbox.resend(conversation, id, "anna").block()).isNotNull();
            assertThat(round.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1);

            assertThat(dispatcher.round().block()).isEqualTo(1);
            assertThat(whatsapp.sent.stream().filter(id::equals)).hasSize(2);
            assertThat(entry(id).status()).isEqualTo(DeliveryStatus.SENT);
        }
    }

    /** How many places wait in the queue, counted so as not to read it as the dispatcher does. */
    long queued(SendQueue queue) {
        return queue instanceof MemoryQueue memory ? memory.size()
                : store.template().count(new org.springframework.data.mongodb.core.query.Query(), QueuedEntry.class).block();
    }

    /**
     * Ten conversations whose turns queue their replies one after another, through the outbox, while the dispatcher
     * sends (never polling the store on its own meanwhile); checks each conversation's order and that each reply was
     * sent once.
     */
    private void turnsQueuedAsTheySend(SendQueue queue) {
        OrderChecking sender = new OrderChecking(index -> Duration.ofMillis(1 + index));
        List<String> outOfOrder = sender.outOfOrder;
        List<String> sent = sender.sent;
        Dispatcher.Settings noPolls = new Dispatcher.Settings(Duration.ofHours(1), SETTINGS.sendTimeout(),
                SETTINGS.interruptedAfter(), SETTINGS.backoff());
        Dispatcher running = new Dispatcher(store.template(), queue, Durability.journaledWrites(),
                List.of(sender.sender), clock, noPolls, PathMetrics.unobserved());
        Outbox outbox = new Outbox(store.template(), clock, queue, running::placed);
        int conversations = 10;
        int turns = 4;
        running.start();
        try {
            reactor.core.publisher.Flux.range(0, conversations)
                    // A turn now and then in each conversation, as citizens write: most find the dispatcher idle.
                    .flatMap(c -> reactor.core.publisher.Flux.range(0, turns).concatMap(k -> Mono.delay(
                                    Duration.ofMillis(10 + 7L * c)).then(outbox.enqueue(List.of(pending("q" + c + "/" + k, "q" + c,
                                    k + 1L))))))
                    .blockLast(Duration.ofSeconds(30));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sent.size() == conversations * turns
                    && queued(queue) == 0);
        } finally {
            running.stop();
        }
        assertThat(outOfOrder).isEmpty();
        assertThat(sent).doesNotHaveDuplicates();
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

    /**
     * The provider accepted a reply but the store refused its outcome at first (a failover): the outcome is written
     * once the store takes writes again, rather than the entry being left SENDING, to be taken for an interrupted send
     * and shown to staff as in doubt, while it held the conversation's next reply back.
     */
    @Test
    void recordsASendWhoseOutcomeTheStoreRefusedAtFirst() {
        enqueue("a/0", "a", 1);
        enqueue("a/1", "a", 2);
        store.failNext("update", 2, command -> sets(command, "outbox", "SENT"));

        assertThat(round()).isEqualTo(1);

        OutboxEntry sent = entry("a/0");
        assertThat(sent.status()).isEqualTo(DeliveryStatus.SENT);
        assertThat(sent.providerMessageId()).isEqualTo("P-a/0");
        round();
        assertThat(whatsapp.sent).containsExactly("a/0", "a/1");
        assertThat(entry("a/1").status()).isEqualTo(DeliveryStatus.SENT);
        assertThat(store.template().count(new org.springframework.data.mongodb.core.query.Query(), QueuedEntry.class)
                .block()).isZero();
    }

    /** So is a retry's: the entry waits for its next try rather than being taken for an interrupted send. */
    @Test
    void recordsARetryTheStoreRefusedAtFirst() {
        whatsapp.answer("a/0", new SendOutcome.Retryable("503", Optional.empty()));
        enqueue("a/0", "a", 1);
        store.failNext("update", 1, command -> sets(command, "outbox", "PENDING"));

        round();

        OutboxEntry retrying = entry("a/0");
        assertThat(retrying.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(retrying.nextAttemptAt()).isAfter(START);
        clock.advance(Duration.ofMinutes(10));
        round();
        assertThat(whatsapp.sent).containsExactly("a/0", "a/0");
        assertThat(entry("a/0").status()).isEqualTo(DeliveryStatus.SENT);
    }

    /**
     * Instances sharing a MongoDB: one's write putting a reply back to wait was carried out though its answer was lost,
     * and while it tries that write again another instance claims the reply and sends it. The write tried again must
     * not put the other's claim back to wait, or a third round would send the reply once more.
     */
    @Test
    void anOutcomeWrittenAgainNeverUndoesAnotherInstancesClaim() throws Exception {
        StoredQueue queue = new StoredQueue(store.template());
        whatsapp.answer("z/0", new SendOutcome.Retryable("503", Optional.empty()));
        Dispatcher first = new Dispatcher(store.template(), queue, Durability.journaledWrites(), List.of(whatsapp),
                clock, SETTINGS, PathMetrics.unobserved());
        java.util.concurrent.CountDownLatch sending = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch accept = new java.util.concurrent.CountDownLatch(1);
        Dispatcher second = new Dispatcher(store.template(), queue, Durability.journaledWrites(),
                List.of(whatsappSender(message -> Mono.fromCallable(() -> {
                    sending.countDown();
                    accept.await(30, java.util.concurrent.TimeUnit.SECONDS);
                    return (SendOutcome) new SendOutcome.Sent("P-again");
                }).subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()))), clock, SETTINGS,
                PathMetrics.unobserved());
        enqueue("z/0", "z", 1);
        // Written, but answered with an error; then refused twice more, so the second instance claims meanwhile.
        java.util.concurrent.atomic.AtomicInteger lost =
                store.failAfterNext("update", 1, command -> sets(command, "outbox", "PENDING"));
        store.failNext("update", 2, command -> sets(command, "outbox", "PENDING"));

        java.util.concurrent.CompletableFuture<Long> firstRound =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> first.round().block());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(5)).until(() -> lost.get() > 0);
        clock.advance(Duration.ofMinutes(1));
        java.util.concurrent.CompletableFuture<Long> secondRound =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> second.round().block());
        assertThat(sending.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        firstRound.get(30, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(entry("z/0").status()).isEqualTo(DeliveryStatus.SENDING);
        accept.countDown();
        assertThat(secondRound.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(entry("z/0").status()).isEqualTo(DeliveryStatus.SENT);
        assertThat(entry("z/0").providerMessageId()).isEqualTo("P-again");
        assertThat(first.round().block()).isZero();
    }

    /**
     * The instance that queued a reply runs its clock ahead of the one that sends it (or a clock stepped back): the
     * place still leaves the queue with the send, as it is the place claimed, whatever the times say.
     */
    @Test
    void takesOffThePlaceItSentWhateverTheClocksSay() {
        for (SendQueue queue : List.of(new MemoryQueue(), new StoredQueue(store.template()))) {
            Dispatcher dispatcher = new Dispatcher(store.template(), queue, Durability.journaledWrites(),
                    List.of(whatsapp), clock, SETTINGS, PathMetrics.unobserved());
            Outbox ahead = new Outbox(store.template(), java.time.Clock.offset(clock, Duration.ofSeconds(5)), queue,
                    dispatcher::placed);
            String conversation = "k" + queue.inMemory();
            ahead.enqueue(List.of(pending(conversation + "/0", conversation, 1))).block();

            assertThat(dispatcher.round().block()).isEqualTo(1);

            assertThat(entry(conversation + "/0").status()).isEqualTo(DeliveryStatus.SENT);
            assertThat(queued(queue)).isZero();
        }
    }

    /**
     * The store keeps refusing a send's outcome: the dispatcher gives up before the claim would count as interrupted
     * (another instance would then mark it in doubt), leaving it SENDING, as after a crash.
     */
    @Test
    void givesUpRecordingBeforeTheClaimWouldCountAsInterrupted() {
        Dispatcher.Settings quick = new Dispatcher.Settings(SETTINGS.pollInterval(), Duration.ofMillis(500),
                Duration.ofSeconds(1), SETTINGS.backoff());
        dispatcher = new Dispatcher(store.template(), Durability.journaledWrites(), List.of(whatsapp), clock, quick,
                PathMetrics.unobserved());
        enqueue("a/0", "a", 1);
        store.failNext("update", 1_000, command -> sets(command, "outbox", "SENT"));

        org.assertj.core.api.Assertions.assertThatThrownBy(this::round)
                .hasRootCauseInstanceOf(java.util.concurrent.TimeoutException.class);

        assertThat(whatsapp.sent).containsExactly("a/0");
        assertThat(entry("a/0").status()).isEqualTo(DeliveryStatus.SENDING);
    }

    /** Whether {@code command} updates {@code collection}, one of its statements setting the status {@code status}. */
    static boolean sets(de.bwaldvogel.mongo.bson.Document command, String collection, String status) {
        return collection.equals(command.get("update")) && command.get("updates") instanceof List<?> updates
                && updates.stream().anyMatch(update -> update instanceof de.bwaldvogel.mongo.bson.Document statement
                        && statement.get("u") instanceof de.bwaldvogel.mongo.bson.Document operators
                        && operators.get("$set") instanceof de.bwaldvogel.mongo.bson.Document fields
                        && status.equals(fields.get("status")));
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
        ChannelSender broken = whatsappSender(message -> Mono.error(new IllegalStateException("connection reset")));
        dispatcher = new Dispatcher(store.template(), Durability.journaledWrites(), List.of(broken),
                clock, SETTINGS, PathMetrics.unobserved());
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
    void marksASendThatTimesOutAsUnknownAndNeverSendsItAgain() {
        List<String> tried = new CopyOnWriteArrayList<>();
        ChannelSender silent = whatsappSender(message -> {
            tried.add(message.entryId());
            return Mono.never(); // the request left; no answer comes back
        });
        Dispatcher.Settings impatient = new Dispatcher.Settings(SETTINGS.pollInterval(), Duration.ofMillis(50),
                SETTINGS.interruptedAfter(), SETTINGS.backoff());
        dispatcher = new Dispatcher(store.template(), Durability.journaledWrites(), List.of(silent),
                clock, impatient, PathMetrics.unobserved());
        enqueue("a/0", "a", 1);
        enqueue("a/1", "a", 2);

        round();
        OutboxEntry unknown = entry("a/0");
        assertThat(unknown.status()).isEqualTo(DeliveryStatus.UNKNOWN);
        assertThat(unknown.lastError()).contains("not repeated");

        clock.advance(Duration.ofHours(1));
        round();
        round();
        // The conversation goes on with its next reply; the unknown one is never tried again.
        assertThat(tried).containsExactly("a/0", "a/1");
    }

    @Test
    void marksAnInterruptedSendAsUnknownWithoutSendingItAgain() {
        enqueue("a/0", "a", 1, Channel.WHATSAPP, DeliveryStatus.SENDING, START);
        clock.advance(SETTINGS.interruptedAfter().plusSeconds(1));

        round();
        round();

        OutboxEntry interrupted = entry("a/0");
        assertThat(interrupted.status()).isEqualTo(DeliveryStatus.UNKNOWN);
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

    @Test
    void aChattyConversationDoesNotHoldBackAnother() {
        for (int i = 0; i < 50; i++) {
            enqueue("chatty/" + i, "chatty", i);
        }
        enqueue("quiet/0", "quiet", 100);

        round();

        assertThat(whatsapp.sent).containsExactlyInAnyOrder("chatty/0", "quiet/0");
    }

    @Test
    void aChannelThatDoesNotAnswerDoesNotHoldBackAnother() {
        List<String> tried = new CopyOnWriteArrayList<>();
        ChannelSender hanging = whatsappSender(message -> {
            tried.add(message.entryId());
            return Mono.never();
        });
        ScriptedSender telegram = new ScriptedSender(Channel.TELEGRAM);
        dispatcher = new Dispatcher(store.template(), Durability.journaledWrites(), List.of(hanging, telegram), clock,
                new Dispatcher.Settings(Duration.ofMillis(50), Duration.ofMinutes(5), Duration.ofMinutes(20),
                        SETTINGS.backoff()), PathMetrics.unobserved());
        for (int i = 0; i < 20; i++) {
            enqueue("w" + i + "/0", "w" + i, i);
        }
        enqueue("t/0", "t", 100, Channel.TELEGRAM, DeliveryStatus.PENDING, null);

        dispatcher.start();
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> telegram.sent.contains("t/0") && tried.size() == Dispatcher.parallelSends(hanging.maxPerSecond()));
        } finally {
            dispatcher.stop();
        }
        // No more WhatsApp sends in flight than its share, however long they hang.
        assertThat(tried).hasSize(Dispatcher.parallelSends(hanging.maxPerSecond()));
    }

    @Test
    void dropsAQueuedPlaceWhoseEntryWasSentAlready() {
        enqueue("a/0", "a", 1);
        store.template().updateFirst(org.springframework.data.mongodb.core.query.Query.query(
                org.springframework.data.mongodb.core.query.Criteria.where("_id").is("a/0")),
                new org.springframework.data.mongodb.core.query.Update().set("status", DeliveryStatus.SENT),
                OutboxEntry.class).block();

        round();

        assertThat(whatsapp.sent).isEmpty();
        assertThat(store.template().findById("a/0", QueuedEntry.class).block()).isNull();
    }

    @Test
    void keepsSendingOnceTheRateAllowsAgain() {
        ScriptedSender slow = new ScriptedSender(Channel.TELEGRAM) {
            @Override
            public int maxPerSecond() {
                return 30;
            }
        };
        java.time.Clock real = java.time.Clock.systemUTC();
        // A store whose durable commits complete on a thread of their own, as the embedded one's do.
        Durability groupCommit = () -> Mono.delay(Duration.ofMillis(3)).then();
        dispatcher = new Dispatcher(store.template(), groupCommit, List.of(slow), real,
                new Dispatcher.Settings(Duration.ofMillis(50), Duration.ofSeconds(5), Duration.ofMinutes(2),
                        SETTINGS.backoff()), PathMetrics.unobserved());
        for (int i = 0; i < 80; i++) {
            enqueue("c" + i + "/0", "c" + i, 2 * i, Channel.TELEGRAM, DeliveryStatus.PENDING, null);
            enqueue("c" + i + "/1", "c" + i, 2 * i + 1, Channel.TELEGRAM, DeliveryStatus.PENDING, null);
        }

        dispatcher.start();
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> slow.sent.size() == 160);
        } finally {
            dispatcher.stop();
        }
    }

    @Test
    void entriesAnotherInstanceIsSendingTakeNoShareOfTheRate() {
        ScriptedSender slow = new ScriptedSender(Channel.TELEGRAM) {
            @Override
            public int maxPerSecond() {
                return 2;
            }
        };
        dispatcher = new Dispatcher(store.template(), Durability.journaledWrites(), List.of(slow),
                clock, clock::nanos, SETTINGS, PathMetrics.unobserved());
        for (int i = 0; i < 5; i++) {
            enqueue("busy" + i + "/0", "busy" + i, i, Channel.TELEGRAM, DeliveryStatus.SENDING, START);
        }
        enqueue("waiting/0", "waiting", 10, Channel.TELEGRAM, DeliveryStatus.PENDING, null);

        round();

        assertThat(slow.sent).containsExactly("waiting/0");
    }

    @Test
    void claimsSeveralEntriesInOneUpdateAndLeavesThoseAnotherInstanceIsSending() {
        for (int i = 0; i < 5; i++) {
            enqueue("c" + i + "/0", "c" + i, i);
        }
        enqueue("busy/0", "busy", 10, Channel.WHATSAPP, DeliveryStatus.SENDING, START);
        enqueue("busy/1", "busy", 11);
        commands.clear();

        assertThat(round()).isEqualTo(5);

        assertThat(whatsapp.sent).containsExactlyInAnyOrder("c0/0", "c1/0", "c2/0", "c3/0", "c4/0");
        assertThat(entry("c3/0").status()).isEqualTo(DeliveryStatus.SENT);
        assertThat(entry("busy/0").status()).as("another instance's send").isEqualTo(DeliveryStatus.SENDING);
        assertThat(entry("busy/1").status()).as("waits behind it").isEqualTo(DeliveryStatus.PENDING);
        // One claim for the five and the one another instance holds, never one each.
        assertThat(commands).doesNotContainKey("findAndModify");
    }
}

package org.civicbot.bot;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the message path counts and times, under names an operator's Prometheus scrapes
 * ({@code civicbot_inbound_accepted_total}, ...): deliveries accepted and duplicated per channel, turns
 * and their time, the messages waiting for a turn, replies sent, failed and in doubt per channel, the
 * replies waiting to be sent, and how long a reply took from stored to accepted by the provider.
 */
public final class PathMetrics {

    private final MeterRegistry registry;
    private final AtomicLong inboundBacklog = new AtomicLong();
    private final Map<Channel, AtomicLong> outboxBacklog = new ConcurrentHashMap<>();

    public PathMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("civicbot.inbound.backlog", inboundBacklog, AtomicLong::get)
                .description("Stored messages waiting for their turn").register(registry);
        for (Channel channel : Channel.values()) {
            AtomicLong backlog = new AtomicLong();
            outboxBacklog.put(channel, backlog);
            Gauge.builder("civicbot.outbox.backlog", backlog, AtomicLong::get).tag("channel", channel.name())
                    .description("Replies waiting to be sent").register(registry);
        }
    }

    /** Counts into a registry of its own, for tests and tools that do not look. */
    public static PathMetrics unobserved() {
        return new PathMetrics(new SimpleMeterRegistry());
    }

    public void accepted(Channel channel) {
        Counter.builder("civicbot.inbound.accepted").tag("channel", channel.name())
                .description("Deliveries stored for the first time").register(registry).increment();
    }

    public void duplicate(Channel channel) {
        Counter.builder("civicbot.inbound.duplicates").tag("channel", channel.name())
                .description("Deliveries of a message stored before").register(registry).increment();
    }

    public void turn(Duration took) {
        Timer.builder("civicbot.turn").description("A turn: from loading the conversation to its effects written")
                .publishPercentileHistogram().register(registry).record(took);
    }

    public void inboundBacklog(long waiting) {
        inboundBacklog.set(waiting);
    }

    public void outboxBacklog(Channel channel, long waiting) {
        outboxBacklog.get(channel).set(waiting);
    }

    /** A send's outcome: {@code sent}, {@code retried}, {@code failed} or {@code unknown}. */
    public void sendOutcome(Channel channel, String outcome) {
        Counter.builder("civicbot.outbox.sends").tag("channel", channel.name()).tag("outcome", outcome)
                .description("Send attempts by outcome").register(registry).increment();
    }

    /** From the reply stored in the outbox to the provider accepting it. */
    public void replyLatency(Channel channel, Duration took) {
        Timer.builder("civicbot.reply.latency").tag("channel", channel.name())
                .description("From a reply stored to the provider accepting it")
                .publishPercentileHistogram().register(registry).record(took);
    }

    /** From a webhook or device request received to its 2xx, once what it promises is on disk. */
    public void acknowledged(String endpoint, Duration took) {
        Timer.builder("civicbot.webhook.ack").tag("endpoint", endpoint)
                .description("From a provider's or device's request received to its durable answer")
                .publishPercentileHistogram().register(registry).record(took);
    }
}

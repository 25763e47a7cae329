package org.civicbot.bot.outbox;

import org.civicbot.bot.Channel;
import reactor.core.publisher.Mono;

/**
 * Sends messages on one channel through the provider's API. Implementations classify every failure
 * as a {@link SendOutcome} and never throw for a provider's answer; a send is attempted once per call.
 */
public interface ChannelSender {

    Channel channel();

    Mono<SendOutcome> send(OutboundMessage message);

    /**
     * How many messages per second the provider accepts from us on this channel; the dispatcher never
     * sends faster, and leaves the rest for its next round.
     */
    default int maxPerSecond() {
        return 10;
    }
}

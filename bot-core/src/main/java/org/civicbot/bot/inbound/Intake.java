package org.civicbot.bot.inbound;

import org.civicbot.bot.Channel;
import reactor.core.publisher.Mono;

/**
 * Where channel adapters hand in what a provider delivered. {@link #receive} completes only once the
 * message is durably stored, so an adapter answers the provider 2xx after it and never before.
 */
public interface Intake {

    /** Stores the message in the inbound log and queues it for its conversation. */
    Mono<Receipt> receive(InboundMessage message);

    /**
     * Stores a delivery that could not be understood (a poison update), so it is kept for a person to
     * look at and never blocks the chat it came from.
     */
    Mono<Void> setAside(Channel channel, String providerId, String reason, String rawBody);

    /** What became of a delivery. */
    enum Receipt {
        /** Stored now; it will be processed. */
        ACCEPTED,
        /** The same provider id was stored before; nothing changed. */
        DUPLICATE
    }
}

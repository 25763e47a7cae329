package org.civicbot.bot.outbox;

import org.civicbot.bot.Channel;
import reactor.core.publisher.Mono;

/** Where channel adapters report a provider's delivery status for a message we sent. */
public interface StatusCallbacks {

    /**
     * Moves the entry the provider knows as {@code providerMessageId} to {@code status} if that is
     * further along than where it stands; an unknown id or an older status changes nothing.
     *
     * @return whether the entry moved
     */
    Mono<Boolean> update(Channel channel, String providerMessageId, DeliveryStatus status, String errorCode);

    /**
     * The same for a callback that names our own entry ({@code entryId}, which we gave the provider with
     * the message): it finds the entry even before the dispatcher has recorded the provider's id, and
     * records that id if it was not yet.
     */
    Mono<Boolean> updateEntry(Channel channel, String entryId, String providerMessageId, DeliveryStatus status,
            String errorCode);
}

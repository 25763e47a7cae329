package org.civicbot.bot.outbox;

import java.time.Duration;
import java.util.Optional;

/** What a provider said to a send: sent, worth retrying, or refused for good. */
public sealed interface SendOutcome {

    /** Accepted by the provider, which gave it this id (used by status callbacks). */
    record Sent(String providerMessageId) implements SendOutcome {}

    /** A connection failure, a 5xx, or a 429; {@code retryAfter} is what the provider asked for, if anything. */
    record Retryable(String reason, Optional<Duration> retryAfter) implements SendOutcome {}

    /** Any other refusal (most 4xx): sending it again would fail the same way. */
    record Permanent(String reason) implements SendOutcome {}
}

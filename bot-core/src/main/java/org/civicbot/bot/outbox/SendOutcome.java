package org.civicbot.bot.outbox;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;

/** What a provider said to a send: sent, worth retrying, or refused for good. */
public sealed interface SendOutcome {

    /** Accepted by the provider, which gave it this id (used by status callbacks). */
    record Sent(String providerMessageId) implements SendOutcome {}

    /** A connection failure, a 5xx, or a 429; {@code retryAfter} is what the provider asked for, if anything. */
    record Retryable(String reason, Optional<Duration> retryAfter) implements SendOutcome {}

    /**
     * The request may have reached the provider, but no answer came (a read timeout, a connection lost
     * after sending): sending again could give the citizen the message twice.
     */
    record Unknown(String reason) implements SendOutcome {}

    /**
     * What a failure of the connection to {@code provider} means: retryable when no connection was made
     * (refused, no route, name not found, connect timeout), so the request cannot have left; unknown
     * otherwise (a read timeout, a reset after sending), since the provider may have taken it.
     */
    static SendOutcome ofTransportFailure(Throwable failure, String provider) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof UnknownHostException
                    || cause instanceof NoRouteToHostException || cause.getClass().getSimpleName().contains("ConnectTimeout")) {
                return new Retryable("could not connect to " + provider, Optional.empty());
            }
        }
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return new Unknown("the connection to " + provider + " failed after sending (" + root.getClass().getSimpleName()
                + "); not repeated, as " + provider + " may have the message");
    }

    /** Any other refusal (most 4xx): sending it again would fail the same way. */
    record Permanent(String reason) implements SendOutcome {}
}

package org.civicbot.bot.outbox;

/**
 * Where an outbox entry stands. The rank only grows: a late "sent" callback never moves a "delivered"
 * entry back.
 */
public enum DeliveryStatus {
    PENDING(0, false),
    SENDING(1, false),
    /**
     * The send's outcome is unknown: it timed out or was interrupted after the request may have left.
     * Never sent again on its own (the citizen might get it twice); staff see it and may send it again.
     * A provider's later status callback still moves it on.
     */
    UNKNOWN(1, false),
    SENT(2, false),
    DELIVERED(3, false),
    READ(4, true),
    /** The provider accepted it but could not deliver it (Twilio's undelivered). */
    UNDELIVERED(5, true),
    /** We gave up: a permanent refusal, retries exhausted, or or the provider's own failure. */
    FAILED(5, true);

    private final int rank;
    private final boolean terminal;

    DeliveryStatus(int rank, boolean terminal) {
        this.rank = rank;
        this.terminal = terminal;
    }

    public int rank() {
        return rank;
    }

    public boolean isTerminal() {
        return terminal;
    }
}

package org.civicbot.bot.outbox;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.civicbot.bot.Channel;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;

/**
 * A message waiting to be sent, or sent. Its id is derived from what caused it (the turn, or the staff
 * request's idempotency key), so writing it twice stores it once.
 *
 * @param seq order of sending within the conversation
 * @param author BOT, STAFF or SYSTEM
 * @param attempts sends tried so far
 * @param nextAttemptAt when it may be tried (again)
 * @param sendingSince when the current attempt started, while SENDING
 * @param providerMessageId the provider's id once sent, which status callbacks name
 * @param menu the menu node ({@code flow/node}) whose options these are, if any
 * @param contentSid an approved WhatsApp template to send instead of free text ({@code HX...}), if any; the
 *     text then only says so, for staff
 * @param contentVariables the template's variables ({@code {"1": "INC-2026-000123"}})
 */
@org.springframework.data.mongodb.core.mapping.Document("outbox")
public record OutboxEntry(@Id String id, String conversationId, Channel channel, String address, String text,
        List<String> options, long seq, String author, String staffUser, DeliveryStatus status, int attempts,
        Instant nextAttemptAt, Instant sendingSince, String providerMessageId, String lastError,
        Instant createdAt, Instant sentAt, Instant statusAt, String menu, String contentSid,
        Map<String, String> contentVariables) {

    @PersistenceCreator
    public OutboxEntry {}

    public OutboxEntry(String id, String conversationId, Channel channel, String address, String text,
            List<String> options, long seq, String author, String staffUser, DeliveryStatus status, int attempts,
            Instant nextAttemptAt, Instant sendingSince, String providerMessageId, String lastError,
            Instant createdAt, Instant sentAt, Instant statusAt, String menu) {
        this(id, conversationId, channel, address, text, options, seq, author, staffUser, status, attempts,
                nextAttemptAt, sendingSince, providerMessageId, lastError, createdAt, sentAt, statusAt, menu, null,
                null);
    }

    /**
     * A message to send, as written: PENDING, never tried, with no menu and no template ({@link #withMenu},
     * {@link #withTemplate}).
     *
     * @param seq its place in the conversation's order
     * @param author BOT, STAFF or SYSTEM; {@code staffUser} the staff member who wrote it, if any
     */
    public static OutboxEntry pending(String id, String conversationId, Channel channel, String address, String text,
            List<String> options, long seq, String author, String staffUser, Instant now) {
        return new OutboxEntry(id, conversationId, channel, address, text, options, seq, author, staffUser,
                DeliveryStatus.PENDING, 0, null, null, null, null, now, null, now, null, null, Map.of());
    }

    /** This message with the options of the menu node {@code menu} ({@code flow/node}). */
    public OutboxEntry withMenu(String menu) {
        return new OutboxEntry(id, conversationId, channel, address, text, options, seq, author, staffUser, status,
                attempts, nextAttemptAt, sendingSince, providerMessageId, lastError, createdAt, sentAt, statusAt, menu,
                contentSid, contentVariables);
    }

    /** This message sent as the approved WhatsApp template {@code contentSid} with its variables, if any. */
    public OutboxEntry withTemplate(String contentSid, Map<String, String> contentVariables) {
        return new OutboxEntry(id, conversationId, channel, address, text, options, seq, author, staffUser, status,
                attempts, nextAttemptAt, sendingSince, providerMessageId, lastError, createdAt, sentAt, statusAt, menu,
                contentSid, contentVariables);
    }

    public OutboundMessage toMessage() {
        return new OutboundMessage(id, channel, address, text, options == null ? List.of() : options, menu,
                contentSid, contentVariables == null ? Map.of() : contentVariables);
    }
}

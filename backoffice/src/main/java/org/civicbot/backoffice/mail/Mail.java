package org.civicbot.backoffice.mail;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * An e-mail in the mail outbox: queued by a staff action, sent later by {@link MailDispatcher}.
 *
 * @param id deterministic, from the purpose and what it is about: the same action retried queues it once
 * @param purpose what it is for ({@code incident-reached}, {@code mention}), for the log and the staff
 * @param html the same text as HTML, or null
 * @param attempts sends tried so far (a claim counts as one)
 * @param nextAttemptAt when a PENDING mail is due
 * @param sendingSince when a SENDING mail was claimed: a claim older than the lease was interrupted
 * @param lastError the last failure's exception class and message (kept in the store only: it may name an address)
 */
@Document("mail_outbox")
public record Mail(@Id String id, String purpose, String to, String subject, String text, String html,
        Status status, int attempts, Instant createdAt, Instant nextAttemptAt, Instant sendingSince, Instant sentAt,
        String lastError) {

    /** PENDING (waiting, maybe to retry), SENDING (claimed by one instance), SENT, FAILED (gave up). */
    public enum Status { PENDING, SENDING, SENT, FAILED }

    /** A mail to send as soon as the dispatcher comes by. */
    static Mail pending(String id, String purpose, String to, String subject, String text, String html, Instant now) {
        return new Mail(id, purpose, to, subject, text, html, Status.PENDING, 0, now, now, null, null, null);
    }
}

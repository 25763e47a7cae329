package org.civicbot.backoffice.mail;

import org.civicbot.bot.incident.ContactNotices;
import org.civicbot.bot.incident.Incident;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * E-mails the citizen behind a request staff entered the flows' notice of each public step, through the mail
 * outbox (so the same step is mailed once, and a mail server that is down delays it, never loses it).
 */
@Component
class ContactMail implements ContactNotices {

    private final MailOutbox outbox;

    ContactMail(MailOutbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public Mono<Void> email(Incident incident, String key, String subject, String text) {
        return outbox.queue("citizen/" + key, "citizen-update", incident.contact().email(), subject, text, null)
                .then();
    }
}

package org.civicbot.backoffice.mail;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Queues e-mail for {@link MailDispatcher} in the store ({@code mail_outbox}): a staff action only inserts, so a
 * slow or refusing mail server never holds it up or makes it fail. A mail's id is deterministic: queuing the same
 * one again (a retried action) finds it there and queues nothing. With e-mail off nothing is queued.
 */
@Component
public class MailOutbox {

    private static final Logger log = LoggerFactory.getLogger(MailOutbox.class);

    private final ReactiveMongoTemplate mongo;
    private final Clock clock;
    private final String from;

    @Autowired
    MailOutbox(ReactiveMongoTemplate mongo, Clock clock, MailSettings settings, ObjectProvider<JavaMailSender> sender,
            @Value("${spring.mail.username:}") String username) {
        this(mongo, clock, sender.getIfAvailable() == null ? null : sender(settings.from(), username));
    }

    /** @param from the sender address; null: e-mail is off */
    MailOutbox(ReactiveMongoTemplate mongo, Clock clock, String from) {
        this.mongo = mongo;
        this.clock = clock;
        this.from = from;
    }

    /** The sender address: {@code civicbot.mail.from}, else the SMTP username when it is an address; else null. */
    static String sender(String from, String username) {
        if (from != null && !from.isBlank()) {
            return from.strip();
        }
        return username != null && EmailAddresses.valid(username.strip()) ? username.strip() : null;
    }

    /** Whether e-mail is on: an SMTP server and a sender address are configured. */
    public boolean enabled() {
        return from != null;
    }

    /** The sender address, or null when e-mail is off. */
    String from() {
        return from;
    }

    /**
     * Queues a mail; true when queued now, false when it was queued before (same id) or e-mail is off. A failure to
     * store it is logged and answered false: the action that wanted the mail goes on.
     */
    public Mono<Boolean> queue(String id, String purpose, String to, String subject, String text, String html) {
        if (!enabled() || to == null || to.isBlank()) {
            return Mono.just(false);
        }
        return mongo.insert(Mail.pending(id, purpose, to, subject, text, html, clock.instant()))
                .thenReturn(true)
                .onErrorResume(DuplicateKeyException.class, queuedBefore -> Mono.just(false))
                .onErrorResume(e -> {
                    log.warn("Could not queue mail {}: {}", id, e.getClass().getName());
                    return Mono.just(false);
                });
    }
}

package org.civicbot.backoffice.mail;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.civicbot.bot.Periodic;
import org.civicbot.bot.outbox.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Sends the mail outbox through the SMTP server, in the background, every {@code civicbot.mail.check-every}.
 * <ul>
 *   <li>A mail is claimed (PENDING to SENDING) with one atomic update, so two instances never both send it.</li>
 *   <li>The send itself blocks (JavaMail), so it runs on the bounded-elastic scheduler, never on the event loop.</li>
 *   <li>A failed send is tried again later, the wait doubling each time, up to {@code max-attempts}; then the mail
 *       is FAILED. The log names the mail and the failure's classes, never an address or a text.</li>
 *   <li>A claim older than the lease was cut short (the app stopped mid-send): the mail is sent again. Unlike a
 *       citizen's message (the outbox never repeats a send in doubt), an alert that arrives twice is better than
 *       one that never arrives.</li>
 * </ul>
 */
@Component
public class MailDispatcher implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(MailDispatcher.class);
    /** The most mails one round sends; more wait for the next round. */
    static final int MAX_PER_ROUND = 20;
    /** How much of a failure's message is kept with the mail. */
    static final int MAX_ERROR_LENGTH = 300;

    private final ReactiveMongoTemplate mongo;
    private final JavaMailSender sender;
    private final String from;
    private final MailSettings settings;
    private final Clock clock;
    private final Backoff backoff;
    private final String mailHost;
    private Periodic rounds;
    private Periodic trims;

    @Autowired
    MailDispatcher(ReactiveMongoTemplate mongo, ObjectProvider<JavaMailSender> sender, MailOutbox outbox,
            MailSettings settings, Clock clock, @Value("${spring.mail.host:}") String mailHost) {
        this(mongo, sender.getIfAvailable(), outbox.from(), settings, clock, mailHost);
    }

    MailDispatcher(ReactiveMongoTemplate mongo, JavaMailSender sender, String from, MailSettings settings, Clock clock,
            String mailHost) {
        this.mongo = mongo;
        this.sender = sender;
        this.from = from;
        this.settings = settings;
        this.clock = clock;
        this.mailHost = mailHost;
        this.backoff = new Backoff(settings.retryInitial(), settings.retryMax(), settings.maxAttempts());
    }

    /** Starts the rounds once the app is ready; with e-mail off, says so once and what to set. */
    @EventListener(ApplicationReadyEvent.class)
    public synchronized void start() {
        if (sender == null || from == null) {
            if (mailHost == null || mailHost.isBlank()) {
                log.info("E-mail is off: set spring.mail.host (with spring.mail.port, .username, .password as the "
                        + "server needs) and civicbot.mail.from to e-mail incident alerts and mentions");
            } else {
                log.warn("E-mail is off: spring.mail.host is set but there is no sender address; set "
                        + "civicbot.mail.from");
            }
            return;
        }
        if (rounds == null) {
            log.info("E-mail is on: incident alerts and mentions are sent through {}", mailHost);
            rounds = Periodic.start("Mail round", settings.checkEvery(), settings.checkEvery(), this::round);
            trims = Periodic.start("Mail outbox trim", Duration.ofHours(1), Duration.ofDays(1), this::trim);
        }
    }

    @Override
    public synchronized void destroy() {
        if (rounds != null) {
            rounds.close();
            trims.close();
            rounds = null;
        }
    }

    /** One pass: re-drives interrupted sends, then claims and sends due mails one at a time; how many it tried. */
    Mono<Integer> round() {
        if (sender == null || from == null) {
            return Mono.just(0);
        }
        return interrupted(clock.instant()).then(Mono.defer(() -> drain(0)));
    }

    /** Each claim is stamped with its own time: a slow round must not claim mails whose lease looks run out. */
    private Mono<Integer> drain(int tried) {
        if (tried >= MAX_PER_ROUND) {
            return Mono.just(tried);
        }
        return Mono.defer(() -> claim(clock.instant()))
                .flatMap(mail -> send(mail).then(Mono.defer(() -> drain(tried + 1))))
                .defaultIfEmpty(tried);
    }

    /** Claims the mail due first, if any, for this instance to send. */
    private Mono<Mail> claim(Instant now) {
        return mongo.findAndModify(query(where("status").is(Mail.Status.PENDING).and("nextAttemptAt").lte(now))
                        .with(Sort.by("nextAttemptAt")),
                new Update().set("status", Mail.Status.SENDING).set("sendingSince", now).inc("attempts", 1),
                FindAndModifyOptions.options().returnNew(true), Mail.class);
    }

    /**
     * A claim older than the lease belongs to a send that never finished: it goes back to PENDING, or to FAILED when
     * it has had all its attempts (a mail that stops the app each time must not be tried for ever).
     */
    private Mono<Void> interrupted(Instant now) {
        Instant before = now.minus(settings.lease());
        return mongo.updateMulti(query(where("status").is(Mail.Status.SENDING).and("sendingSince").lt(before)
                                .and("attempts").gte(settings.maxAttempts())),
                        new Update().set("status", Mail.Status.FAILED).unset("sendingSince")
                                .set("lastError", "interrupted while sending, after every attempt"), Mail.class)
                .then(mongo.updateMulti(query(where("status").is(Mail.Status.SENDING).and("sendingSince").lt(before)),
                        new Update().set("status", Mail.Status.PENDING).set("nextAttemptAt", now)
                                .unset("sendingSince").set("lastError", "interrupted while sending"), Mail.class))
                .doOnNext(result -> {
                    if (result.getModifiedCount() > 0) {
                        log.info("{} mails whose send was interrupted will be sent again", result.getModifiedCount());
                    }
                })
                .then();
    }

    /** Sends a claimed mail once, and records how it went. */
    private Mono<Void> send(Mail mail) {
        return Mono.fromRunnable(() -> sender.send(message(mail)))
                .subscribeOn(Schedulers.boundedElastic())
                .thenReturn(Optional.<Throwable>empty())
                .onErrorResume(e -> Mono.just(Optional.of(e)))
                .flatMap(failure -> failure.isEmpty() ? sent(mail) : failed(mail, failure.get()));
    }

    private MimeMessage message(Mail mail) {
        MimeMessage message = sender.createMimeMessage();
        try {
            MimeMessageHelper helper = new MimeMessageHelper(message, mail.html() != null,
                    StandardCharsets.UTF_8.name());
            helper.setFrom(from);
            helper.setTo(mail.to());
            helper.setSubject(mail.subject());
            if (mail.html() != null) {
                helper.setText(mail.text(), mail.html());
            } else {
                helper.setText(mail.text());
            }
            // RFC 3834: no out-of-office answers to an automatic message.
            message.setHeader("Auto-Submitted", "auto-generated");
        } catch (jakarta.mail.MessagingException e) {
            throw new org.springframework.mail.MailPreparationException(e);
        }
        return message;
    }

    private Mono<Void> sent(Mail mail) {
        Instant now = clock.instant();
        log.debug("Mail {} sent", mail.id());
        return mongo.updateFirst(claimed(mail), new Update().set("status", Mail.Status.SENT).set("sentAt", now)
                .unset("sendingSince").unset("nextAttemptAt"), Mail.class).then();
    }

    private Mono<Void> failed(Mail mail, Throwable failure) {
        Instant now = clock.instant();
        String classes = failure.getClass().getSimpleName();
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(failure);
        if (cause != failure) {
            classes += " (" + cause.getClass().getSimpleName() + ")";
        }
        String error = classes + ": " + String.valueOf(cause.getMessage());
        error = error.length() > MAX_ERROR_LENGTH ? error.substring(0, MAX_ERROR_LENGTH) : error;
        if (mail.attempts() < settings.maxAttempts()) {
            Duration delay = backoff.delay(mail.attempts(), null);
            log.info("Mail {} ({}) not sent, attempt {} of {}; trying again in {}: {}", mail.id(), mail.purpose(),
                    mail.attempts(), settings.maxAttempts(), delay, classes);
            return mongo.updateFirst(claimed(mail), new Update().set("status", Mail.Status.PENDING)
                    .set("nextAttemptAt", now.plus(delay)).set("lastError", error).unset("sendingSince"),
                    Mail.class).then();
        }
        log.warn("Mail {} ({}) failed after {} attempts: {}", mail.id(), mail.purpose(), mail.attempts(), classes);
        return mongo.updateFirst(claimed(mail), new Update().set("status", Mail.Status.FAILED).set("lastError", error)
                .unset("sendingSince").unset("nextAttemptAt"), Mail.class).then();
    }

    /** This instance's claim of the mail: not one another instance made after the lease ran out. */
    private static org.springframework.data.mongodb.core.query.Query claimed(Mail mail) {
        return query(where("_id").is(mail.id()).and("status").is(Mail.Status.SENDING)
                .and("sendingSince").is(mail.sendingSince()));
    }

    /** Deletes sent and failed mail older than {@code civicbot.mail.keep}. */
    Mono<Long> trim() {
        return mongo.remove(query(where("status").in(Mail.Status.SENT, Mail.Status.FAILED)
                        .and("createdAt").lt(clock.instant().minus(settings.keep()))), Mail.class)
                .map(result -> result.getDeletedCount());
    }
}

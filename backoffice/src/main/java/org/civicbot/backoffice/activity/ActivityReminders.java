package org.civicbot.backoffice.activity;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.civicbot.backoffice.mail.IncidentMail;
import org.civicbot.backoffice.mail.MailOutbox;
import org.civicbot.backoffice.mail.MailSettings;
import org.civicbot.backoffice.staff.StaffUsers;
import org.civicbot.bot.Periodic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.MessageSource;
import org.springframework.context.event.EventListener;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Reminds each activity's assignee by e-mail when it comes due ({@code civicbot.activities.remind-before} ahead of
 * its time), once: the mail's id names the activity, so a crash between queuing it and marking the activity reminded
 * queues nothing twice, and several instances remind once between them. An assignee without an address still sees it
 * on their *My work* page and in the calendar.
 */
@Component
public class ActivityReminders implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ActivityReminders.class);
    /** Reminders queued in one round, at most; the next round takes the rest. */
    static final int BATCH = 200;
    /** How late a reminder may still be sent. */
    static final Duration STALE = Duration.ofHours(12);
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d/M/yyyy HH:mm");

    private final ReactiveMongoTemplate mongo;
    private final StaffUsers users;
    private final MailOutbox outbox;
    private final IncidentMail mail;
    private final MessageSource messages;
    private final Clock clock;
    private final ZoneId zone;
    private final Locale locale;
    private final Duration before;
    private final Duration every;
    private Periodic loop;

    ActivityReminders(ReactiveMongoTemplate mongo, StaffUsers users, MailOutbox outbox, IncidentMail mail,
            MessageSource messages, MailSettings settings, Clock clock,
            @Value("${civicbot.time-zone:Europe/Madrid}") ZoneId zone,
            @Value("${civicbot.activities.remind-before:1h}") Duration before,
            @Value("${civicbot.activities.check-every:1m}") Duration every) {
        this.mongo = mongo;
        this.users = users;
        this.outbox = outbox;
        this.mail = mail;
        this.messages = messages;
        this.clock = clock;
        this.zone = zone;
        this.locale = Locale.forLanguageTag(settings.language());
        this.before = before;
        this.every = every;
    }

    @EventListener(ApplicationReadyEvent.class)
    public synchronized void start() {
        if (loop == null) {
            loop = Periodic.start("Activity reminders", every, every, () -> remind(clock.instant()));
        }
    }

    @Override
    public synchronized void destroy() {
        if (loop != null) {
            loop.close();
            loop = null;
        }
    }

    /**
     * Reminds of the activities due by {@code now} (plus the lead time) not reminded yet; returns how many. Those more
     * than {@link #STALE} past their time (planned in the past, or due while the app was stopped) are marked without
     * a mail: a burst of late reminders helps nobody, and the calendar shows them overdue.
     */
    public Mono<Long> remind(Instant now) {
        Mono<Long> stale = mongo.updateMulti(query(where("remindedAt").is(null).and("doneAt").is(null)
                        .and("cancelledAt").is(null).and("at").lt(now.minus(STALE))),
                new Update().set("remindedAt", now), Activity.class).map(result -> 0L);
        return stale.thenMany(mongo.find(query(where("remindedAt").is(null).and("doneAt").is(null)
                        .and("cancelledAt").is(null).and("at").lte(now.plus(before))).with(Sort.by("at"))
                        .limit(BATCH), Activity.class))
                .concatMap(activity -> tell(activity)
                        .then(mongo.updateFirst(query(where("_id").is(activity.id()).and("remindedAt").is(null)),
                                new Update().set("remindedAt", now), Activity.class))
                        .map(result -> result.getModifiedCount())
                        .onErrorResume(e -> {
                            log.warn("Could not remind of activity {}: {}", activity.id(), e.getClass().getName());
                            return Mono.just(0L);
                        }))
                .reduce(0L, Long::sum);
    }

    private Mono<Boolean> tell(Activity activity) {
        return users.find(activity.assignee()).filter(u -> u.enabled() && u.email() != null)
                .flatMap(user -> outbox.queue("activity-reminder/" + activity.id(), "activity-reminder", user.email(),
                        text("mail.activity.subject", activity.title(), activity.incident()),
                        String.join("\n", text("mail.activity.intro", activity.title()),
                                text("mail.activity.when", WHEN.format(activity.at().atZone(zone))),
                                activity.of() > 1 ? text("mail.activity.series", activity.number(), activity.of()) : "",
                                text("mail.activity.incident", activity.incident(), mail.staffUrl(activity.incident())),
                                "", "-- ", text("mail.footer")), null))
                .defaultIfEmpty(false);
    }

    private String text(String key, Object... args) {
        return messages.getMessage(key, args, locale);
    }
}

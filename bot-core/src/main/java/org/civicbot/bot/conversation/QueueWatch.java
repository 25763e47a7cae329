package org.civicbot.bot.conversation;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.civicbot.bot.Periodic;
import org.civicbot.flows.Commands;
import org.civicbot.flows.Language;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.publisher.Mono;

/**
 * Tells a citizen who has waited in the queue for a person longer than the policy allows that they are
 * still in it (and, outside office hours, when the office opens). Once per wait: the mark is set
 * atomically before the notice is written, so two instances never both send it.
 */
public class QueueWatch {


    private final ReactiveMongoTemplate mongo;
    private final CitizenNotices notices;
    private final QueuePolicy policy;
    private final Clock clock;
    private Periodic loop;

    public QueueWatch(ReactiveMongoTemplate mongo, CitizenNotices notices, QueuePolicy policy, Clock clock) {
        this.mongo = mongo;
        this.notices = notices;
        this.policy = policy;
        this.clock = clock;
    }

    public synchronized void start(Duration every) {
        if (loop == null) {
            loop = Periodic.start("Queue watch round", every, every, this::round);
        }
    }

    public synchronized void stop() {
        if (loop != null) {
            loop.close();
            loop = null;
        }
    }

    /** Sends the notice to every citizen who has waited too long and has not had it; how many got it. */
    public Mono<Long> round() {
        Instant now = clock.instant();
        return mongo.find(query(where("status").is(ConversationStatus.AWAITING_AGENT)
                                .and("awaitingSince").lt(now.minus(policy.waitNoticeAfter()))
                                .and("waitNoticeAt").is(null)), Conversation.class)
                .concatMap(c -> mongo.findAndModify(query(where("_id").is(c.id())
                                        .and("status").is(ConversationStatus.AWAITING_AGENT).and("waitNoticeAt").is(null)),
                                new Update().set("waitNoticeAt", now).inc("version", 1L),
                                FindAndModifyOptions.options().returnNew(true),
                                Conversation.class)
                        .flatMap(marked -> notices.send(marked.id(), "queue-wait:" + marked.id() + ":"
                                + marked.awaitingSince().toEpochMilli(), this::text)))
                .filter(Boolean::booleanValue)
                .count();
    }

    private String text(Commands.NoticeTexts texts, Language language) {
        return closedNotice(policy, clock.instant(), texts, language).orElse(texts.queueWait().in(language));
    }

    /** The notice for a citizen who asks for a person while the office is closed, if it is. */
    public static Optional<String> closedNotice(QueuePolicy policy, Instant at, Commands.NoticeTexts texts,
            Language language) {
        if (policy.officeHours().isOpen(at)) {
            return Optional.empty();
        }
        return policy.officeHours().nextOpening(at)
                .map(next -> texts.queueClosed().in(language, Map.of("when", when(texts, language, next))));
    }

    /** "dilluns a les 09:00", "lunes a las 09:00", "Monday at 09:00": the day's name is the JDK's. */
    static String when(Commands.NoticeTexts texts, Language language, ZonedDateTime at) {
        Locale locale = Locale.forLanguageTag(language.code());
        return texts.when().in(language, Map.of("day", at.getDayOfWeek().getDisplayName(TextStyle.FULL, locale),
                "time", at.format(DateTimeFormatter.ofPattern("HH:mm"))));
    }
}

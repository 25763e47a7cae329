package org.civicbot.backoffice.mail;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.civicbot.backoffice.staff.Department;
import org.civicbot.backoffice.staff.Departments;
import org.civicbot.bot.Periodic;
import org.civicbot.bot.incident.Categories;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.IncidentStatus;
import org.civicbot.flows.Language;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.MessageSource;
import org.springframework.context.event.EventListener;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Once a day, from {@code civicbot.mail.digest-at} (the town's time), each department with an e-mail address gets
 * the list of its open incidents past their due time, oldest due first, each with its staff link. One mail per
 * department and day however many instances run or restart (its id names both); nothing when none is overdue.
 */
@Component
public class OverdueDigest implements DisposableBean {

    /** Incidents listed in one digest, at most; the mail says how many more there are. */
    static final int MAX_LISTED = 50;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d/M/yyyy");

    private final ReactiveMongoTemplate mongo;
    private final Departments departments;
    private final Categories categories;
    private final MailOutbox outbox;
    private final MessageSource messages;
    private final MailSettings settings;
    private final Clock clock;
    private final ZoneId zone;
    private final Locale locale;
    private final String baseUrl;
    private Periodic loop;

    OverdueDigest(ReactiveMongoTemplate mongo, Departments departments, Categories categories, MailOutbox outbox,
            MessageSource messages, MailSettings settings, Clock clock,
            @Value("${civicbot.time-zone:Europe/Madrid}") ZoneId zone,
            @Value("${civicbot.public-base-url:http://localhost:8080}") String publicBaseUrl) {
        this.mongo = mongo;
        this.departments = departments;
        this.categories = categories;
        this.outbox = outbox;
        this.messages = messages;
        this.settings = settings;
        this.clock = clock;
        this.zone = zone;
        this.locale = Locale.forLanguageTag(settings.language());
        this.baseUrl = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1)
                : publicBaseUrl;
    }

    @EventListener(ApplicationReadyEvent.class)
    public synchronized void start() {
        if (outbox.enabled() && loop == null) {
            loop = Periodic.start("Overdue digest", Duration.ofMinutes(1), Duration.ofMinutes(10),
                    () -> send(clock.instant()));
        }
    }

    @Override
    public synchronized void destroy() {
        if (loop != null) {
            loop.close();
            loop = null;
        }
    }

    /** The day's digests as of {@code now}: how many were queued now (0 before the digest time, or sent already). */
    public Mono<Long> send(Instant now) {
        ZonedDateTime local = now.atZone(zone);
        if (local.toLocalTime().isBefore(settings.digestAt())) {
            return Mono.just(0L);
        }
        LocalDate day = local.toLocalDate();
        return departments.all().filter(d -> d.email() != null)
                .concatMap(d -> overdue(d, now).collectList().flatMap(incidents -> incidents.isEmpty()
                        ? Mono.just(false) : queue(d, incidents, day)))
                .filter(Boolean::booleanValue).count();
    }

    private Flux<Incident> overdue(Department department, Instant now) {
        return mongo.find(query(where("department").is(department.id()).and("status").ne(IncidentStatus.CLOSED)
                        .and("dueAt").lt(now)).with(Sort.by("dueAt")).limit(MAX_LISTED + 1), Incident.class);
    }

    private Mono<Boolean> queue(Department department, List<Incident> incidents, LocalDate day) {
        Language language = Language.fromCode(locale.getLanguage()).orElse(Language.DEFAULT);
        List<Incident> listed = incidents.subList(0, Math.min(MAX_LISTED, incidents.size()));
        return Flux.fromIterable(listed).concatMap(i -> categories.label(i.category(), language)
                        .map(category -> text("mail.digest.line", i.code(), category,
                                DATE.format(i.dueAt().atZone(zone)),
                                i.location() == null || i.location().address() == null ? "—" : i.location().address())
                                + "\n    " + baseUrl + "/incidents/" + i.code()))
                .collectList()
                .flatMap(lines -> {
                    List<String> body = new ArrayList<>();
                    body.add(text("mail.digest.intro", department.name(), DATE.format(day)));
                    body.add("");
                    body.addAll(lines);
                    if (incidents.size() > MAX_LISTED) {
                        body.add("");
                        body.add(text("mail.digest.more", baseUrl + "/incidents?overdue=on&department="
                                + department.id()));
                    }
                    body.add("");
                    body.add("-- ");
                    body.add(text("mail.footer"));
                    String count = incidents.size() > MAX_LISTED ? MAX_LISTED + "+" : String.valueOf(incidents.size());
                    return outbox.queue("digest/" + department.id() + "/" + day, "overdue-digest", department.email(),
                            text("mail.digest.subject", count, department.name()), String.join("\n", body), null);
                });
    }

    private String text(String key, Object... args) {
        return messages.getMessage(key, args, locale);
    }
}

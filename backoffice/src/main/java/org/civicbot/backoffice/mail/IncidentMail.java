package org.civicbot.backoffice.mail;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.civicbot.backoffice.staff.Departments;
import org.civicbot.backoffice.staff.StaffUser;
import org.civicbot.backoffice.staff.StaffUsers;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.IncidentAlerts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;
import reactor.core.publisher.Mono;

/**
 * The e-mail staff get about incidents: an alert to a department's or a staff member's address when an incident
 * reaches them, and a mention in an internal note. Queued in the mail outbox, in the staff's language
 * ({@code civicbot.mail.language}), with a link to the incident's back-office page. It never fails the staff
 * action that calls it.
 */
@Component
public class IncidentMail implements IncidentAlerts {

    private static final Logger log = LoggerFactory.getLogger(IncidentMail.class);
    /** How much of a description or a note a mail quotes. */
    static final int MAX_QUOTE = 600;

    private final MailOutbox outbox;
    private final Departments departments;
    private final StaffUsers users;
    private final Mentions mentions;
    private final MessageSource messages;
    private final Locale locale;
    private final String baseUrl;
    private final Clock clock;
    private final org.civicbot.bot.incident.Categories categories;
    private final org.civicbot.backoffice.staff.Organisations organisations;
    /** Looked up when needed: a forward mails through this class. */
    private final org.springframework.beans.factory.ObjectProvider<org.civicbot.backoffice.supplier.Forwards> forwards;

    IncidentMail(MailOutbox outbox, Departments departments, StaffUsers users, Mentions mentions,
            MessageSource messages, MailSettings settings, Clock clock,
            @Value("${civicbot.public-base-url:http://localhost:8080}") String publicBaseUrl,
            org.civicbot.bot.incident.Categories categories,
            org.civicbot.backoffice.staff.Organisations organisations,
            org.springframework.beans.factory.ObjectProvider<org.civicbot.backoffice.supplier.Forwards> forwards) {
        this.organisations = organisations;
        this.forwards = forwards;
        this.categories = categories;
        this.outbox = outbox;
        this.departments = departments;
        this.users = users;
        this.mentions = mentions;
        this.messages = messages;
        this.clock = clock;
        this.locale = Locale.forLanguageTag(settings.language());
        this.baseUrl = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1)
                : publicBaseUrl;
    }

    /** The incident's page in the back-office. */
    public String staffUrl(String code) {
        return baseUrl + "/incidents/" + code;
    }

    @Override
    public Mono<Void> reached(Incident incident, String department, String assignee, String actor) {
        return named(incident).flatMap(named -> reachedNamed(named, department, assignee, actor));
    }

    private Mono<Void> reachedNamed(Named incident, String department, String assignee, String actor) {
        String step = String.valueOf(ref(incident.updatedAt()).toEpochMilli());
        Mono<Boolean> toDepartment = department == null || department.isBlank() ? Mono.empty()
                : departments.find(department).filter(d -> d.email() != null)
                        .flatMap(d -> actorName(actor).flatMap(who -> queue(
                                "incident-reached/" + incident.code() + "/" + step + "/department/" + d.id(),
                                "incident-reached", d.email(),
                                text("mail.reached.subject.department", incident.code(), category(incident), d.name()),
                                text("mail.reached.intro.department", incident.code(), d.name(), who), incident,
                                null)));
        Mono<Boolean> toPerson = assignee == null || assignee.isBlank() || assignee.equals(actor) ? Mono.empty()
                : users.find(assignee).filter(u -> u.enabled() && u.email() != null)
                        .flatMap(u -> actorName(actor).flatMap(who -> queue(
                                "incident-reached/" + incident.code() + "/" + step + "/user/" + u.username(),
                                "incident-reached", u.email(),
                                text("mail.reached.subject.person", incident.code(), category(incident)),
                                text("mail.reached.intro.person", incident.code(), who), incident, null)));
        return Mono.when(toDepartment, toPerson).onErrorResume(e -> {
            log.warn("Could not queue the alerts for incident {}: {}", incident.code(), e.getClass().getName());
            return Mono.empty();
        });
    }

    @Override
    public Mono<Void> passed(Incident incident, String organisation, String actor) {
        return organisations.find(organisation).filter(o -> o.email() != null)
                .flatMap(o -> forwards.getObject().forward(incident.code(), o.email(), null, actor))
                .then()
                .onErrorResume(e -> {
                    log.warn("Could not pass incident {} to its organisation: {}", incident.code(),
                            e.getClass().getName());
                    return Mono.empty();
                });
    }

    @Override
    public Mono<Void> mentioned(Incident incident, String note, String actor) {
        return named(incident).flatMap(named -> mentionedNamed(named, note, actor));
    }

    private Mono<Void> mentionedNamed(Named incident, String note, String actor) {
        Instant at = noteTime(incident.incident(), note, actor);
        return mentions.record(incident.incident(), at, note, actor)
                .filter(user -> user.email() != null)
                .concatMap(user -> actorName(actor).flatMap(who -> queue(
                        "mention/" + incident.code() + "/" + at.toEpochMilli() + "/" + user.username(), "mention",
                        user.email(), text("mail.mention.subject", incident.code(), who),
                        text("mail.mention.intro", incident.code(), who), incident, note)))
                .then()
                .onErrorResume(e -> {
                    log.warn("Could not record the mentions in a note of incident {}: {}", incident.code(),
                            e.getClass().getName());
                    return Mono.empty();
                });
    }

    /** When the note was added: its line in the timeline (the latest by its author with its text), else now. */
    private Instant noteTime(Incident incident, String note, String actor) {
        String text = note == null ? "" : note.strip();
        return incident.timeline().stream()
                .filter(line -> "NOTE".equals(line.type()) && actor.equals(line.actor())
                        && text.equals(line.text() == null ? null : line.text().strip()))
                .map(Incident.TimelineEntry::at)
                .max(Comparator.naturalOrder())
                .orElseGet(() -> ref(incident.updatedAt()));
    }

    private Instant ref(Instant at) {
        return at == null ? clock.instant() : at;
    }

    private Mono<String> actorName(String actor) {
        if (actor == null || "system".equals(actor)) {
            return Mono.just(text("mail.system"));
        }
        return users.find(actor).map(StaffUser::displayName).defaultIfEmpty(actor);
    }

    /**
     * Sends a supplier the incident staff passed them, without anything about who reported it, with the signed link
     * of the page where they answer.
     *
     * @param forwardId the forward, for the mail's id: the same forward mails once
     */
    public Mono<Boolean> forward(Incident plain, String forwardId, String to, String note, String link,
            String actor) {
        return named(plain).flatMap(incident -> actorName(actor).flatMap(who -> queue("forward/" + incident.code() + "/" + forwardId, "forward", to,
                        text("mail.forward.subject", incident.code(), category(incident)),
                        text("mail.forward.intro", incident.code(), who), incident, note, link, "mail.forward.open",
                        "mail.forward.openLink")))
                .onErrorResume(e -> {
                    log.warn("Could not queue the forward of incident {}: {}", plain.code(),
                            e.getClass().getName());
                    return Mono.just(false);
                });
    }

    private Mono<Boolean> queue(String id, String purpose, String to, String subject, String intro,
            Named incident, String quote) {
        return queue(id, purpose, to, subject, intro, incident, quote, staffUrl(incident.code()), "mail.open",
                "mail.openLink");
    }

    private Mono<Boolean> queue(String id, String purpose, String to, String subject, String intro,
            Named incident, String quote, String url, String openKey, String openLinkKey) {
        List<String> lines = new ArrayList<>();
        lines.add(intro);
        lines.add("");
        if (quote != null) {
            lines.add("  " + cut(quote).replace("\n", "\n  "));
            lines.add("");
        }
        lines.add(text("mail.category", category(incident)));
        if (incident.description() != null && !incident.description().isBlank()) {
            lines.add(text("mail.description", cut(incident.description())));
        }
        if (incident.location() != null && incident.location().address() != null) {
            lines.add(text("mail.address", incident.location().address()));
        }
        String body = String.join("\n", lines) + "\n\n" + text(openKey, url) + "\n\n-- \n" + text("mail.footer")
                + "\n";
        return outbox.queue(id, purpose, to, subject, body, html(lines, url, openLinkKey));
    }

    /** The same lines as HTML, the link clickable. */
    private String html(List<String> lines, String url, String openLinkKey) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><body>");
        for (String line : lines) {
            if (!line.isEmpty()) {
                html.append("<p>").append(HtmlUtils.htmlEscape(line.strip()).replace("\n", "<br>")).append("</p>");
            }
        }
        String link = HtmlUtils.htmlEscape(url);
        html.append("<p><a href=\"").append(link).append("\">").append(HtmlUtils.htmlEscape(text(openLinkKey)))
                .append("</a></p><p><small>").append(HtmlUtils.htmlEscape(text("mail.footer")))
                .append("</small></p></body></html>");
        return html.toString();
    }

    /** An incident and its category's name in the mail's language, as admins keep it. */
    private record Named(Incident incident, String category) {
        String code() {
            return incident.code();
        }

        String description() {
            return incident.description();
        }

        Incident.Location location() {
            return incident.location();
        }

        java.util.List<Incident.TimelineEntry> timeline() {
            return incident.timeline();
        }

        Instant updatedAt() {
            return incident.updatedAt();
        }
    }

    private Mono<Named> named(Incident incident) {
        if (incident.category() == null) {
            return Mono.just(new Named(incident, "—"));
        }
        org.civicbot.flows.Language language = org.civicbot.flows.Language.fromCode(locale.getLanguage())
                .orElse(org.civicbot.flows.Language.DEFAULT);
        return categories.byId(incident.category()).map(c -> new Named(incident, c.label(language)))
                .defaultIfEmpty(new Named(incident, messages.getMessage("category." + incident.category(), null,
                        incident.category(), locale)));
    }

    private static String category(Named incident) {
        return incident.category();
    }

    private String text(String key, Object... args) {
        return messages.getMessage(key, args, locale);
    }

    private static String cut(String text) {
        String stripped = text.strip();
        return stripped.length() <= MAX_QUOTE ? stripped : stripped.substring(0, MAX_QUOTE - 1) + "…";
    }
}

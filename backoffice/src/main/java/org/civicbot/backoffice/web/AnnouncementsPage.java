package org.civicbot.backoffice.web;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.civicbot.backoffice.staff.CurrentStaff;
import org.civicbot.bot.FlowRuntime;
import org.civicbot.bot.announcement.Announcement;
import org.civicbot.bot.announcement.Announcements;
import org.civicbot.bot.announcement.Catalogue;
import org.civicbot.bot.announcement.NamedArea;
import org.civicbot.bot.announcement.Topic;
import org.civicbot.flows.Language;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Announcements to the subscribers of a notice topic: write one in ca, es and en with a preview of how WhatsApp
 * and Telegram will show it, send it now or at a time, and follow its delivery live.
 */
@Controller
class AnnouncementsPage {

    static final int RECENT = 30;

    private final Announcements announcements;
    private final Catalogue catalogue;
    private final CurrentStaff staff;
    private final FlowRuntime flows;
    private final TownTime time;
    private final ZoneId zone;

    AnnouncementsPage(Announcements announcements, Catalogue catalogue, CurrentStaff staff, FlowRuntime flows,
            TownTime time, @Value("${civicbot.time-zone:Europe/Madrid}") ZoneId zone) {
        this.announcements = announcements;
        this.catalogue = catalogue;
        this.staff = staff;
        this.flows = flows;
        this.time = time;
        this.zone = zone;
    }

    /** What the form sends; times as the town reads them ({@code datetime-local}). */
    record Form(String topic, String area, String textCa, String textEs, String textEn, String link, String sendAt,
            String validUntil) {}

    /** A line of the list, or the page of one, with how its delivery goes. */
    record Row(String id, String topic, String area, String status, String sendAt, String excerpt,
            Announcements.Report report, Map<String, String> texts, String link) {

        public boolean settled() {
            return !Announcement.SCHEDULED.equals(status) && !Announcement.SENDING.equals(status)
                    && report.queued() == 0;
        }
    }

    @GetMapping("/announcements")
    Mono<String> list(Model model, ServerWebExchange exchange) {
        Language language = language(model);
        return catalogue.topics().collectList().zipWith(catalogue.areas().collectList()).flatMap(t -> {
            Map<String, String> topics = labels(t.getT1(), language);
            Map<String, String> areas = names(t.getT2());
            model.addAttribute("topics", topics);
            model.addAttribute("areas", areas);
            model.addAttribute("frames", frames());
            model.addAttribute("topicLabels", t.getT1());
            model.addAttribute("flash", Flash.take(exchange));
            return announcements.recent(RECENT).concatMap(a -> row(a, topics, areas)).collectList()
                    .doOnNext(rows -> model.addAttribute("rows", rows)).thenReturn("announcements");
        });
    }

    @PostMapping("/announcements")
    Mono<String> send(@ModelAttribute Form form, ServerWebExchange exchange) {
        Instant sendAt;
        Instant validUntil;
        try {
            sendAt = instant(form.sendAt());
            validUntil = instant(form.validUntil());
        } catch (DateTimeParseException e) {
            return Flash.redirect(exchange, Flash.error("flash.badTime"), "/announcements");
        }
        Map<String, String> text = new LinkedHashMap<>();
        put(text, "ca", form.textCa());
        put(text, "es", form.textEs());
        put(text, "en", form.textEn());
        if (text.size() < Language.values().length) {
            return Flash.redirect(exchange, Flash.error("flash.announcementLanguages"), "/announcements");
        }
        String area = form.area() == null || form.area().isBlank() ? null : form.area();
        return staff.scope().flatMap(scope -> announcements.create(new Announcements.Draft(form.topic(), area, text,
                        form.link(), sendAt, validUntil), scope.username()))
                .flatMap(created -> announcements.sendDue().onErrorResume(e -> Mono.empty()).thenReturn(created))
                .flatMap(created -> Flash.redirect(exchange, Flash.ok("flash.announced"),
                        "/announcements/" + created.id()))
                .onErrorResume(Catalogue.Invalid.class, e -> Flash.redirect(exchange,
                        Flash.error("flash.refused", e.getMessage()), "/announcements"));
    }

    @GetMapping("/announcements/{id}")
    Mono<String> detail(@PathVariable String id, Model model, ServerWebExchange exchange) {
        return one(id, model).map(row -> {
            model.addAttribute("flash", Flash.take(exchange));
            return "announcement";
        });
    }

    /** The delivery report alone, refreshed while the sends go on. */
    @GetMapping("/announcements/{id}/report")
    Mono<String> report(@PathVariable String id, Model model) {
        return one(id, model).thenReturn("announcement :: report");
    }

    private Mono<Row> one(String id, Model model) {
        Language language = language(model);
        return announcements.find(id)
                .switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND)))
                .flatMap(a -> catalogue.topics().collectList().zipWith(catalogue.areas().collectList())
                        .flatMap(t -> row(a, labels(t.getT1(), language), names(t.getT2()))))
                .doOnNext(row -> model.addAttribute("row", row));
    }

    private Mono<Row> row(Announcement a, Map<String, String> topics, Map<String, String> areas) {
        String text = a.text().getOrDefault("ca", "");
        return announcements.report(a).map(r -> new Row(a.id(), topics.getOrDefault(a.topic(), a.topic()),
                a.area() == null ? null : areas.getOrDefault(a.area(), a.area()), a.status(), time.format(a.sendAt()),
                text.length() > 90 ? text.substring(0, 89) + "…" : text, r, a.text(), a.link()));
    }

    /** How each language frames an announcement ({topic}, {text}), for the preview. */
    private Map<String, String> frames() {
        Map<String, String> frames = new LinkedHashMap<>();
        for (Language language : Language.values()) {
            frames.put(language.code(), flows.get().flows().commands().notices().announcement().in(language));
        }
        return frames;
    }

    private static Map<String, String> labels(List<Topic> topics, Language language) {
        Map<String, String> labels = new LinkedHashMap<>();
        topics.forEach(t -> labels.put(t.id(), t.label(language)));
        return labels;
    }

    private static Map<String, String> names(List<NamedArea> areas) {
        Map<String, String> names = new LinkedHashMap<>();
        areas.forEach(a -> names.put(a.id(), a.name()));
        return names;
    }

    private static Language language(Model model) {
        Object lang = model.getAttribute("lang");
        return Language.fromCode(lang == null ? null : lang.toString()).orElse(Language.DEFAULT);
    }

    private Instant instant(String local) {
        if (local == null || local.isBlank()) {
            return null;
        }
        return LocalDateTime.parse(local).atZone(zone).toInstant();
    }

    private static void put(Map<String, String> text, String language, String value) {
        if (value != null && !value.isBlank()) {
            text.put(language, value.strip());
        }
    }
}

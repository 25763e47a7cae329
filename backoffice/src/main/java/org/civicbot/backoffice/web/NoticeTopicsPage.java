package org.civicbot.backoffice.web;

import java.util.Map;
import org.civicbot.bot.announcement.Catalogue;
import org.civicbot.bot.announcement.NamedArea;
import org.civicbot.bot.announcement.Subscriptions;
import org.civicbot.bot.announcement.Topic;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** The notice topics citizens subscribe to, with how many do, and the areas of the town, as staff keep them. */
@Controller
class NoticeTopicsPage {

    private final Catalogue catalogue;
    private final Subscriptions subscriptions;

    NoticeTopicsPage(Catalogue catalogue, Subscriptions subscriptions) {
        this.catalogue = catalogue;
        this.subscriptions = subscriptions;
    }

    /** A topic with how many subscriptions it has. */
    record TopicRow(String id, String ca, String es, String en, long subscriptions) {}

    record TopicForm(String id, String labelCa, String labelEs, String labelEn) {}

    record AreaForm(String id, String name, String geometry) {}

    @GetMapping("/announcements/topics")
    Mono<String> page(Model model, ServerWebExchange exchange) {
        return catalogue.topics()
                .concatMap(t -> subscriptions.count(t.id()).map(n -> new TopicRow(t.id(), t.labels().get("ca"),
                        t.labels().get("es"), t.labels().get("en"), n)))
                .collectList().zipWith(catalogue.areas().collectList())
                .map(t -> {
                    model.addAttribute("topics", t.getT1());
                    model.addAttribute("areas", t.getT2());
                    model.addAttribute("flash", Flash.take(exchange));
                    return "notice-topics";
                });
    }

    @PostMapping("/announcements/topics")
    Mono<String> saveTopic(@ModelAttribute TopicForm form, ServerWebExchange exchange) {
        Topic topic = new Topic(strip(form.id()), Map.of("ca", strip(form.labelCa()), "es", strip(form.labelEs()),
                "en", strip(form.labelEn())));
        return catalogue.save(topic)
                .flatMap(saved -> Flash.redirect(exchange, Flash.ok("flash.topicSaved", saved.id()),
                        "/announcements/topics"))
                .onErrorResume(Catalogue.Invalid.class, e -> Flash.redirect(exchange,
                        Flash.error("flash.refused", e.getMessage()), "/announcements/topics"));
    }

    @PostMapping("/announcements/areas")
    Mono<String> saveArea(@ModelAttribute AreaForm form, ServerWebExchange exchange) {
        return catalogue.save(new NamedArea(strip(form.id()), strip(form.name()), form.geometry()))
                .flatMap(saved -> Flash.redirect(exchange, Flash.ok("flash.areaSaved", saved.name()),
                        "/announcements/topics"))
                .onErrorResume(Catalogue.Invalid.class, e -> Flash.redirect(exchange,
                        Flash.error("flash.refused", e.getMessage()), "/announcements/topics"));
    }

    private static String strip(String value) {
        return value == null ? "" : value.strip();
    }

}

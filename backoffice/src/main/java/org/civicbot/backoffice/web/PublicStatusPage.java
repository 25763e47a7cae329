package org.civicbot.backoffice.web;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.civicbot.bot.FlowRuntime;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.IncidentStatus;
import org.civicbot.bot.incident.PublicUpdates;
import org.civicbot.bot.incident.PublicPages;
import org.civicbot.flows.Commands;
import org.civicbot.flows.FlowBundle;
import org.civicbot.flows.Language;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * An incident's public status page, {@code /s/<token>}: no login, for the citizen on their phone. It shows the
 * code, the category, where the incident is on its way (received, in progress, closed) and its public updates,
 * in the citizen's words from the flows; never the description, the address, the photos or who reported it.
 */
@Controller
class PublicStatusPage {

    private final PublicPages pages;
    private final FlowRuntime flows;
    private final TownTime time;

    PublicStatusPage(PublicPages pages, FlowRuntime flows, TownTime time) {
        this.pages = pages;
        this.flows = flows;
        this.time = time;
    }

    /** A step of the incident's way: its name, whether it is done, whether it is where the incident is now. */
    record Step(String name, boolean done, boolean current) {}

    /** A public update: when, and what it says. */
    record Update(String at, String text, boolean staffWords) {}

    @GetMapping(PublicPages.PATH + "{token}")
    Mono<String> show(@PathVariable String token, Model model, ServerWebExchange exchange) {
        Language language = Language.fromCode(Optional.ofNullable(exchange.getLocaleContext().getLocale())
                .map(Locale::getLanguage).orElse(null)).orElse(Language.DEFAULT);
        FlowBundle bundle = flows.get().flows();
        Commands.NoticeTexts notices = bundle.commands().notices();
        Commands.PageTexts words = notices.page();
        model.addAttribute("lang", language.code());
        model.addAttribute("privacy", words.privacy().in(language));
        return pages.byToken(token).map(incident -> {
            String request = PublicUpdates.request(notices, incident, language);
            model.addAttribute("title", words.title().in(language, Map.of("code", incident.code(), "request",
                    request.substring(0, 1).toUpperCase(java.util.Locale.forLanguageTag(language.code())) + request.substring(1))));
            model.addAttribute("intro", words.intro().in(language));
            model.addAttribute("category", bundle.valueLabel(incident.category()).map(l -> l.in(language))
                    .orElse(incident.category() == null ? "" : incident.category()));
            model.addAttribute("steps", steps(incident, words, language));
            model.addAttribute("updatesTitle", words.updates().in(language));
            model.addAttribute("updates", updates(incident, notices, language));
            return "status-page";
        }).switchIfEmpty(Mono.fromSupplier(() -> {
            exchange.getResponse().setStatusCode(HttpStatus.NOT_FOUND);
            model.addAttribute("title", words.notFound().in(language));
            return "status-page";
        }));
    }

    private static List<Step> steps(Incident incident, Commands.PageTexts words, Language language) {
        IncidentStatus now = incident.status();
        return List.of(
                new Step(words.stepReceived().in(language), true, now == IncidentStatus.NEW),
                new Step(words.stepInProgress().in(language), now != IncidentStatus.NEW,
                        now == IncidentStatus.IN_PROGRESS),
                new Step(words.stepClosed().in(language), now == IncidentStatus.CLOSED, now == IncidentStatus.CLOSED));
    }

    /** The public updates, newest first, with times as the town reads them. */
    private List<Update> updates(Incident incident, Commands.NoticeTexts notices, Language language) {
        return PublicUpdates.of(incident, notices, language).stream()
                .map(u -> new Update(time.format(u.at()), u.text(), u.staffWords())).toList();
    }
}

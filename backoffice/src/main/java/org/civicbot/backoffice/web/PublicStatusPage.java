package org.civicbot.backoffice.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.civicbot.bot.FlowRuntime;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.IncidentStatus;
import org.civicbot.bot.incident.Outcome;
import org.civicbot.bot.incident.PublicPages;
import org.civicbot.flows.Commands;
import org.civicbot.flows.FlowBundle;
import org.civicbot.flows.Language;
import org.civicbot.flows.LocalizedText;
import org.civicbot.flows.Node;
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
            model.addAttribute("title", words.title().in(language, Map.of("code", incident.code())));
            model.addAttribute("intro", words.intro().in(language));
            model.addAttribute("category", categoryLabel(bundle, incident.category(), language));
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

    /** The public updates, newest first: the flows' words for each step, and staff's own words for the citizen. */
    private List<Update> updates(Incident incident, Commands.NoticeTexts notices, Language language) {
        Commands.PageTexts words = notices.page();
        List<Update> updates = new ArrayList<>();
        IncidentStatus previous = IncidentStatus.NEW;
        for (Incident.TimelineEntry entry : incident.timeline()) {
            String at = time.format(entry.at());
            if ("CREATED".equals(entry.type())) {
                updates.add(new Update(at, words.received().in(language), false));
            } else if (entry.isPublic() && "STATUS".equals(entry.type()) && entry.status() != null) {
                IncidentStatus to = IncidentStatus.valueOf(entry.status());
                String text = switch (to) {
                    case NEW -> words.reopened().in(language);
                    case IN_PROGRESS -> (previous == IncidentStatus.CLOSED ? words.reopened() : words.inProgress())
                            .in(language);
                    case CLOSED -> words.closed().in(language, Map.of("outcome", outcome(notices, entry.outcome())
                            .in(language)));
                };
                updates.add(new Update(at, text, false));
                if (entry.note() != null) {
                    updates.add(new Update(at, entry.note(), true));
                }
                previous = to;
            } else if (entry.isPublic() && "ASSIGNMENT".equals(entry.type())) {
                updates.add(new Update(at, words.assigned().in(language), false));
            } else if (entry.isPublic() && "NOTE".equals(entry.type()) && entry.note() != null) {
                updates.add(new Update(at, entry.note(), true));
            }
        }
        java.util.Collections.reverse(updates);
        return updates;
    }

    private static LocalizedText outcome(Commands.NoticeTexts notices, String outcome) {
        if (outcome == null) {
            return notices.outcomePositive();
        }
        return switch (Outcome.valueOf(outcome)) {
            case POSITIVE -> notices.outcomePositive();
            case NEGATIVE -> notices.outcomeNegative();
            case NOT_OUR_COMPETENCE -> notices.outcomeNotOurCompetence();
            case SUSPENDED -> notices.outcomeSuspended();
        };
    }

    /** The category as the citizen chose it: the label of the menu option that stores it. */
    static String categoryLabel(FlowBundle bundle, String category, Language language) {
        for (var flow : bundle.flows().values()) {
            for (Node node : flow.nodes()) {
                if (node instanceof Node.Menu menu && menu.var().isPresent()) {
                    for (Node.Option option : menu.options()) {
                        if (option.value().equals(category)) {
                            return option.label().in(language);
                        }
                    }
                }
            }
        }
        return category == null ? "" : category;
    }
}

package org.civicbot.backoffice.staff;

import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import org.civicbot.bot.conversation.ConversationStore;
import org.civicbot.bot.conversation.SessionCodec;
import org.civicbot.bot.incident.AnswerTemplate;
import org.civicbot.bot.incident.AnswerTemplates;
import org.civicbot.bot.incident.Categories;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.IncidentStatus;
import org.civicbot.bot.incident.Outcome;
import org.civicbot.flows.Language;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The answer templates that fit a step of an incident, written for it: in its citizen's language (their chat's, or
 * the one staff noted for a request they entered), with its code, address, category and today's date in place.
 */
@Component
public class IncidentAnswers {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d/M/yyyy");

    private final AnswerTemplates templates;
    private final Categories categories;
    private final ConversationStore conversations;
    private final Clock clock;
    private final ZoneId zone;

    IncidentAnswers(AnswerTemplates templates, Categories categories, ConversationStore conversations, Clock clock,
            @Value("${civicbot.time-zone:Europe/Madrid}") ZoneId zone) {
        this.templates = templates;
        this.categories = categories;
        this.conversations = conversations;
        this.clock = clock;
        this.zone = zone;
    }

    /** A template written for an incident. */
    public record Answer(String id, String name, IncidentStatus status, Outcome outcome, String language,
            String text) {}

    /** The incident's citizen's language: their chat's, the one staff noted, or the town's. */
    public Mono<Language> languageOf(Incident incident) {
        Language noted = incident.contact() == null ? null
                : Language.fromCode(incident.contact().language()).orElse(null);
        if (incident.conversationId() == null) {
            return Mono.just(noted == null ? Language.DEFAULT : noted);
        }
        return conversations.find(incident.conversationId())
                .map(c -> SessionCodec.read(c.session(), Language.DEFAULT).language())
                .defaultIfEmpty(noted == null ? Language.DEFAULT : noted);
    }

    /** Every template for the step ({@code status} null: notes), written for the incident. */
    public Flux<Answer> forStep(Incident incident, IncidentStatus status, Outcome outcome) {
        return languageOf(incident).flatMapMany(language -> categories.label(incident.category(), language)
                .flatMapMany(category -> {
                    Map<String, String> values = new HashMap<>();
                    values.put("code", incident.code());
                    values.put("address", incident.location() == null || incident.location().address() == null
                            ? "" : incident.location().address());
                    values.put("category", category);
                    values.put("date", DATE.format(clock.instant().atZone(zone)));
                    return templates.forStep(status, outcome).map(t -> answer(t, language, values));
                }));
    }

    /** Every template that may be used with the incident now: its notes' and its next steps'. */
    public Flux<Answer> all(Incident incident) {
        return Flux.concat(forStep(incident, null, null), forStep(incident, IncidentStatus.IN_PROGRESS, null),
                forStep(incident, IncidentStatus.CLOSED, null));
    }

    private static Answer answer(AnswerTemplate t, Language language, Map<String, String> values) {
        return new Answer(t.id(), t.name(), t.status(), t.outcome(), language.code(), t.render(language, values));
    }
}

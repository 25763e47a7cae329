package org.civicbot.bot.incident;

import java.util.Map;
import org.civicbot.flows.Language;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;

/**
 * A ready answer staff pick when they move an incident or write to its citizen, in every language, with
 * placeholders filled in for the incident: {@code {code}}, {@code {address}}, {@code {category}}, {@code {date}}.
 *
 * @param id a short name ({@code resolved_thanks})
 * @param name how staff find it in the list
 * @param status the step it is for: {@code IN_PROGRESS}, {@code CLOSED}; null: a note, at any step
 * @param outcome for a closing answer, the outcome it goes with; null: any
 * @param texts the answer in {@code ca}, {@code es} and {@code en}
 */
@org.springframework.data.mongodb.core.mapping.Document("answer_templates")
public record AnswerTemplate(@Id String id, String name, IncidentStatus status, Outcome outcome,
        Map<String, String> texts) {

    @PersistenceCreator
    public AnswerTemplate {
        texts = texts == null ? Map.of() : Map.copyOf(texts);
    }

    /** The answer in the language with the incident's values in place of the placeholders. */
    public String render(Language language, Map<String, String> values) {
        String text = texts.getOrDefault(language.code(), texts.get(Language.DEFAULT.code()));
        if (text == null) {
            return "";
        }
        for (Map.Entry<String, String> value : values.entrySet()) {
            text = text.replace("{" + value.getKey() + "}", value.getValue() == null ? "" : value.getValue());
        }
        return text;
    }
}

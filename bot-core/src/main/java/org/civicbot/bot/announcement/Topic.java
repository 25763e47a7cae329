package org.civicbot.bot.announcement;

import java.util.Map;
import org.civicbot.flows.Language;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * What a notice is about (waste collection, road works, water and power cuts...), as staff name it in each
 * language; citizens subscribe to topics.
 *
 * @param id a short name, {@code [a-z0-9_]}
 * @param labels by language code
 */
@Document("topics")
public record Topic(@Id String id, Map<String, String> labels) {

    public Topic {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** Its label in {@code language}, or in the default language. */
    public String label(Language language) {
        return labels.getOrDefault(language.code(), labels.getOrDefault(Language.DEFAULT.code(), id));
    }
}

package org.civicbot.bot.incident;

import java.util.Map;
import org.civicbot.flows.Language;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;

/**
 * A category of the town's requests, in a tree of two levels (category > subcategory).
 *
 * @param id what incidents store ({@code street_lighting}); lower case, digits and {@code _}
 * @param parent the category it belongs to, or null for a top-level one
 * @param labels its name in {@code ca}, {@code es} and {@code en}
 * @param serviceDays the days within which an incident of it should be closed; null: no service time (a
 *     subcategory without one takes its parent's)
 * @param position where it goes among its siblings, smallest first
 */
@org.springframework.data.mongodb.core.mapping.Document("categories")
public record Category(@Id String id, String parent, Map<String, String> labels, Integer serviceDays, int position) {

    @PersistenceCreator
    public Category {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** Its name in the language, or its id when it has none there. */
    public String label(Language language) {
        String label = labels.get(language.code());
        return label == null || label.isBlank() ? id : label;
    }
}

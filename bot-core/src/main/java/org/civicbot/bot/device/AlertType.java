package org.civicbot.bot.device;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;

/**
 * What an alert of a type does ({@code device_alert_types}, kept by admins).
 *
 * @param id the type as devices send it ({@code container_full})
 * @param action {@code INCIDENT}: one open incident per asset and type, repeats counted on it; {@code NOTICE}: a
 *     message for staff only; {@code ANNOUNCE}: a notice to a topic's subscribers
 * @param category the incident's category; left out: {@code device_<type>}
 * @param department where its incidents go; left out: the device's
 * @param priority the incident's priority ({@code LOW}, {@code NORMAL}, {@code HIGH}, {@code URGENT})
 * @param closeOnResolve a {@code resolved} alert closes the incident (outcome POSITIVE, followers told)
 */
@org.springframework.data.mongodb.core.mapping.Document("device_alert_types")
public record AlertType(@Id String id, Action action, String category, String department, String priority,
        Boolean closeOnResolve, String topic, String area, Map<String, String> texts) {

    public enum Action { INCIDENT, NOTICE, ANNOUNCE }

    @PersistenceCreator
    public AlertType {
        texts = texts == null ? Map.of() : Map.copyOf(texts);
    }

    /** How an unconfigured type behaves: an incident of category {@code device_<type>}, as always. */
    public static AlertType unconfigured(String type) {
        return new AlertType(type, Action.INCIDENT, null, null, null, false, null, null, Map.of());
    }

    public String categoryOr(String type) {
        return category == null || category.isBlank() ? "device_" + type : category;
    }

    public boolean closes() {
        return Boolean.TRUE.equals(closeOnResolve);
    }

    /** What is wrong with it, in words an admin can act on. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (id == null || !id.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            problems.add("the type is 1 to 64 letters, digits, '.', '_' or '-'");
        }
        if (action == null) {
            problems.add("action is INCIDENT, NOTICE or ANNOUNCE");
        }
        if (priority != null && !List.of("LOW", "NORMAL", "HIGH", "URGENT").contains(priority)) {
            problems.add("priority is LOW, NORMAL, HIGH or URGENT");
        }
        if (action == Action.ANNOUNCE && (topic == null || topic.isBlank())) {
            problems.add("an ANNOUNCE type names the topic whose subscribers are told");
        }
        if (action == Action.ANNOUNCE) {
            for (String language : List.of("ca", "es", "en")) {
                if (texts.get(language) == null || texts.get(language).isBlank()) {
                    problems.add("an ANNOUNCE type has its words in " + language + " (texts, with {asset} and "
                            + "{message} filled in): a device's own words never reach citizens alone");
                }
            }
        }
        return problems;
    }
}

package org.civicbot.bot.incident;

import java.util.List;
import java.util.Locale;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;

/**
 * An automation rule: when a new incident matches {@link When}, {@link Then} says where it goes. Rules are tried in
 * their order; the first that matches is applied, and an incident matched by none stays where its report put it.
 *
 * @param id a short name ({@code lighting_to_public_works})
 * @param position its place in the order, smallest first
 * @param enabled a disabled rule is kept but never applied; a rule is enabled unless it says otherwise
 */
@org.springframework.data.mongodb.core.mapping.Document("rules")
public record Rule(@Id String id, String name, Integer position, Boolean enabled, When when, Then then) {

    @PersistenceCreator
    public Rule {
        enabled = enabled == null || enabled;
        position = position == null ? 0 : position;
        when = when == null ? new When(null, null, null, null) : when;
        then = then == null ? new Then(null, null, null, null, null, false) : then;
    }

    /**
     * What a new incident must be for the rule to apply; a null or empty condition matches any.
     *
     * @param category its category, or a subcategory of it
     * @param source WHATSAPP, TELEGRAM, DEVICE, STAFF
     * @param area a named area of the town (the announcements' areas) its location lies in
     * @param words any of these words in its description (case and accents ignored)
     */
    public record When(String category, Source source, String area, List<String> words) {

        @PersistenceCreator
        public When {
            words = words == null ? List.of() : words.stream().filter(w -> w != null && !w.isBlank())
                    .map(String::strip).toList();
        }

        /** Whether a description holds any of the words (all when there are none). */
        boolean says(String description) {
            if (words.isEmpty()) {
                return true;
            }
            if (description == null) {
                return false;
            }
            String text = plain(description);
            return words.stream().anyMatch(w -> text.contains(plain(w)));
        }

        static String plain(String text) {
            return java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFD)
                    .replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What happens to a matching incident; null leaves that as it is.
     *
     * @param organisation the outside entity (contractor, other administration) that handles it; one with an address
     *     is sent the incident with its link to answer from, as when staff pass it
     * @param status {@code IN_PROGRESS} to start it at once
     * @param email whether to alert by e-mail the department and the person it reaches
     */
    public record Then(String department, String assignee, String organisation, Priority priority,
            IncidentStatus status, Boolean email) {

        @PersistenceCreator
        public Then {
            email = Boolean.TRUE.equals(email);
        }
    }
}

package org.civicbot.backoffice.staff;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A department of the town hall that answers conversations and handles incidents.
 *
 * @param id a short stable slug, as flows name it in a handoff (e.g. {@code social_services})
 * @param name how staff see it
 * @param email where its incident alerts go; null: none are e-mailed
 */
@Document("departments")
public record Department(@Id String id, String name, String email) {

    @PersistenceCreator
    public Department {}

    /** A department without an e-mail address. */
    public Department(String id, String name) {
        this(id, name, null);
    }
}

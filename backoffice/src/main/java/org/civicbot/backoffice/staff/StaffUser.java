package org.civicbot.backoffice.staff;

import java.time.Instant;
import java.util.Set;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A member of staff who signs in to the back-office or the API.
 *
 * @param username the login name, also the document id
 * @param passwordHash BCrypt, with its {@code {bcrypt}} prefix
 * @param roles AGENT, SUPERVISOR, EDITOR, COMMUNICATIONS, ADMIN, SUPPLIER, DPO (the data-protection officer: finds,
 *     exports and erases a citizen's data, reads the privacy audit)
 * @param departments the departments whose conversations and incidents an agent sees
 * @param mustChangePassword the password was generated or set by an admin: it must be changed before
 *        anything else (absent in older documents: false)
 * @param email where their incident alerts and mentions go; null: none are e-mailed
 * @param organisation for a {@code SUPPLIER}, the outside organisation they work for: they see only its incidents
 */
@Document("staff_users")
public record StaffUser(@Id String username, String displayName, String passwordHash, Set<Role> roles,
        Set<String> departments, boolean enabled, Instant createdAt, boolean mustChangePassword, String email,
        String organisation) {

    @PersistenceCreator
    public StaffUser {}

    /** A staff user of the town hall (no outside organisation). */
    public StaffUser(String username, String displayName, String passwordHash, Set<Role> roles,
            Set<String> departments, boolean enabled, Instant createdAt, boolean mustChangePassword, String email) {
        this(username, displayName, passwordHash, roles, departments, enabled, createdAt, mustChangePassword, email,
                null);
    }

    /** A staff user without an e-mail address. */
    public StaffUser(String username, String displayName, String passwordHash, Set<Role> roles,
            Set<String> departments, boolean enabled, Instant createdAt, boolean mustChangePassword) {
        this(username, displayName, passwordHash, roles, departments, enabled, createdAt, mustChangePassword, null);
    }

    /**
     * {@code COMMUNICATIONS}: writes announcements to the subscribers of the notice topics, and keeps the topics.
     * {@code SUPPLIER}: works for an outside organisation; sees only the incidents passed to it, never who reported
     * them, and may set them in progress, add notes and propose closing them.
     */
    public enum Role { AGENT, SUPERVISOR, EDITOR, COMMUNICATIONS, ADMIN, SUPPLIER, DPO }
}

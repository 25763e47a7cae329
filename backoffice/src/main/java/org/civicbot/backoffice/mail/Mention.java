package org.civicbot.backoffice.mail;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A staff member named as {@code @username} in an internal note of an incident, for their inbox until they mark
 * it read.
 *
 * @param id {@code <incident code>/<note's time>/<username>}: the same note mentions a colleague once
 * @param username who was mentioned
 * @param by who wrote the note
 * @param at when the note was written
 */
@Document("mentions")
public record Mention(@Id String id, String username, String code, String by, Instant at, boolean read) {

    static String idOf(String code, Instant at, String username) {
        return code + "/" + at.toEpochMilli() + "/" + username;
    }
}

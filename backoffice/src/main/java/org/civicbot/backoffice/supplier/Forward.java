package org.civicbot.backoffice.supplier;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * An incident passed to someone outside the town hall by e-mail, with a signed link to answer from.
 *
 * @param id random; the link names it
 * @param to the address it was sent to; the supplier's lines on the timeline carry it
 * @param note what staff asked of them
 * @param by the staff member who forwarded it
 */
@Document("forwards")
public record Forward(@Id String id, String code, String to, String note, String by, Instant at,
        Instant expiresAt) {}

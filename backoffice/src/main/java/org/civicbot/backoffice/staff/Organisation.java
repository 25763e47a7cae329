package org.civicbot.backoffice.staff;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * An outside entity that handles some incidents for the town hall: a contractor, a utility, another administration.
 * Its users (role {@code SUPPLIER}) see only what is passed to it.
 *
 * @param id a short stable slug ({@code llums_bages})
 * @param name how staff see it
 * @param email where its alerts and forwarded incidents go
 */
@Document("organisations")
public record Organisation(@Id String id, String name, String email) {}

package org.civicbot.bot.incident;

import reactor.core.publisher.Mono;

/**
 * Tells whoever an incident reached (its department, its assignee, its organisation) that it is theirs, by e-mail
 * where they have an address. Never fails the caller: an alert that cannot go now is retried, or given up and
 * logged, by whoever implements it.
 */
public interface IncidentAlerts {

    /** The incident reached its department, assignee or organisation; {@code actor} is who (or which rule) sent it. */
    Mono<Void> reached(Incident incident, String actor);

    /** For a deployment without e-mail. */
    static IncidentAlerts none() {
        return (incident, actor) -> Mono.empty();
    }
}

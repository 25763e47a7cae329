package org.civicbot.bot.incident;

import reactor.core.publisher.Mono;

/**
 * Tells staff when an incident comes their way: the back-office implements it (e-mail, the inbox), the incident
 * paths call it after their change is stored. It never fails the change: what it cannot do it logs.
 */
public interface IncidentAlerts {

    /**
     * The incident has just reached a department and/or a person: each is told, if they can be (not the actor
     * assigning it to themselves). Call it only when it is new to them, after the change is stored.
     *
     * @param incident as stored after the change: its {@code updatedAt} names the step, so the same step told
     *     twice is told once
     * @param department the department it reached, or null
     * @param assignee the staff member it reached, or null
     * @param actor who did it: a staff username or {@code system}
     */
    Mono<Void> reached(Incident incident, String department, String assignee, String actor);

    /**
     * An internal note was added: the colleagues it names as {@code @username} are told.
     *
     * @param incident as stored after the note was added
     * @param note the note's text
     * @param actor its author, who is never told of their own note
     */
    Mono<Void> mentioned(Incident incident, String note, String actor);

    /**
     * The incident was passed to an outside organisation by an automation rule: the organisation hears of it as if
     * staff had passed it (a forward with a link to answer from, when it has an address).
     */
    default Mono<Void> passed(Incident incident, String organisation, String actor) {
        return Mono.empty();
    }

    /** Tells nobody. */
    static IncidentAlerts none() {
        return new IncidentAlerts() {
            @Override
            public Mono<Void> reached(Incident incident, String department, String assignee, String actor) {
                return Mono.empty();
            }

            @Override
            public Mono<Void> mentioned(Incident incident, String note, String actor) {
                return Mono.empty();
            }
        };
    }
}

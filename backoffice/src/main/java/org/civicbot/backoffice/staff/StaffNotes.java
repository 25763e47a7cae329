package org.civicbot.backoffice.staff;

import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.IncidentAlerts;
import org.civicbot.bot.incident.IncidentDesk;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Notes staff add to an incident, from the API and the page alike: an internal note that names colleagues as
 * {@code @username} tells them (e-mail, and their inbox); a public one goes to the citizen and names nobody.
 */
@Component
public class StaffNotes {

    private final IncidentDesk desk;
    private final IncidentAlerts alerts;

    StaffNotes(IncidentDesk desk, IncidentAlerts alerts) {
        this.desk = desk;
        this.alerts = alerts;
    }

    public Mono<Incident> add(String code, String text, boolean shared, String actor) {
        return desk.addNote(code, text, shared, actor).flatMap(changed -> shared ? Mono.just(changed)
                : alerts.mentioned(changed, text, actor).thenReturn(changed));
    }
}

package org.civicbot.backoffice.staff;

import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.IncidentDesk;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Assigns incidents to staff members and departments that exist: an assignment to a user nobody has, a disabled
 * one, or a department nobody created is refused with the reason, and nothing changes.
 */
@Component
public class Assignments {

    private final IncidentDesk desk;
    private final StaffUsers users;
    private final Departments departments;

    Assignments(IncidentDesk desk, StaffUsers users, Departments departments) {
        this.desk = desk;
        this.users = users;
        this.departments = departments;
    }

    /** An assignee or a department that does not exist; the message names it. */
    public static final class Unknown extends RuntimeException {
        public Unknown(String message) {
            super(message);
        }
    }

    /** As {@link IncidentDesk#assign}; an empty assignee or department clears it. */
    public Mono<Incident> assign(String code, String assignee, String department, String actor) {
        Mono<Boolean> person = assignee == null || assignee.isBlank() ? Mono.just(true)
                : users.find(assignee.strip()).map(StaffUser::enabled).defaultIfEmpty(false);
        Mono<Boolean> unit = department == null || department.isBlank() ? Mono.just(true)
                : departments.exists(department.strip());
        return person.zipWith(unit).flatMap(known -> {
            if (!known.getT1()) {
                return Mono.error(new Unknown("no active staff member \"" + assignee.strip() + "\""));
            }
            if (!known.getT2()) {
                return Mono.error(new Unknown("no department \"" + department.strip() + "\""));
            }
            return desk.assign(code, assignee == null ? null : assignee.strip(),
                    department == null ? null : department.strip(), actor);
        });
    }

    /** As {@link IncidentDesk#escalate}, to a department and/or a person that exist. */
    public Mono<Incident> escalate(String code, String department, String assignee, String reason, String actor) {
        return known(assignee, department).then(Mono.defer(() -> desk.escalate(code,
                department == null ? null : department.strip(), assignee == null ? null : assignee.strip(), reason,
                actor)));
    }

    /** Nothing, when the person (if named) is an active staff member and the department (if named) exists. */
    public Mono<Void> known(String assignee, String department) {
        Mono<Boolean> person = assignee == null || assignee.isBlank() ? Mono.just(true)
                : users.find(assignee.strip()).map(StaffUser::enabled).defaultIfEmpty(false);
        Mono<Boolean> unit = department == null || department.isBlank() ? Mono.just(true)
                : departments.exists(department.strip());
        return person.zipWith(unit).flatMap(known -> !known.getT1()
                ? Mono.error(new Unknown("no active staff member \"" + assignee.strip() + "\""))
                : !known.getT2() ? Mono.error(new Unknown("no department \"" + department.strip() + "\""))
                : Mono.empty());
    }
}

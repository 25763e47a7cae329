package org.civicbot.backoffice.staff;

import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.IncidentAlerts;
import org.civicbot.bot.incident.IncidentDesk;
import org.civicbot.bot.incident.Incidents;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Assigns incidents to staff members and departments that exist: an assignment to a user nobody has, a disabled
 * one, or a department nobody created is refused with the reason, and nothing changes. Once assigned, the department
 * or person it reached is alerted ({@link IncidentAlerts}: e-mail), if it is new to them.
 */
@Component
public class Assignments {

    private final IncidentDesk desk;
    private final StaffUsers users;
    private final Departments departments;
    private final Incidents incidents;
    private final IncidentAlerts alerts;

    private final Organisations organisations;
    private final org.civicbot.backoffice.supplier.Forwards forwards;

    Assignments(IncidentDesk desk, StaffUsers users, Departments departments, Incidents incidents,
            IncidentAlerts alerts, Organisations organisations, org.civicbot.backoffice.supplier.Forwards forwards) {
        this.organisations = organisations;
        this.forwards = forwards;
        this.desk = desk;
        this.users = users;
        this.departments = departments;
        this.incidents = incidents;
        this.alerts = alerts;
    }

    /** An assignee or a department that does not exist; the message names it. */
    public static final class Unknown extends RuntimeException {
        public Unknown(String message) {
            super(message);
        }
    }

    /** As {@link IncidentDesk#assign}; an empty assignee or department clears it. */
    public Mono<Incident> assign(String code, String assignee, String department, String actor) {
        return assign(code, assignee, department, null, actor);
    }

    /**
     * As {@link IncidentDesk#assign}, to an outside organisation too: one with an e-mail address is sent the incident
     * with a signed link to answer from (a forward), when it is new to it.
     */
    public Mono<Incident> assign(String code, String assignee, String department, String organisation,
            String actor) {
        String toPerson = assignee == null ? null : assignee.strip();
        String toUnit = department == null ? null : department.strip();
        String toOrganisation = organisation == null ? null : organisation.strip();
        Mono<Organisation> named = toOrganisation == null || toOrganisation.isEmpty() ? Mono.empty()
                : organisations.find(toOrganisation)
                        .switchIfEmpty(Mono.error(new Unknown("no organisation \"" + toOrganisation + "\"")));
        return known(assignee, department).then(named.map(java.util.Optional::of)
                .defaultIfEmpty(java.util.Optional.empty())).flatMap(org -> incidents.byCode(code).map(Before::of)
                .defaultIfEmpty(Before.NONE)
                .flatMap(before -> desk.assign(code, toPerson, toUnit, toOrganisation, actor)
                        // Only who it is new to: the same assignment again (a retried request) alerts nobody.
                        .flatMap(changed -> alerts.reached(changed, before.newDepartment(toUnit),
                                before.newAssignee(toPerson), actor).thenReturn(changed))
                        .flatMap(changed -> org.filter(o -> o.email() != null
                                        && !o.id().equals(before.organisation()))
                                .map(o -> forwards.forward(code, o.email(), null, actor))
                                .orElse(Mono.just(changed)))));
    }

    /** As {@link IncidentDesk#escalate}, to a department and/or a person that exist, who are alerted. */
    public Mono<Incident> escalate(String code, String department, String assignee, String reason, String actor) {
        String toPerson = assignee == null || assignee.isBlank() ? null : assignee.strip();
        String toUnit = department == null || department.isBlank() ? null : department.strip();
        return known(assignee, department).then(Mono.defer(() -> incidents.byCode(code).map(Before::of)
                .defaultIfEmpty(Before.NONE)
                .flatMap(before -> desk.escalate(code, toUnit, toPerson, reason, actor)
                        .flatMap(changed -> alerts.reached(changed, before.newDepartment(toUnit),
                                before.newAssignee(toPerson), actor).thenReturn(changed)))));
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

    /** Who had the incident before the assignment. */
    private record Before(String department, String assignee, String organisation) {
        static final Before NONE = new Before(null, null, null);

        static Before of(Incident incident) {
            return new Before(incident.department(), incident.assignee(), incident.organisation());
        }

        /** The department assigned, if the incident did not have it already; else null. */
        String newDepartment(String assigned) {
            return assigned == null || assigned.isEmpty() || assigned.equals(department) ? null : assigned;
        }

        String newAssignee(String assigned) {
            return assigned == null || assigned.isEmpty() || assigned.equals(assignee) ? null : assigned;
        }
    }
}

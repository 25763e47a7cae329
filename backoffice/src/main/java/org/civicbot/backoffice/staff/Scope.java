package org.civicbot.backoffice.staff;

import java.util.Set;

/**
 * What a signed-in staff member may see and do, decided here and nowhere else: supervisors and admins everything;
 * agents what belongs to one of their departments, or to no department yet (the general queue), and what is assigned
 * to them; a supplier only the incidents passed to their organisation, without who reported them.
 *
 * @param organisation a supplier's organisation; null for the town hall's staff
 */
public record Scope(String username, Set<StaffUser.Role> roles, Set<String> departments, String organisation) {

    public Scope {
        roles = Set.copyOf(roles);
        departments = Set.copyOf(departments);
    }

    public Scope(String username, Set<StaffUser.Role> roles, Set<String> departments) {
        this(username, roles, departments, null);
    }

    /** Whether they work for an outside organisation, and only that. */
    public boolean supplier() {
        return roles.contains(StaffUser.Role.SUPPLIER) && !attends();
    }

    /** Whether they may see an incident: an agent's rule, or a supplier's (passed to their organisation). */
    public boolean canSeeIncident(String department, String assignee, String incidentOrganisation) {
        if (supplier()) {
            return organisation != null && organisation.equals(incidentOrganisation);
        }
        return canSee(department, assignee);
    }

    /** Whether they may see who reported an incident (the contact, the conversation): never a supplier. */
    public boolean seesContacts() {
        return !supplier();
    }

    /** Whether they may move an incident from {@code from} to {@code to}: a supplier only sets a new one in progress. */
    public boolean mayMove(org.civicbot.bot.incident.IncidentStatus from, org.civicbot.bot.incident.IncidentStatus to) {
        return !supplier() || from == org.civicbot.bot.incident.IncidentStatus.NEW
                && to == org.civicbot.bot.incident.IncidentStatus.IN_PROGRESS;
    }

    public boolean seesAll() {
        return roles.contains(StaffUser.Role.ADMIN) || roles.contains(StaffUser.Role.SUPERVISOR);
    }

    /** Whether they attend citizens (the inbox and the incidents). */
    public boolean attends() {
        return seesAll() || roles.contains(StaffUser.Role.AGENT);
    }

    /** Whether they may write announcements to the notice subscribers. */
    public boolean announces() {
        return seesAll() || roles.contains(StaffUser.Role.COMMUNICATIONS);
    }

    /** Whether they edit the bot's content (the flows, their drafts and previews). */
    public boolean edits() {
        return roles.contains(StaffUser.Role.EDITOR) || roles.contains(StaffUser.Role.ADMIN);
    }

    /** Whether they find, export and erase what is held about a citizen: an admin or the data-protection officer. */
    public boolean handlesPersonalData() {
        return roles.contains(StaffUser.Role.ADMIN) || roles.contains(StaffUser.Role.DPO);
    }

    public boolean isAdmin() {
        return roles.contains(StaffUser.Role.ADMIN);
    }

    public boolean canSee(String department) {
        return !supplier() && (seesAll() || department == null || departments.contains(department));
    }

    /** Whether they may see an incident of {@code department} assigned to {@code assignee}: theirs, always. */
    public boolean canSee(String department, String assignee) {
        return !supplier() && (canSee(department) || username.equals(assignee));
    }
}

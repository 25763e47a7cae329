package org.civicbot.backoffice.staff;

import java.util.Set;

/**
 * What a signed-in staff member may see: supervisors and admins everything; agents what belongs to one
 * of their departments, or to no department yet (the general queue).
 */
public record Scope(String username, Set<StaffUser.Role> roles, Set<String> departments) {

    public Scope {
        roles = Set.copyOf(roles);
        departments = Set.copyOf(departments);
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

    public boolean isAdmin() {
        return roles.contains(StaffUser.Role.ADMIN);
    }

    public boolean canSee(String department) {
        return seesAll() || department == null || departments.contains(department);
    }

    /** Whether they may see an incident of {@code department} assigned to {@code assignee}: theirs, always. */
    public boolean canSee(String department, String assignee) {
        return canSee(department) || username.equals(assignee);
    }
}

package org.civicbot.backoffice.api;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.civicbot.bot.incident.Incident;

/** Incidents as CSV ({@link Csv}): one row per incident with the fields staff use; nothing about who reported it. */
final class IncidentCsv {

    static final List<String> COLUMNS = List.of("code", "type", "status", "outcome", "category", "description",
            "address", "latitude", "longitude", "source", "intake", "department", "assignee", "organisation",
            "priority", "createdAt", "dueAt", "overdue", "updatedAt", "reports", "satisfaction", "mergedInto");

    private final Map<String, String> categories;
    private final Map<String, String> departments;
    private final ZoneId zone;
    private final Instant now;

    /**
     * @param categories category names by id, in the reader's language
     * @param departments department names by id
     */
    IncidentCsv(Map<String, String> categories, Map<String, String> departments, ZoneId zone, Instant now) {
        this.categories = categories;
        this.departments = departments;
        this.zone = zone;
        this.now = now;
    }

    String row(Incident i) {
        Incident.Location l = i.location();
        return Csv.line(List.of(i.code(), i.requestType().name(), i.status().name(), Csv.text(i.outcome()),
                categories.getOrDefault(i.category(), Csv.text(i.category())), Csv.text(i.description()),
                l == null ? "" : Csv.text(l.address()), l == null || l.latitude() == null ? "" : l.latitude().toString(),
                l == null || l.longitude() == null ? "" : l.longitude().toString(), i.source().name(),
                i.intake() == null ? "" : i.intake().name(),
                i.department() == null ? "" : departments.getOrDefault(i.department(), i.department()),
                Csv.text(i.assignee()), Csv.text(i.organisation()), i.urgency().name(), Csv.time(i.createdAt(), zone),
                Csv.time(i.dueAt(), zone), i.overdue(now) ? "yes" : "no", Csv.time(i.updatedAt(), zone),
                String.valueOf(i.reports()), i.satisfaction() == null || i.satisfaction().score() == null ? ""
                        : String.valueOf(i.satisfaction().score()), Csv.text(i.mergedInto())));
    }
}

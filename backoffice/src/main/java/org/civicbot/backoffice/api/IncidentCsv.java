package org.civicbot.backoffice.api;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.civicbot.bot.incident.Incident;

/**
 * Incidents as CSV for a spreadsheet: one row per incident with the fields staff use, UTF-8 with a byte-order mark
 * (so Excel reads accents right), fields quoted as RFC 4180 says, and a cell that a spreadsheet would run as a
 * formula ({@code =}, {@code +}, {@code -}, {@code @}) made plain text. Nothing about who reported it.
 */
final class IncidentCsv {

    static final String BOM = "\uFEFF";
    static final List<String> COLUMNS = List.of("code", "type", "status", "outcome", "category", "description",
            "address", "latitude", "longitude", "source", "intake", "department", "assignee", "organisation",
            "priority", "createdAt", "dueAt", "overdue", "updatedAt", "reports", "satisfaction", "mergedInto");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

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

    /** The first line: the byte-order mark and the column names. */
    static String header() {
        return BOM + String.join(",", COLUMNS) + "\r\n";
    }

    String row(Incident i) {
        Incident.Location l = i.location();
        List<String> cells = List.of(i.code(), i.requestType().name(), i.status().name(), text(i.outcome()),
                categories.getOrDefault(i.category(), text(i.category())), text(i.description()),
                l == null ? "" : text(l.address()), l == null || l.latitude() == null ? "" : l.latitude().toString(),
                l == null || l.longitude() == null ? "" : l.longitude().toString(), i.source().name(),
                i.intake() == null ? "" : i.intake().name(),
                i.department() == null ? "" : departments.getOrDefault(i.department(), i.department()),
                text(i.assignee()), text(i.organisation()), i.urgency().name(), time(i.createdAt()), time(i.dueAt()),
                i.overdue(now) ? "yes" : "no", time(i.updatedAt()), String.valueOf(i.reports()),
                i.satisfaction() == null || i.satisfaction().score() == null ? ""
                        : String.valueOf(i.satisfaction().score()), text(i.mergedInto()));
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) {
                line.append(',');
            }
            line.append(cell(cells.get(c)));
        }
        return line.append("\r\n").toString();
    }

    private String time(Instant at) {
        return at == null ? "" : TIME.format(at.atZone(zone));
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    /** A cell as RFC 4180 wants it, never read as a formula. */
    static String cell(String value) {
        String plain = value;
        if (!plain.isEmpty() && "=+-@\t\r".indexOf(plain.charAt(0)) >= 0 && !plain.matches("-?[0-9.]+")) {
            plain = "'" + plain;
        }
        if (plain.contains(",") || plain.contains("\"") || plain.contains("\n") || plain.contains("\r")) {
            return "\"" + plain.replace("\"", "\"\"") + "\"";
        }
        return plain;
    }
}

package org.civicbot.backoffice.web;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.civicbot.bot.incident.Incident;
import org.springframework.context.MessageSource;

/**
 * An incident's history as staff read it, in their language: "From New to In progress", "Passed to Public
 * works", "Reported by the citizen on WhatsApp", rather than the stored record ("NEW -> IN_PROGRESS",
 * "assigned to staff pere department public_works"). A line it does not recognise is shown as stored.
 */
final class HistoryLines {

    private static final Pattern STATUS = Pattern.compile("^([A-Z_]+) -> ([A-Z_]+)(?: \\(([A-Z_]+)\\))?(?:: (.*))?$",
            Pattern.DOTALL);
    private static final Pattern ASSIGNMENT =
            Pattern.compile("^assigned to(?: staff (\\S+))?(?: department (\\S+))?(?: organisation (\\S+))?$");
    private static final Pattern REPORTED = Pattern.compile("^Reported on ([A-Z_]+)$");
    private static final Pattern REPORTED_AGAIN = Pattern.compile("^Reported again on ([A-Z_]+): the same problem$");
    private static final Pattern REGISTERED = Pattern.compile("^Registered by (\\S+) from what the citizen had told the bot$");
    private static final Pattern PHOTOS = Pattern.compile("^Sent (\\d+) photos$");
    private static final Pattern ENTERED = Pattern.compile("^Entered by (\\S+): ([A-Z_]+)$");
    private static final Pattern ESCALATED = Pattern.compile(
            "^escalated to(?: staff (\\S+))?(?: department (\\S+))?: (.*)$", Pattern.DOTALL);
    private static final Pattern PROPOSAL = Pattern.compile("^proposes closing as ([A-Z_]+)(?:: (.*))?$",
            Pattern.DOTALL);
    private static final Pattern FORWARDED = Pattern.compile("^forwarded to (\\S+)(?:: (.*))?$", Pattern.DOTALL);
    private static final Pattern ADDED_PHOTOS = Pattern.compile("^Added (\\d+) photos$");
    private static final Pattern MERGED_INTO = Pattern.compile("^merged into (\\S+)$");
    private static final Pattern MERGED_HERE = Pattern.compile("^merged (\\S+) into this one$");
    private static final Pattern SEPARATED_FROM = Pattern.compile("^separated from (\\S+)$");
    private static final Pattern SEPARATED = Pattern.compile("^separated (\\S+) again$");

    private static final Pattern OPEN311 = Pattern.compile("^Sent through Open311 by (.+?)(?:; photo: (\\S+))?$",
            Pattern.DOTALL);
    private static final java.time.format.DateTimeFormatter WHEN =
            java.time.format.DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm");

    private final MessageSource messages;
    private final Locale locale;
    private final java.time.ZoneId zone;
    /** Departments' and outside organisations' names by id. */
    private final Map<String, String> departments;

    /** @param zone the town's, for the times lines name (an activity's) */
    HistoryLines(MessageSource messages, Locale locale, Map<String, String> departments, java.time.ZoneId zone) {
        this.zone = zone;
        this.messages = messages;
        this.locale = locale;
        this.departments = departments;
    }

    /** What the line says, and what staff wrote with it if anything (shown apart, as their words). */
    record Line(String text, String note) {}

    Line of(Incident.TimelineEntry entry) {
        String stored = entry.text() == null ? "" : entry.text();
        Matcher m;
        switch (entry.type() == null ? "" : entry.type()) {
            case "STATUS" -> {
                if ((m = STATUS.matcher(stored)).matches()) {
                    String text = say("history.status", say("status." + m.group(1)), say("status." + m.group(2)));
                    if (m.group(3) != null) {
                        text += " · " + say("outcome." + m.group(3));
                    }
                    return new Line(text, m.group(4));
                }
            }
            case "ASSIGNMENT" -> {
                if ((m = ASSIGNMENT.matcher(stored)).matches()) {
                    String person = m.group(1);
                    String department = m.group(2);
                    StringBuilder text = new StringBuilder();
                    if (person != null) {
                        text.append(person.equals("(nobody)") ? say("history.unassigned")
                                : say("history.assigned", person));
                    }
                    if (department != null) {
                        if (!text.isEmpty()) {
                            text.append(" · ");
                        }
                        text.append(department.equals("(none)") ? say("history.noDepartment")
                                : say("history.passedTo", departments.getOrDefault(department, department)));
                    }
                    String organisation = m.group(3);
                    if (organisation != null) {
                        if (!text.isEmpty()) {
                            text.append(" · ");
                        }
                        text.append(organisation.equals("(none)") ? say("history.noOrganisation")
                                : say("history.passedTo", departments.getOrDefault(organisation, organisation)));
                    }
                    return new Line(text.toString(), null);
                }
            }
            case "CREATED" -> {
                if ((m = REPORTED.matcher(stored)).matches()) {
                    return new Line(say("history.reported", say("source." + m.group(1))), null);
                }
                if ((m = REGISTERED.matcher(stored)).matches()) {
                    return new Line(say("history.registeredDraft", m.group(1)), null);
                }
                if ((m = ENTERED.matcher(stored)).matches()) {
                    return new Line(say("history.entered", m.group(1), say("intake." + m.group(2))), null);
                }
                if ((m = OPEN311.matcher(stored)).matches()) {
                    return new Line(say("history.open311", m.group(1)), m.group(2));
                }
            }
            case "EDIT" -> {
                if (entry.field() != null) {
                    String from = entry.from() == null ? "—" : entry.from();
                    String to = entry.to() == null ? "—" : entry.to();
                    if (entry.field().equals("priority")) {
                        from = say("priority." + from);
                        to = say("priority." + to);
                    }
                    return new Line(say("history.edit." + entry.field()), say("history.editFromTo", from, to));
                }
            }
            case "ESCALATED" -> {
                if ((m = ESCALATED.matcher(stored)).matches()) {
                    StringBuilder to = new StringBuilder();
                    if (m.group(1) != null) {
                        to.append(m.group(1));
                    }
                    if (m.group(2) != null) {
                        to.append(to.isEmpty() ? "" : " · ").append(departments.getOrDefault(m.group(2), m.group(2)));
                    }
                    return new Line(say("history.escalated", to.toString()), m.group(3));
                }
            }
            case "MERGED" -> {
                if ((m = MERGED_INTO.matcher(stored)).matches()) {
                    return new Line(say("history.mergedInto", m.group(1)), null);
                }
                if ((m = MERGED_HERE.matcher(stored)).matches()) {
                    return new Line(say("history.mergedHere", m.group(1)), null);
                }
            }
            case "UNMERGED" -> {
                if ((m = SEPARATED_FROM.matcher(stored)).matches()) {
                    return new Line(say("history.separatedFrom", m.group(1)), null);
                }
                if ((m = SEPARATED.matcher(stored)).matches()) {
                    return new Line(say("history.separated", m.group(1)), null);
                }
            }
            case "REPORT" -> {
                if ((m = REPORTED_AGAIN.matcher(stored)).matches()) {
                    return new Line(say("history.reportedAgain", say("source." + m.group(1))), null);
                }
            }
            case "PHOTO" -> {
                if (stored.equals("Sent a photo")) {
                    return new Line(say("history.photo"), null);
                }
                if ((m = PHOTOS.matcher(stored)).matches()) {
                    return new Line(say("history.photos", m.group(1)), null);
                }
                if (stored.equals("Added a photo")) {
                    return new Line(say("history.photoAdded"), null);
                }
                if ((m = ADDED_PHOTOS.matcher(stored)).matches()) {
                    return new Line(say("history.photosAdded", m.group(1)), null);
                }
            }
            case "ATTACHMENT" -> {
                if (stored.startsWith("attached ")) {
                    return new Line(say("history.attached", stored.substring("attached ".length())), null);
                }
                if (stored.startsWith("removed ")) {
                    return new Line(say("history.detached", stored.substring("removed ".length())), null);
                }
            }
            case "PROPOSAL" -> {
                if ((m = PROPOSAL.matcher(stored)).matches()) {
                    return new Line(say("history.proposesClose", say("outcome." + m.group(1))), m.group(2));
                }
            }
            case "FORWARDED" -> {
                if ((m = FORWARDED.matcher(stored)).matches()) {
                    return new Line(say("history.forwarded", m.group(1)), m.group(2));
                }
            }
            case "ACTIVITY" -> {
                if (entry.field() != null && entry.from() != null) {
                    String when;
                    try {
                        when = WHEN.format(java.time.Instant.parse(entry.from()).atZone(zone));
                    } catch (java.time.format.DateTimeParseException e) {
                        when = entry.from();
                    }
                    return new Line(say("history.activity." + entry.field(), stored, when,
                            entry.to() == null ? "—" : entry.to()), null);
                }
            }
            default -> { }
        }
        return new Line(stored, null);
    }

    private String say(String key, Object... args) {
        return messages.getMessage(key, args, key, locale);
    }
}

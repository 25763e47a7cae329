package org.civicbot.bot.incident;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.civicbot.flows.Commands;
import org.civicbot.flows.Language;
import org.civicbot.flows.LocalizedText;

/**
 * What a citizen may read of an incident's history, in their language: received, each public status step, public
 * assignment and staff's public words. The public status page and the chat's status answer say the same.
 */
public final class PublicUpdates {

    private PublicUpdates() {}

    /**
     * A public update.
     *
     * @param staffWords whether the text is what staff wrote (shown as a quote), not the flows' words
     */
    public record Update(Instant at, String text, boolean staffWords) {}

    /** The incident's public updates, newest first; there is always one, its receipt. */
    public static List<Update> of(Incident incident, Commands.NoticeTexts notices, Language language) {
        Commands.PageTexts words = notices.page();
        List<Update> updates = new ArrayList<>();
        IncidentStatus previous = IncidentStatus.NEW;
        for (Incident.TimelineEntry entry : incident.timeline()) {
            if ("CREATED".equals(entry.type())) {
                updates.add(new Update(entry.at(), words.received().in(language), false));
            } else if (entry.isPublic() && "STATUS".equals(entry.type()) && entry.status() != null) {
                IncidentStatus to = IncidentStatus.valueOf(entry.status());
                String text = switch (to) {
                    case NEW -> words.reopened().in(language);
                    case IN_PROGRESS -> (previous == IncidentStatus.CLOSED ? words.reopened() : words.inProgress())
                            .in(language);
                    case CLOSED -> words.closed().in(language, Map.of("outcome",
                            outcome(notices, entry.outcome()).in(language)));
                };
                updates.add(new Update(entry.at(), text, false));
                if (entry.note() != null) {
                    updates.add(new Update(entry.at(), entry.note(), true));
                }
                previous = to;
            } else if (entry.isPublic() && ("ASSIGNMENT".equals(entry.type()) || "ESCALATED".equals(entry.type()))) {
                updates.add(new Update(entry.at(), words.assigned().in(language), false));
            } else if (entry.isPublic() && "NOTE".equals(entry.type()) && entry.note() != null) {
                updates.add(new Update(entry.at(), entry.note(), true));
            }
        }
        if (updates.isEmpty()) {
            // An incident from before timelines began with a CREATED line.
            updates.add(new Update(incident.createdAt(), words.received().in(language), false));
        }
        Collections.reverse(updates);
        return updates;
    }

    /**
     * What {@code {request}} says in the notices: "incidència" for an incident, "sol·licitud" for a suggestion, a
     * complaint or a question (one word, the same gender in Catalan and Spanish, so the sentences around it hold).
     */
    public static String request(Commands.NoticeTexts notices, Incident incident, Language language) {
        return (incident.requestType() == org.civicbot.flows.RequestType.INCIDENT ? notices.requestIncident()
                : notices.requestOther()).in(language);
    }

    /** The words for an outcome as stored ({@code POSITIVE}...); an outcome not recorded reads as resolved. */
    public static LocalizedText outcome(Commands.NoticeTexts notices, String outcome) {
        return outcome(notices, outcome == null ? Outcome.POSITIVE : Outcome.valueOf(outcome));
    }

    /** The words for an outcome. */
    public static LocalizedText outcome(Commands.NoticeTexts notices, Outcome outcome) {
        return switch (outcome) {
            case POSITIVE -> notices.outcomePositive();
            case NEGATIVE -> notices.outcomeNegative();
            case NOT_OUR_COMPETENCE -> notices.outcomeNotOurCompetence();
            case SUSPENDED -> notices.outcomeSuspended();
            case DUPLICATE -> notices.outcomeDuplicate();
            case IMPROPER -> notices.outcomeImproper();
        };
    }
}

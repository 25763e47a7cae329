package org.civicbot.bot.incident;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.civicbot.flows.Commands;
import org.civicbot.flows.FlowBundle;
import org.civicbot.flows.Language;
import org.civicbot.flows.LocalizedText;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import reactor.core.publisher.Mono;

/**
 * The answer to "how is mine going?", in the flows' words and the contact's language. Asked by code, one request:
 * its category, status (with the outcome once closed) and latest public update with its date, which anyone who
 * knows the code may read; whoever reported it also reads what they told us (description, place, photos) and the
 * address of its public page. Asked without a code, the contact's latest requests, newest first.
 */
public class StatusAnswers {

    /** Requests listed in the answer to a status question without a code. */
    static final int LIST_LENGTH = 5;
    /** A description longer than this is cut in the answer; the public page and staff have it whole. */
    static final int DESCRIPTION_LENGTH = 280;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy");

    private final ReactiveMongoTemplate mongo;
    private final PublicPages pages;
    private final ZoneId zone;
    private final Incidents incidents;

    public StatusAnswers(ReactiveMongoTemplate mongo, PublicPages pages, Incidents incidents, ZoneId zone) {
        this.incidents = incidents;
        this.mongo = mongo;
        this.pages = pages;
        this.zone = zone;
    }

    /** The answer for the contact of {@code conversationId}, about {@code code} or about all their requests. */
    public Mono<String> answer(String conversationId, Optional<String> code, FlowBundle flows, Language language) {
        Commands.SystemTexts texts = flows.commands().texts();
        if (code.isPresent()) {
            return mongo.findOne(query(where("code").is(code.get())), Incident.class)
                    .flatMap(incident -> detail(incident, conversationId, flows, language))
                    .defaultIfEmpty(texts.statusUnknown().in(language, Map.of("code", code.get())));
        }
        Query latest = query(new org.springframework.data.mongodb.core.query.Criteria().orOperator(
                where("conversationId").is(conversationId), where("reporters").is(conversationId),
                where("followers").is(conversationId)))
                .with(Sort.by(Sort.Direction.DESC, "createdAt")).limit(LIST_LENGTH);
        return mongo.find(latest, Incident.class)
                .concatMap(incident -> line(incident, conversationId, flows, language))
                .collectList().map(lines -> lines.isEmpty() ? texts.statusNone().in(language)
                        : texts.statusList().in(language) + "\n" + String.join("\n", lines));
    }

    /**
     * Follows the request of {@code code} for the contact, or stops following it, and says so. A closed request is
     * not followed (there is nothing more to hear); a code no request has is answered as by a status question.
     */
    public Mono<String> follow(String conversationId, String code, boolean follow, FlowBundle flows,
            Language language) {
        Commands.SystemTexts texts = flows.commands().texts();
        Map<String, String> values = Map.of("code", code);
        return mongo.findOne(query(where("code").is(code)), Incident.class)
                .flatMap(incident -> {
                    if (follow && incident.status() == IncidentStatus.CLOSED) {
                        return Mono.just(texts.followClosed().in(language, values));
                    }
                    return incidents.follow(code, conversationId, follow).thenReturn(
                            (follow ? texts.followStarted() : texts.followStopped()).in(language, values));
                })
                .defaultIfEmpty(texts.statusUnknown().in(language, values));
    }

    /** One request in full: for its reporter with what they told us and its page, for anyone else the status. */
    private Mono<String> detail(Incident incident, String conversationId, FlowBundle flows, Language language) {
        Commands.SystemTexts texts = flows.commands().texts();
        Map<String, String> values = publicValues(incident, flows, language);
        if (!reportedFrom(incident, conversationId)) {
            String detail = texts.statusDetail().in(language, values);
            if (incident.status() != IncidentStatus.CLOSED && !incident.followers().contains(conversationId)) {
                detail += "\n" + texts.statusFollow().in(language, values);
            }
            return Mono.just(detail);
        }
        values.put("description", cut(incident.description()));
        values.put("address", place(incident.location()));
        values.put("photos", String.valueOf(incident.photos().size()));
        return pages.urlOf(incident).map(url -> {
            values.put("url", url);
            return texts.statusOwnDetail().in(language, values);
        });
    }

    /** A request's line in the list of the contact's own; each carries its public page. */
    private Mono<String> line(Incident incident, String conversationId, FlowBundle flows, Language language) {
        Commands.SystemTexts texts = flows.commands().texts();
        Map<String, String> values = publicValues(incident, flows, language);
        if (!reportedFrom(incident, conversationId)) {
            return Mono.just(texts.statusLine().in(language, values));
        }
        return pages.urlOf(incident).map(url -> {
            values.put("url", url);
            return texts.statusOwnLine().in(language, values);
        });
    }

    /** What anyone who knows the code may read: what the public page shows. */
    private Map<String, String> publicValues(Incident incident, FlowBundle flows, Language language) {
        Commands.NoticeTexts notices = flows.commands().notices();
        Commands.SystemTexts texts = flows.commands().texts();
        LocalizedText status = switch (incident.status()) {
            case NEW -> texts.statusNew();
            case IN_PROGRESS -> texts.statusInProgress();
            case CLOSED -> texts.statusClosed();
        };
        List<PublicUpdates.Update> updates = PublicUpdates.of(incident, notices, language);
        PublicUpdates.Update latest = updates.get(0);
        Map<String, String> values = new HashMap<>();
        values.put("code", incident.code());
        values.put("category", flows.valueLabel(incident.category()).map(l -> l.in(language))
                .orElse(incident.category() == null ? "" : incident.category()));
        values.put("status", status.in(language, Map.of("outcome",
                PublicUpdates.outcome(notices, incident.outcome()).in(language))));
        values.put("date", latest.at() == null ? "" : DATE.format(latest.at().atZone(zone)));
        values.put("update", latest.text());
        return values;
    }

    /**
     * Whether the contact reported it (first, or as the same problem later): they may read what was reported.
     * Someone who follows it by its code reads what its public page shows, no more: a code is easy to pass on.
     */
    private static boolean reportedFrom(Incident incident, String conversationId) {
        return incident.reportedFrom(conversationId);
    }

    private static String cut(String description) {
        if (description == null) {
            return "";
        }
        String text = description.strip();
        if (text.codePointCount(0, text.length()) <= DESCRIPTION_LENGTH) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, DESCRIPTION_LENGTH - 1)).stripTrailing() + "…";
    }

    /** The place as the citizen gave it: the address, or the pin's coordinates when there is none. */
    private static String place(Incident.Location location) {
        if (location == null) {
            return "";
        }
        if (location.address() != null && !location.address().isBlank()) {
            return location.address();
        }
        if (location.latitude() != null && location.longitude() != null) {
            return String.format(Locale.ROOT, "%.5f, %.5f", location.latitude(), location.longitude());
        }
        return "";
    }
}

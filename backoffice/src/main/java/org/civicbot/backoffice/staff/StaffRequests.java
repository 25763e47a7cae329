package org.civicbot.backoffice.staff;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.civicbot.bot.incident.Categories;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.IncidentDesk;
import org.civicbot.bot.incident.Incidents;
import org.civicbot.bot.incident.Intake;
import org.civicbot.bot.incident.Priority;
import org.civicbot.bot.incident.Source;
import org.civicbot.flows.RequestType;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Requests staff enter for a citizen who called, came to the counter or wrote, or that staff saw themselves: one
 * place for the API and the page, so both refuse the same input with the same reasons.
 */
@Component
public class StaffRequests {

    private final Incidents incidents;
    private final Categories categories;
    private final Assignments assignments;
    private final Clock clock;

    private final IncidentDesk desk;

    StaffRequests(Incidents incidents, Categories categories, Assignments assignments, Clock clock,
            IncidentDesk desk) {
        this.desk = desk;
        this.incidents = incidents;
        this.categories = categories;
        this.assignments = assignments;
        this.clock = clock;
    }

    /**
     * What staff entered.
     *
     * @param contact the citizen, when there is one; staff see it, the public page never does
     */
    public record Request(Intake intake, String category, String description, Incident.Location location,
            Incident.Contact contact, Priority priority, String department, String assignee, RequestType type) {}

    /** Files the request with source STAFF; refused with the reason (and nothing filed) when it cannot be taken. */
    public Mono<Incident> enter(Request request, String actor) {
        return enter(request, actor, null);
    }

    /**
     * As {@link #enter(Request, String)}; with an idempotency key, the request is filed once however often it is
     * sent (its ref derives from the staff member and the key), even after a crash half-way.
     */
    public Mono<Incident> enter(Request request, String actor, String key) {
        if (request.intake() == null) {
            return Mono.error(new IncidentDesk.Invalid("say how it came in: intake PHONE, COUNTER, EMAIL or INTERNAL"));
        }
        return file(request, Source.STAFF, key == null ? "staff:" + UUID.randomUUID() : "staff:" + actor + ":" + key,
                actor, "Entered by " + actor + ": " + request.intake())
                // The citizen who asked to be told by e-mail hears it is registered, with its code.
                .flatMap(desk::acknowledge);
    }

    /**
     * Files a request another system sent for a citizen (e.g. an Open311 client, source {@code OPEN311}), checked as
     * a staff one is; the same {@code ref} again gives the incident it filed the first time.
     *
     * @param actor who sent it, as its history says
     * @param text the history's first line
     */
    public Mono<Incident> receive(Request request, Source source, String ref, String actor, String text) {
        return file(request, source, ref, actor, text);
    }

    private Mono<Incident> file(Request request, Source source, String ref, String actor, String text) {
        String problem = problem(request);
        if (problem != null) {
            return Mono.error(new IncidentDesk.Invalid(problem));
        }
        Instant now = clock.instant();
        return categories.byId(request.category())
                .switchIfEmpty(Mono.error(new IncidentDesk.Invalid("no category " + request.category()
                        + "; see GET /api/v1/categories")))
                .then(assignments.known(request.assignee(), request.department()))
                .then(Mono.defer(() -> incidents.report(new Incidents.Report(ref,
                        request.category(), IncidentDesk.plainText(request.description()), request.location(), List.of(),
                        source, request.contact() == null ? null : request.contact().name(), null, null, null,
                        blank(request.department()), new Incident.TimelineEntry(now, "CREATED", actor, text),
                        null, request.type(), request.intake(), request.contact(), request.priority(),
                        blank(request.assignee())))));
    }

    /**
     * Corrects an incident (as {@link IncidentDesk#edit}); a new location is placed on the map as a new request's is
     * (a typed address geocoded, a pin given its address), so a corrected incident does not drop off the map.
     */
    public Mono<Incident> correct(String code, IncidentDesk.Edit edit, String actor) {
        Incident.Location location = edit.location();
        if (location == null || IncidentDesk.locationProblem(location) != null) {
            return desk.edit(code, edit, actor);
        }
        return incidents.located(location).flatMap(found -> desk.edit(code, new IncidentDesk.Edit(edit.category(),
                edit.description(), found.orElse(location), edit.priority()), actor));
    }

    private static String problem(Request request) {
        if (request.category() == null || request.category().isBlank()) {
            return "choose a category";
        }
        if (request.description() == null || request.description().isBlank()) {
            return "describe the problem";
        }
        if (request.description().strip().length() > IncidentDesk.MAX_DESCRIPTION_LENGTH) {
            return "a description may have at most " + IncidentDesk.MAX_DESCRIPTION_LENGTH + " characters";
        }
        if (request.location() != null) {
            String where = IncidentDesk.locationProblem(request.location());
            if (where != null) {
                return where;
            }
        }
        Incident.Contact c = request.contact();
        if (c != null && c.email() != null && !org.civicbot.backoffice.mail.EmailAddresses.valid(c.email())) {
            return "the citizen's e-mail \"" + c.email() + "\" is not an e-mail address";
        }
        if (c != null && (length(c.name()) > 120 || length(c.phone()) > 40)) {
            return "a name may have at most 120 characters and a phone 40";
        }
        if (c != null && c.phone() != null && !c.phone().matches("[+0-9 ()./-]{3,40}")) {
            return "a phone is digits, spaces and + ( ) . / - only";
        }
        if (c != null && c.notifyBy() != null) {
            if (!Boolean.TRUE.equals(c.consent())) {
                return "the citizen must agree to be told of its progress before we tell them by " + c.notifyBy();
            }
            if ("EMAIL".equals(c.notifyBy()) && (c.email() == null || c.email().isBlank())) {
                return "to tell the citizen by e-mail, give their e-mail";
            }
            if ("WHATSAPP".equals(c.notifyBy())) {
                // A WhatsApp conversation the town hall starts needs the citizen's privacy notice and language
                // first (#14); until then they follow it in the chat by its code.
                return "telling the citizen on WhatsApp about a request staff entered is not available yet: choose "
                        + "EMAIL, or give them the code to follow it on WhatsApp (\"seguir <code>\")";
            }
        }
        return null;
    }

    private static int length(String value) {
        return value == null ? 0 : value.length();
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}

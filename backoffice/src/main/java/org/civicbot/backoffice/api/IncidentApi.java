package org.civicbot.backoffice.api;


import java.time.Instant;
import java.util.List;
import java.util.Map;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.civicbot.backoffice.query.IncidentQueries;
import org.civicbot.backoffice.staff.CurrentStaff;
import org.civicbot.backoffice.staff.Scope;
import org.civicbot.backoffice.staff.StaffRequests;
import org.civicbot.bot.incident.Incident;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.civicbot.bot.incident.IncidentDesk;
import org.civicbot.bot.incident.PublicPages;
import org.civicbot.bot.incident.Outcome;
import org.civicbot.bot.incident.IncidentStatus;
import org.civicbot.bot.incident.Source;
import org.civicbot.bot.incident.Intake;
import org.civicbot.bot.incident.Priority;
import org.civicbot.flows.RequestType;
import org.civicbot.bot.media.PhotoStore;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * Incidents for staff and scripts: a filtered, paged list, one by code, their photos, and the changes
 * staff make. An agent sees the incidents of their departments and those of no department; any other
 * answers 404.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Incidents", description = "Incidents reported by citizens, staff and devices")
class IncidentApi {

    private final IncidentQueries queries;
    private final PhotoStore photos;
    private final IncidentDesk desk;
    private final org.civicbot.backoffice.staff.Assignments assignments;
    private final CurrentStaff staff;
    private final Idempotency idempotency;
    private final PublicPages pages;

    private final StaffRequests requests;
    private final org.civicbot.bot.incident.Categories categories;
    private final org.civicbot.backoffice.staff.Departments departments;
    private final java.time.ZoneId zone;
    private final org.civicbot.backoffice.staff.StaffNotes notes;
    private final org.civicbot.backoffice.supplier.Forwards forwards;
    private final org.civicbot.backoffice.staff.StaffAttachments attachments;
    private final java.time.Clock clock;

    IncidentApi(IncidentQueries queries, PhotoStore photos, IncidentDesk desk, CurrentStaff staff,
            Idempotency idempotency, PublicPages pages, org.civicbot.backoffice.staff.Assignments assignments,
            StaffRequests requests, java.time.Clock clock, org.civicbot.backoffice.staff.StaffNotes notes,
            org.civicbot.bot.incident.Categories categories, org.civicbot.backoffice.staff.Departments departments,
            @org.springframework.beans.factory.annotation.Value("${civicbot.time-zone:Europe/Madrid}")
            java.time.ZoneId zone,
            org.civicbot.backoffice.supplier.Forwards forwards,
            org.civicbot.backoffice.staff.StaffAttachments attachments) {
        this.attachments = attachments;
        this.forwards = forwards;
        this.notes = notes;
        this.requests = requests;
        this.clock = clock;
        this.categories = categories;
        this.departments = departments;
        this.zone = zone;
        this.assignments = assignments;
        this.pages = pages;
        this.queries = queries;
        this.photos = photos;
        this.desk = desk;
        this.staff = staff;
        this.idempotency = idempotency;
    }

    /** A status change; closing needs an outcome. */
    record StatusChange(@NotNull IncidentStatus status, Outcome outcome, @Size(max = IncidentDesk.MAX_NOTE_LENGTH) String note) {}

    /**
     * An assignment: a staff username, a department id and/or an outside organisation; an empty string clears it.
     * An organisation with an e-mail address is sent the incident with a link to answer from.
     */
    record Assignment(String assignee, String department, String organisation) {}

    /** A note; {@code "public": true} sends it to the citizen as an update and shows it on the public page. */
    record Note(@NotBlank @Size(max = IncidentDesk.MAX_NOTE_LENGTH) String text,
            @JsonProperty("public") Boolean shared) {}

    /**
     * @param q free text, matched case-insensitively in the code, description and address
     * @param from created at or after (ISO-8601 instant)
     * @param to created before
     */
    @GetMapping("/incidents")
    @Operation(summary = "Incidents, newest first, filtered and paged")
    Mono<Page<IncidentView>> list(@org.springdoc.core.annotations.ParameterObject @org.springframework.web.bind.annotation.ModelAttribute
            FilterParams params,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        Instant now = clock.instant();
        IncidentQueries.Filter filter = params.filter(now);
        return staff.scope().flatMap(scope -> queries.find(scope, filter, page, size)
                .map(found -> new Page<>(found.items().stream().map(i -> shown(IncidentView.of(i, pages, now), scope))
                        .toList(), page, size, found.total())));
    }

    /** The list's filters as the query reads them; {@code overdue} means open past the due time at {@code now}. */
    /**
     * The list's filters as the list, its CSV and its map take them from the query string, in one place.
     *
     * @param from created at or after (an ISO instant)
     * @param to created before
     * @param q free text in the code, description and address
     * @param overdue only those still open after their due time
     */
    record FilterParams(List<IncidentStatus> status, String category, Source source, String department, Instant from,
            Instant to, String q, RequestType type, Priority priority, Boolean overdue) {

        IncidentQueries.Filter filter(Instant now) {
            return new IncidentQueries.Filter(status, category, source, department, from, to, q, type, priority,
                    Boolean.TRUE.equals(overdue) ? now : null);
        }
    }

    /** Each category's name in the language the request asks for (Catalan when it asks for none we have). */
    private Mono<Map<String, String>> categoryNames(org.springframework.web.server.ServerWebExchange exchange) {
        java.util.Locale locale = exchange.getLocaleContext().getLocale();
        org.civicbot.flows.Language language = org.civicbot.flows.Language
                .fromCode(locale == null ? "ca" : locale.getLanguage()).orElse(org.civicbot.flows.Language.DEFAULT);
        return categories.all().collectMap(org.civicbot.bot.incident.Category::id, c -> c.label(language));
    }

    /** The located incidents of a filter, as GeoJSON points for the overview map (at most {@value #MAX_ON_MAP}). */
    static final int MAX_ON_MAP = 5000;

    @GetMapping("/incidents/map")
    @Operation(summary = "The incidents the filters find that have a place, as a GeoJSON FeatureCollection of points "
            + "(code, status, priority, category's name, overdue, its page)")
    Mono<Map<String, Object>> map(@org.springdoc.core.annotations.ParameterObject @org.springframework.web.bind.annotation.ModelAttribute
            FilterParams params,
            org.springframework.web.server.ServerWebExchange exchange) {
        Instant now = clock.instant();
        IncidentQueries.Filter filter = params.filter(now);
        return staff.scope().zipWith(categoryNames(exchange))
                .flatMap(t -> queries.stream(t.getT1(), filter)
                        .filter(i -> i.location() != null && i.location().latitude() != null
                                && i.location().longitude() != null)
                        .take(MAX_ON_MAP)
                        .map(i -> feature(i, t.getT2(), now))
                        .collectList())
                .map(features -> Map.of("type", "FeatureCollection", "features", features));
    }

    private static Map<String, Object> feature(Incident i, Map<String, String> categoryNames, Instant now) {
        String description = i.description() == null ? "" : i.description();
        Map<String, Object> properties = new java.util.LinkedHashMap<>();
        properties.put("code", i.code());
        properties.put("status", i.status().name());
        properties.put("priority", i.urgency().name());
        properties.put("category", categoryNames.getOrDefault(i.category(), i.category()));
        properties.put("description", description.length() <= 120 ? description : description.substring(0, 119) + "…");
        properties.put("overdue", i.overdue(now));
        properties.put("url", "/incidents/" + i.code());
        return Map.of("type", "Feature", "geometry", Map.of("type", "Point", "coordinates",
                List.of(i.location().longitude(), i.location().latitude())), "properties", properties);
    }

    /** The same list as CSV, every row the filter finds (not a page), streamed as the store hands them over. */
    @GetMapping(path = "/incidents", params = "format=csv")
    @Operation(summary = "The incidents the filters find, as CSV (UTF-8 with a byte-order mark, for spreadsheets)")
    Mono<ResponseEntity<reactor.core.publisher.Flux<String>>> csv(
            @org.springdoc.core.annotations.ParameterObject @org.springframework.web.bind.annotation.ModelAttribute
            FilterParams params,
            org.springframework.web.server.ServerWebExchange exchange) {
        Instant now = clock.instant();
        IncidentQueries.Filter filter = params.filter(now);
        return staff.scope().zipWith(categoryNames(exchange))
                .zipWith(departments.all().collectMap(org.civicbot.backoffice.staff.Department::id,
                        org.civicbot.backoffice.staff.Department::name))
                .map(t -> {
                    IncidentCsv csv = new IncidentCsv(t.getT1().getT2(), t.getT2(), zone, now);
                    return Csv.download("incidents", IncidentCsv.COLUMNS,
                            queries.stream(t.getT1().getT1(), filter).map(csv::row), zone, now);
                });
    }

    @GetMapping("/incidents/{code}")
    @Operation(summary = "One incident by its code, with its timeline")
    Mono<IncidentView> byCode(@PathVariable String code) {
        return visible(code).flatMap(this::view);
    }

    /** The incident with its public page's address, given a token first if it is an old one without. */
    private Mono<IncidentView> view(Incident incident) {
        return staff.scope().zipWith(pages.urlOf(incident))
                .map(t -> shown(IncidentView.of(incident, t.getT2(), clock.instant()), t.getT1()));
    }

    /** The incident as this staff member may read it: a supplier never sees who reported it. */
    private static IncidentView shown(IncidentView view, Scope scope) {
        return scope.seesContacts() ? view : view.forSupplier(scope.username());
    }

    @PostMapping("/incidents/{code}/status")
    @Operation(summary = "Move an incident: NEW -> IN_PROGRESS -> CLOSED (with an outcome); the citizen hears of the close")
    Mono<ResponseEntity<Object>> changeStatus(@PathVariable String code, @Valid @RequestBody StatusChange change,
            @RequestHeader(name = Idempotency.HEADER, required = false) String key) {
        return visibleWithScope(code).filter(v -> v.scope().mayMove(v.incident().status(), change.status()))
                .switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.FORBIDDEN,
                        "an outside organisation sets an incident in progress, or proposes closing it "
                                + "(POST /api/v1/incidents/{code}/proposal)")))
                .flatMap(v -> idempotency.once(v.scope().username(),
                "POST /incidents/" + code + "/status", key,
                () -> desk.changeStatus(code, change.status(), change.outcome(), change.note(), v.scope().username())
                        .flatMap(this::view).map(ResponseEntity::ok)));
    }

    @PostMapping("/incidents/{code}/assignment")
    @Operation(summary = "Assign an incident to a staff member and/or a department")
    Mono<IncidentView> assign(@PathVariable String code, @RequestBody Assignment assignment) {
        return visibleWithScope(code)
                .flatMap(v -> assignments.assign(code, assignment.assignee(), assignment.department(),
                        assignment.organisation(), v.scope().username()))
                .flatMap(this::view);
    }

    @PostMapping("/incidents/{code}/notes")
    @Operation(summary = "Add a note to an incident's timeline; a public one is sent to the citizen as an update")
    Mono<IncidentView> note(@PathVariable String code, @Valid @RequestBody Note note) {
        return visibleWithScope(code).flatMap(v -> notes.add(code, note.text(), Boolean.TRUE.equals(note.shared()),
                        v.scope().username()))
                .flatMap(this::view);
    }

    /**
     * A request staff enter for a citizen who called, came to the counter or wrote, or that staff saw themselves.
     *
     * @param contact the citizen, when there is one: staff see it, the public page never does
     */
    record StaffReport(Intake intake, @NotBlank String category,
            @NotBlank @Size(max = IncidentDesk.MAX_DESCRIPTION_LENGTH) String description, Location location,
            @Valid Contact contact, Priority priority, String department, String assignee, RequestType type) {}

    /** A place: an address, coordinates, or both (a pin placed on the map and the address found for it). */
    record Location(@Size(max = 300) String address, Double latitude, Double longitude) {
        Incident.Location toIncident() {
            return new Incident.Location(address == null || address.isBlank() ? null : address.strip(), latitude,
                    longitude, latitude != null ? "PIN" : "ADDRESS");
        }
    }

    /**
     * @param language {@code ca}, {@code es} or {@code en}
     * @param notifyBy {@code EMAIL} when they agreed to be told of its progress ({@code WHATSAPP} is refused for now:
     *     they follow it in the chat by its code)
     */
    record Contact(@Size(max = 120) String name, @Size(max = 40) String phone,
            @Size(max = 200) @jakarta.validation.constraints.Email String email,
            @jakarta.validation.constraints.Pattern(regexp = "ca|es|en") String language, Boolean consent,
            @jakarta.validation.constraints.Pattern(regexp = "WHATSAPP|EMAIL") String notifyBy) {}

    @PostMapping("/incidents")
    @Operation(summary = "Enter a request that came by phone, at the counter, by e-mail or from staff themselves")
    Mono<ResponseEntity<Object>> create(@Valid @RequestBody StaffReport report,
            @RequestHeader(name = Idempotency.HEADER, required = false) String key) {
        Contact c = report.contact();
        StaffRequests.Request request = new StaffRequests.Request(report.intake(), report.category(),
                report.description(), report.location() == null ? null : report.location().toIncident(),
                c == null ? null : new Incident.Contact(blank(c.name()), blank(c.phone()), blank(c.email()),
                        c.language() == null ? "ca" : c.language(), Boolean.TRUE.equals(c.consent()), c.notifyBy()),
                report.priority(), report.department(), report.assignee(), report.type());
        return staff.scope().flatMap(scope -> idempotency.once(scope.username(), "POST /incidents", key,
                () -> requests.enter(request, scope.username(), key).flatMap(this::view)
                        .map(view -> ResponseEntity.status(HttpStatus.CREATED)
                                .location(java.net.URI.create("/api/v1/incidents/" + view.code()))
                                .body((Object) view))));
    }

    /** What staff correct; a field left out stays as it is. */
    record Edit(@Size(max = 40) String category,
            @Size(max = IncidentDesk.MAX_DESCRIPTION_LENGTH) String description, Location location,
            Priority priority) {}

    @org.springframework.web.bind.annotation.PatchMapping("/incidents/{code}")
    @Operation(summary = "Correct an incident's category, description, location or priority; each change is audited")
    Mono<IncidentView> edit(@PathVariable String code, @Valid @RequestBody Edit edit) {
        return visibleWithScope(code).flatMap(v -> requests.correct(code, new IncidentDesk.Edit(blank(edit.category()),
                                edit.description(), edit.location() == null ? null : edit.location().toIncident(),
                                edit.priority()), v.scope().username()))
                .flatMap(this::view);
    }

    /** @param into the incident it is the same problem as */
    record MergeRequest(@NotBlank String into) {}

    @PostMapping("/incidents/{code}/merge")
    @Operation(summary = "Merge an incident into another (the same problem): it closes as DUPLICATE and its "
            + "reporters follow the other and are told")
    Mono<IncidentView> merge(@PathVariable String code, @Valid @RequestBody MergeRequest merge) {
        String into = merge.into().strip().toUpperCase(java.util.Locale.ROOT);
        return visibleWithScope(code).zipWith(visibleWithScope(into))
                .flatMap(v -> desk.merge(code, into, v.getT1().scope().username()))
                .flatMap(this::view);
    }

    @org.springframework.web.bind.annotation.DeleteMapping("/incidents/{code}/merge")
    @Operation(summary = "Undo a merge: the incident stands where it stood before, and the other loses the "
            + "followers the merge gave it")
    Mono<IncidentView> unmerge(@PathVariable String code) {
        return visibleWithScope(code).flatMap(v -> desk.unmerge(code, v.scope().username())).flatMap(this::view);
    }

    /** A proposal to close, from an outside organisation: staff confirm it by closing the incident. */
    record Proposal(Outcome outcome, @Size(max = IncidentDesk.MAX_NOTE_LENGTH) String note) {}

    @PostMapping("/incidents/{code}/proposal")
    @Operation(summary = "Propose closing an incident with an outcome (suppliers); staff confirm by closing it")
    Mono<IncidentView> propose(@PathVariable String code, @Valid @RequestBody Proposal proposal) {
        Outcome outcome = proposal.outcome() == null ? Outcome.POSITIVE : proposal.outcome();
        if (outcome == Outcome.DUPLICATE) {
            return Mono.error(new IncidentDesk.Invalid("a duplicate is merged by staff, not proposed"));
        }
        return visibleWithScope(code).flatMap(v -> desk.proposeClose(code, outcome, proposal.note(),
                        v.scope().username()))
                .flatMap(this::view);
    }

    @PostMapping(path = "/incidents/{code}/attachments", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Attach a photo (JPEG, PNG, WebP) or a PDF to an incident (multipart field \"file\", up to "
            + "10 MB); the history names it")
    Mono<IncidentView> attach(@PathVariable String code,
            @org.springframework.web.bind.annotation.RequestPart("file") Mono<org.springframework.http.codec.multipart.FilePart> file) {
        return visibleWithScope(code).zipWith(file.switchIfEmpty(Mono.error(new IncidentDesk.Invalid(
                        "send the file as the multipart field \"file\""))))
                .flatMap(t -> attachments.attach(code, t.getT2(), t.getT1().scope().username()))
                .flatMap(this::view);
    }

    @org.springframework.web.bind.annotation.DeleteMapping("/incidents/{code}/attachments/{id}")
    @Operation(summary = "Take an attachment off an incident; the history says so")
    Mono<IncidentView> detach(@PathVariable String code, @PathVariable String id) {
        return visibleWithScope(code).flatMap(v -> desk.detach(code, id, v.scope().username())).flatMap(this::view);
    }

    /** @param to the supplier's e-mail address; {@code note}: what they are asked to do */
    record ForwardRequest(@NotBlank @Size(max = 254) String to, @Size(max = IncidentDesk.MAX_NOTE_LENGTH) String note) {}

    @PostMapping("/incidents/{code}/forward")
    @Operation(summary = "Forward an incident by e-mail to a supplier, with a signed link to a page where they "
            + "answer without an account (notes, photos, in progress, resolved)")
    Mono<ResponseEntity<Object>> forward(@PathVariable String code, @Valid @RequestBody ForwardRequest forward,
            @RequestHeader(name = Idempotency.HEADER, required = false) String key) {
        return visibleWithScope(code).flatMap(v -> idempotency.once(v.scope().username(),
                "POST /incidents/" + code + "/forward", key,
                () -> forwards.forward(code, forward.to(), forward.note(), v.scope().username())
                        .flatMap(this::view).map(ResponseEntity::ok)));
    }

    /** @param department and/or {@code assignee}: where it goes; {@code reason}: why, for staff */
    record Escalation(String department, String assignee,
            @NotBlank @Size(max = IncidentDesk.MAX_NOTE_LENGTH) String reason) {}

    @PostMapping("/incidents/{code}/escalate")
    @Operation(summary = "Escalate an open incident to another department or a supervisor, with a reason")
    Mono<ResponseEntity<Object>> escalate(@PathVariable String code, @Valid @RequestBody Escalation escalation,
            @RequestHeader(name = Idempotency.HEADER, required = false) String key) {
        return visibleWithScope(code).flatMap(v -> idempotency.once(v.scope().username(),
                "POST /incidents/" + code + "/escalate", key,
                () -> assignments.escalate(code, escalation.department(), escalation.assignee(), escalation.reason(),
                                v.scope().username())
                        .flatMap(this::view).map(ResponseEntity::ok)));
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private record Visible(Incident incident, Scope scope) {}

    private Mono<Visible> visibleWithScope(String code) {
        return staff.scope().flatMap(scope -> queries.visible(scope, code)
                .switchIfEmpty(Mono.error(new IncidentDesk.NotFound(code)))
                .map(i -> new Visible(i, scope)));
    }

    private Mono<Incident> visible(String code) {
        return visibleWithScope(code).map(Visible::incident);
    }

    /**
     * A photo, if it belongs to an incident or a conversation this staff member may see; 404 otherwise,
     * as if it did not exist.
     */
    @GetMapping("/photos/{id}")
    @Operation(summary = "A photo of an incident or a conversation, or a file staff attached")
    Mono<ResponseEntity<byte[]>> photo(@PathVariable String id) {
        return staff.scope().filterWhen(scope -> queries.photoVisible(scope, id))
                .flatMap(scope -> photos.load(id))
                .map(p -> ResponseEntity.ok()
                        .contentType(p.contentType() == null ? MediaType.APPLICATION_OCTET_STREAM
                                : MediaType.parseMediaType(p.contentType()))
                        // Only images are shown in the page; anything else (a PDF) is downloaded.
                        .header("Content-Disposition", p.contentType() != null && p.contentType().startsWith("image/")
                                ? "inline" : "attachment")
                        .cacheControl(CacheControl.noStore())
                        .header("X-Content-Type-Options", "nosniff")
                        .body(p.bytes()))
                .switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "no photo " + id)));
    }

}

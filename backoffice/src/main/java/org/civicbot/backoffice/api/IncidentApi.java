package org.civicbot.backoffice.api;

import static org.springframework.data.mongodb.core.query.Criteria.where;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.civicbot.backoffice.staff.CurrentStaff;
import org.civicbot.backoffice.staff.Scope;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.inbound.InboundRecord;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.IncidentDesk;
import org.civicbot.bot.incident.Outcome;
import org.civicbot.bot.incident.IncidentStatus;
import org.civicbot.bot.incident.Source;
import org.civicbot.bot.media.PhotoStore;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
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

    static final int MAX_PAGE_SIZE = 200;

    private final ReactiveMongoTemplate mongo;
    private final PhotoStore photos;
    private final IncidentDesk desk;
    private final CurrentStaff staff;
    private final Idempotency idempotency;

    IncidentApi(ReactiveMongoTemplate mongo, PhotoStore photos, IncidentDesk desk, CurrentStaff staff,
            Idempotency idempotency) {
        this.mongo = mongo;
        this.photos = photos;
        this.desk = desk;
        this.staff = staff;
        this.idempotency = idempotency;
    }

    /** A status change; closing needs an outcome. */
    record StatusChange(@NotNull IncidentStatus status, Outcome outcome, @Size(max = IncidentDesk.MAX_NOTE_LENGTH) String note) {}

    /** An assignment: a staff username and/or a department id; an empty string clears it. */
    record Assignment(String assignee, String department) {}

    record Note(@NotBlank @Size(max = IncidentDesk.MAX_NOTE_LENGTH) String text) {}

    /**
     * @param q free text, matched case-insensitively in the code, description and address
     * @param from created at or after (ISO-8601 instant)
     * @param to created before
     */
    @GetMapping("/incidents")
    @Operation(summary = "Incidents, newest first, filtered and paged")
    Mono<Page<IncidentView>> list(@RequestParam(required = false) List<IncidentStatus> status,
            @RequestParam(required = false) String category, @RequestParam(required = false) Source source,
            @RequestParam(required = false) String department,
            @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
            @RequestParam(required = false) String q, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "page must be 0 or more and size between 1 and " + MAX_PAGE_SIZE);
        }
        return staff.scope().flatMap(scope -> find(scope, status, category, source, department, from, to, q, page,
                size));
    }

    /** The incidents this staff member may see that match the filters. */
    Mono<Page<IncidentView>> find(Scope scope, List<IncidentStatus> status, String category, Source source,
            String department, Instant from, Instant to, String q, int page, int size) {
        List<Criteria> filters = new ArrayList<>();
        if (!scope.seesAll()) {
            filters.add(new Criteria().orOperator(where("department").in(scope.departments()),
                    where("department").is(null)));
        }
        if (department != null && !department.isBlank()) {
            filters.add(where("department").is(department));
        }
        if (status != null && !status.isEmpty()) {
            filters.add(where("status").in(status));
        }
        if (category != null && !category.isBlank()) {
            filters.add(where("category").is(category));
        }
        if (source != null) {
            filters.add(where("source").is(source));
        }
        if (from != null) {
            filters.add(where("createdAt").gte(from));
        }
        if (to != null) {
            filters.add(where("createdAt").lt(to));
        }
        if (q != null && !q.isBlank()) {
            // No $text on the embedded store: a case-insensitive literal match instead.
            Pattern pattern = Pattern.compile(Pattern.quote(q.strip()), Pattern.CASE_INSENSITIVE);
            filters.add(new Criteria().orOperator(where("code").regex(pattern), where("description").regex(pattern),
                    where("location.address").regex(pattern)));
        }
        Query query = filters.isEmpty() ? new Query() : new Query(new Criteria().andOperator(filters));
        Mono<Long> total = mongo.count(Query.of(query), Incident.class);
        Mono<List<IncidentView>> items = mongo.find(Query.of(query).with(Sort.by(Sort.Direction.DESC, "createdAt"))
                        .skip((long) page * size).limit(size), Incident.class)
                .map(IncidentView::of).collectList();
        return Mono.zip(items, total).map(t -> new Page<>(t.getT1(), page, size, t.getT2()));
    }

    @GetMapping("/incidents/{code}")
    @Operation(summary = "One incident by its code, with its timeline")
    Mono<IncidentView> byCode(@PathVariable String code) {
        return visible(code).map(IncidentView::of);
    }

    @PostMapping("/incidents/{code}/status")
    @Operation(summary = "Move an incident: NEW -> IN_PROGRESS -> CLOSED (with an outcome); the citizen hears of the close")
    Mono<ResponseEntity<Object>> changeStatus(@PathVariable String code, @Valid @RequestBody StatusChange change,
            @RequestHeader(name = Idempotency.HEADER, required = false) String key) {
        return visibleWithScope(code).flatMap(v -> idempotency.once(v.scope().username(),
                "POST /incidents/" + code + "/status", key,
                () -> desk.changeStatus(code, change.status(), change.outcome(), change.note(), v.scope().username())
                        .map(i -> ResponseEntity.ok(IncidentView.of(i)))));
    }

    @PostMapping("/incidents/{code}/assignment")
    @Operation(summary = "Assign an incident to a staff member and/or a department")
    Mono<IncidentView> assign(@PathVariable String code, @RequestBody Assignment assignment) {
        return visibleWithScope(code)
                .flatMap(v -> desk.assign(code, assignment.assignee(), assignment.department(), v.scope().username()))
                .map(IncidentView::of);
    }

    @PostMapping("/incidents/{code}/notes")
    @Operation(summary = "Add an internal note to an incident's timeline")
    Mono<IncidentView> note(@PathVariable String code, @Valid @RequestBody Note note) {
        return visibleWithScope(code).flatMap(v -> desk.addNote(code, note.text(), v.scope().username()))
                .map(IncidentView::of);
    }

    private record Visible(Incident incident, Scope scope) {}

    private Mono<Visible> visibleWithScope(String code) {
        return staff.scope().flatMap(scope -> mongo.findOne(Query.query(where("code").is(code)), Incident.class)
                .filter(i -> scope.canSee(i.department()))
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
    @Operation(summary = "A photo of an incident or a conversation")
    Mono<ResponseEntity<byte[]>> photo(@PathVariable String id) {
        return staff.scope().filterWhen(scope -> photoVisible(scope, id))
                .flatMap(scope -> photos.load(id))
                .map(p -> ResponseEntity.ok()
                        .contentType(p.contentType() == null ? MediaType.APPLICATION_OCTET_STREAM
                                : MediaType.parseMediaType(p.contentType()))
                        .cacheControl(CacheControl.noStore())
                        .header("X-Content-Type-Options", "nosniff")
                        .body(p.bytes()))
                .switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "no photo " + id)));
    }

    private Mono<Boolean> photoVisible(Scope scope, String id) {
        Mono<Boolean> viaIncident = mongo.find(Query.query(where("photos.id").is(id)), Incident.class)
                .any(i -> scope.canSee(i.department()));
        Mono<Boolean> viaConversation = mongo.find(Query.query(where("photoIds").is(id)), InboundRecord.class)
                .flatMap(r -> mongo.findById(r.conversationId(), Conversation.class))
                .any(c -> scope.canSee(c.department()));
        return viaIncident.flatMap(seen -> seen ? Mono.just(true) : viaConversation);
    }
}

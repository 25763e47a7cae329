package org.civicbot.backoffice.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import org.civicbot.backoffice.content.FlowEditing;
import org.civicbot.backoffice.staff.CurrentStaff;
import org.civicbot.bot.content.FlowRevision;
import org.civicbot.flows.Issue;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The flows for content editors (and admins): read, save a draft and see its issues, publish without a restart,
 * read the history, publish an earlier revision again.
 */
@RestController
@RequestMapping("/api/v1/flows")
@Tag(name = "Flows", description = "The bot's flows as YAML: drafts, validation, publishing, revisions and rollback")
class FlowApi {

    static final MediaType YAML = MediaType.parseMediaType("text/yaml;charset=UTF-8");

    private final FlowEditing editing;
    private final CurrentStaff staff;

    FlowApi(FlowEditing editing, CurrentStaff staff) {
        this.editing = editing;
        this.staff = staff;
    }

    /** An issue as the editor's report shows it; field names are part of the public contract. */
    record IssueView(String file, int line, int column, String rule, String severity, String message) {
        static IssueView of(Issue i) {
            return new IssueView(i.position().file(), i.position().line(), i.position().column(), i.rule(),
                    i.severity().name().toLowerCase(java.util.Locale.ROOT), i.message());
        }
    }

    /**
     * The check of the bot with a draft.
     *
     * @param liveSessions for a saved draft, the conversations its publish would reach mid-flow; null otherwise
     */
    record Report(boolean valid, List<IssueView> issues, FlowEditing.LiveSessions liveSessions,
            List<org.civicbot.backoffice.content.FlowTests.Result> failedTests) {
        static Report of(boolean valid, List<Issue> issues) {
            return new Report(valid, issues.stream().map(IssueView::of).toList(), null, null);
        }
    }

    /**
     * @param comment what the change is, for the history
     * @param override an admin's reason to publish although conversation tests fail (kept on the revision)
     */
    record Publish(String comment, String override) {}

    record Published(long revision) {}

    /** A revision as the history lists it (without its files). */
    record RevisionView(long revision, Instant at, String by, String comment, List<String> changed,
            Long restoredFrom, String override) {
        static RevisionView of(FlowRevision r) {
            return new RevisionView(r.number(), r.at(), r.by(), r.comment(), r.changed(), r.restoredFrom(),
                    r.override());
        }
    }

    @GetMapping
    @Operation(summary = "Every flow: its file, the revision in force, and its draft if any")
    Flux<FlowEditing.FlowInfo> all() {
        return editing.list();
    }

    @GetMapping(path = "/schema.json", produces = "application/json")
    @Operation(summary = "The flow files' JSON Schema (what an editor completes from)")
    Mono<ResponseEntity<byte[]>> schema() {
        return Mono.fromCallable(() -> {
            try (java.io.InputStream in = FlowApi.class.getResourceAsStream("/schema/flow-spec-1.schema.json")) {
                return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(in.readAllBytes());
            }
        });
    }

    @GetMapping(path = "/{id}", produces = "text/yaml")
    @Operation(summary = "A flow's YAML: the draft if one exists, else the published revision")
    Mono<ResponseEntity<String>> yaml(@PathVariable String id) {
        return editing.yaml(id).map(yaml -> ResponseEntity.ok().contentType(YAML).body(yaml));
    }

    /** @param base the revision the editor began from (their page's); the newest when left out */
    @PutMapping(path = "/{id}", consumes = {"text/yaml", "application/yaml", "application/x-yaml", "text/plain"})
    @Operation(summary = "Save a flow's draft (valid or not) and check the whole bot with it")
    Mono<Report> save(@PathVariable String id, @RequestBody String yaml,
            @org.springframework.web.bind.annotation.RequestParam(required = false) Long base) {
        return staff.scope().flatMap(me -> editing.saveAndWeigh(id, yaml, me.username(), base))
                .map(saved -> new Report(saved.checked().valid(), saved.checked().issues().stream().map(IssueView::of)
                        .toList(), saved.live(), null));
    }

    @PostMapping("/{id}/publish")
    @Operation(summary = "Publish the flow's draft: 200 with the new revision, or 422 with the issues (nothing "
            + "changes)")
    Mono<Published> publish(@PathVariable String id, @RequestBody(required = false) Publish publish) {
        String override = publish == null ? null : publish.override();
        return staff.scope().flatMap(me -> mayOverride(me, override).then(editing.publish(id,
                publish == null ? null : publish.comment(), me.username(), override)))
                .map(r -> new Published(r.number()));
    }

    @org.springframework.web.bind.annotation.DeleteMapping("/{id}/draft")
    @Operation(summary = "Throw the flow's draft away (what is published stays)")
    Mono<ResponseEntity<Void>> discard(@PathVariable String id) {
        return editing.discard(id).map(gone -> gone ? ResponseEntity.noContent().<Void>build()
                : ResponseEntity.notFound().<Void>build());
    }

    @GetMapping("/{id}/revisions")
    @Operation(summary = "The revisions that changed this flow, newest first")
    Flux<RevisionView> revisions(@PathVariable String id) {
        return editing.revisions(id).map(RevisionView::of);
    }

    @GetMapping("/{id}/diff")
    @Operation(summary = "Compare two versions of the flow (revision numbers, published or draft) as a unified diff")
    Mono<FlowEditing.Diff> diff(@PathVariable String id,
            @org.springframework.web.bind.annotation.RequestParam(defaultValue = "published") String from,
            @org.springframework.web.bind.annotation.RequestParam(defaultValue = "draft") String to) {
        return editing.diff(id, from, to);
    }

    @PostMapping("/{id}/revisions/{number}/publish")
    @Operation(summary = "Publish the flow as an earlier revision had it (a rollback), as a new revision")
    Mono<Published> rollback(@PathVariable String id, @PathVariable long number,
            @RequestBody(required = false) Publish publish) {
        String override = publish == null ? null : publish.override();
        return staff.scope().flatMap(me -> mayOverride(me, override).then(editing.rollback(id, number,
                publish == null ? null : publish.comment(), me.username(), override)))
                .map(r -> new Published(r.number()));
    }

    /** Only an admin publishes past failing conversation tests. */
    private static Mono<Void> mayOverride(org.civicbot.backoffice.staff.Scope me, String override) {
        return override == null || override.isBlank() || me.isAdmin() ? Mono.empty()
                : Mono.error(new org.springframework.web.server.ResponseStatusException(HttpStatus.FORBIDDEN,
                        "only an admin may publish past failing conversation tests"));
    }

    @ExceptionHandler(FlowEditing.TestsFailed.class)
    ResponseEntity<Report> testsFailed(FlowEditing.TestsFailed e) {
        return ResponseEntity.status(HttpStatus.UNPROCESSABLE_ENTITY).body(new Report(true, List.of(), null,
                e.results()));
    }

    @ExceptionHandler(FlowEditing.Invalid.class)
    ResponseEntity<Report> invalid(FlowEditing.Invalid e) {
        return ResponseEntity.status(HttpStatus.UNPROCESSABLE_ENTITY).body(Report.of(false, e.issues()));
    }

    @ExceptionHandler(FlowEditing.NotFound.class)
    ProblemDetail notFound(FlowEditing.NotFound e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(FlowEditing.Refused.class)
    ProblemDetail refused(FlowEditing.Refused e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler({org.civicbot.bot.content.FlowRevisions.Conflict.class, FlowEditing.Stale.class})
    ProblemDetail conflict(RuntimeException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }
}

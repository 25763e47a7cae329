package org.civicbot.backoffice.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.civicbot.backoffice.content.FlowEditing;
import org.civicbot.backoffice.content.FlowTests;
import org.civicbot.backoffice.staff.CurrentStaff;
import org.civicbot.bot.FlowRuntime;
import org.civicbot.flows.FlowBundle;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The editors' conversation tests: record one from a preview, list, delete, run them all. */
@RestController
@RequestMapping("/api/v1/flows/tests")
@Tag(name = "Flows")
class FlowTestApi {

    private final FlowTests tests;
    private final FlowEditing editing;
    private final FlowRuntime runtime;
    private final CurrentStaff staff;

    FlowTestApi(FlowTests tests, FlowEditing editing, FlowRuntime runtime, CurrentStaff staff) {
        this.tests = tests;
        this.editing = editing;
        this.runtime = runtime;
        this.staff = staff;
    }

    /**
     * A conversation to keep as a test.
     *
     * @param flows the bot it was had with: {@code drafts} (the default) or {@code published}
     */
    record Recording(String name, String language, List<FlowTests.Step> steps, String flows) {}

    /** Which bot to run the tests on. */
    record Run(String flows) {}

    @GetMapping
    @Operation(summary = "Every conversation test, with what the bot answered when it was recorded")
    Flux<FlowTests.FlowTest> all() {
        return tests.all();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Record a conversation as a test: its steps are run again here and the answers kept")
    Mono<FlowTests.FlowTest> record(@RequestBody Recording recording) {
        return staff.scope().flatMap(me -> bundle(recording.flows()).flatMap(bundle -> tests.record(recording.name(),
                recording.language(), recording.steps(), bundle, me.username())));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete a conversation test")
    Mono<ResponseEntity<Void>> delete(@PathVariable String id) {
        return tests.delete(id).map(gone -> gone ? ResponseEntity.noContent().<Void>build()
                : ResponseEntity.notFound().<Void>build());
    }

    @PostMapping("/run")
    @Operation(summary = "Run every conversation test on the bot with the drafts (or as published)")
    Mono<List<FlowTests.Result>> run(@RequestBody(required = false) Run run) {
        return run != null && "published".equals(run.flows()) ? tests.run(runtime.get())
                : bundle(null).flatMap(tests::run);
    }

    private Mono<FlowBundle> bundle(String flows) {
        if ("published".equals(flows)) {
            return Mono.just(runtime.get().flows());
        }
        return editing.withDrafts().map(checked -> {
            if (!checked.valid()) {
                throw new FlowEditing.Invalid(checked.issues());
            }
            return checked.bundle();
        });
    }

    @ExceptionHandler(FlowTests.Invalid.class)
    ProblemDetail invalid(FlowTests.Invalid e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(FlowEditing.Invalid.class)
    ResponseEntity<FlowApi.Report> draftsInvalid(FlowEditing.Invalid e) {
        return ResponseEntity.status(HttpStatus.UNPROCESSABLE_ENTITY).body(FlowApi.Report.of(false, e.issues()));
    }
}

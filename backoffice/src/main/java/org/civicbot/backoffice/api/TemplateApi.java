package org.civicbot.backoffice.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.civicbot.backoffice.query.IncidentQueries;
import org.civicbot.backoffice.staff.CurrentStaff;
import org.civicbot.backoffice.staff.IncidentAnswers;
import org.civicbot.bot.incident.AnswerTemplate;
import org.civicbot.bot.incident.AnswerTemplates;
import org.civicbot.bot.incident.IncidentDesk;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Answer templates: staff read them and use them, written for an incident; admins edit them. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Templates", description = "Ready answers per step and outcome, in ca/es/en, with placeholders")
class TemplateApi {

    private final AnswerTemplates templates;
    private final IncidentAnswers answers;
    private final IncidentQueries queries;
    private final CurrentStaff staff;

    TemplateApi(AnswerTemplates templates, IncidentAnswers answers, IncidentQueries queries, CurrentStaff staff) {
        this.templates = templates;
        this.answers = answers;
        this.queries = queries;
        this.staff = staff;
    }

    @GetMapping("/templates")
    @Operation(summary = "Every answer template: status (null: a note), outcome, texts in ca/es/en")
    Flux<AnswerTemplate> all() {
        return templates.all();
    }

    @PostMapping("/templates")
    @Operation(summary = "Create or replace an answer template (admins); placeholders {code}, {address}, "
            + "{category}, {date}")
    Mono<AnswerTemplate> save(@RequestBody AnswerTemplate template) {
        return templates.save(template);
    }

    @DeleteMapping("/templates/{id}")
    @Operation(summary = "Delete an answer template (admins)")
    Mono<ResponseEntity<Void>> delete(@PathVariable String id) {
        return templates.delete(id).map(deleted -> deleted ? ResponseEntity.noContent().<Void>build()
                : ResponseEntity.notFound().<Void>build());
    }

    @GetMapping("/incidents/{code}/templates")
    @Operation(summary = "The templates for an incident's notes and next steps, written for it in its citizen's "
            + "language")
    Flux<IncidentAnswers.Answer> forIncident(@PathVariable String code) {
        return staff.scope().flatMap(scope -> queries.visible(scope, code))
                .switchIfEmpty(Mono.error(new IncidentDesk.NotFound(code)))
                .flatMapMany(answers::all);
    }
}

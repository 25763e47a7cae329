package org.civicbot.backoffice.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.civicbot.backoffice.staff.Organisation;
import org.civicbot.backoffice.staff.Organisations;
import org.civicbot.bot.incident.Rule;
import org.civicbot.bot.incident.Rules;
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

/**
 * Automation rules and the outside entities they may pass incidents to: everyone on staff reads them, admins change
 * them. A rule that names a category, area, department, person or organisation that does not exist is refused.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Rules", description = "Automation rules for new incidents, and outside organisations")
class RuleApi {

    private final Rules rules;
    private final Organisations organisations;
    private final org.civicbot.backoffice.staff.RuleNames ruleNames;

    RuleApi(Rules rules, Organisations organisations, org.civicbot.backoffice.staff.RuleNames ruleNames) {
        this.rules = rules;
        this.organisations = organisations;
        this.ruleNames = ruleNames;
    }

    @GetMapping("/rules")
    @Operation(summary = "The automation rules, in the order they are tried; the first that matches applies")
    Flux<Rule> all() {
        return rules.all();
    }

    @PostMapping("/rules")
    @Operation(summary = "Create or replace a rule (admins); 400 says what to change, and nothing changes")
    Mono<Rule> save(@RequestBody Rule rule) {
        return ruleNames.unknown(rule).flatMap(unknown -> unknown.isEmpty() ? rules.save(rule)
                : Mono.error(new Rules.Invalid(String.join("; ", unknown))));
    }

    @DeleteMapping("/rules/{id}")
    @Operation(summary = "Delete a rule (admins)")
    Mono<ResponseEntity<Void>> delete(@PathVariable String id) {
        return rules.delete(id).map(deleted -> deleted ? ResponseEntity.noContent().<Void>build()
                : ResponseEntity.notFound().<Void>build());
    }

    record NewOrganisation(@NotBlank @Pattern(regexp = "[a-z0-9_]{2,40}",
                    message = "use 2 to 40 lowercase letters, digits or underscores") String id,
            @NotBlank @Size(max = 100) String name, @Email @Size(max = 200) String email) {}

    @GetMapping("/organisations")
    @Operation(summary = "Outside organisations incidents may be passed to")
    Flux<Organisation> organisations() {
        return organisations.all();
    }

    @PostMapping("/organisations")
    @Operation(summary = "Create or replace an outside organisation (admins)")
    Mono<Organisation> saveOrganisation(@Valid @RequestBody NewOrganisation organisation) {
        return organisations.save(new Organisation(organisation.id(), organisation.name().strip(),
                organisation.email() == null || organisation.email().isBlank() ? null : organisation.email().strip()));
    }
}

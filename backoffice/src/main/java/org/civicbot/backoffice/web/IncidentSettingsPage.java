package org.civicbot.backoffice.web;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.civicbot.backoffice.staff.Departments;
import org.civicbot.backoffice.staff.Organisation;
import org.civicbot.backoffice.staff.Organisations;
import org.civicbot.backoffice.staff.StaffUser;
import org.civicbot.backoffice.staff.StaffUsers;
import org.civicbot.bot.announcement.Catalogue;
import org.civicbot.bot.incident.AnswerTemplate;
import org.civicbot.bot.incident.AnswerTemplates;
import org.civicbot.bot.incident.Categories;
import org.civicbot.bot.incident.Category;
import org.civicbot.bot.incident.IncidentStatus;
import org.civicbot.bot.incident.Outcome;
import org.civicbot.bot.incident.Priority;
import org.civicbot.bot.incident.Rule;
import org.civicbot.bot.incident.Rules;
import org.civicbot.bot.incident.Source;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * What admins keep for the incident workflow, on one page: the categories (names and service times), the outside
 * organisations, the automation rules and the answer templates. Each form creates, or replaces the one with the
 * same id; what the store refuses comes back as the reason, and nothing changes.
 */
@Controller
class IncidentSettingsPage {

    static final String PATH = "/admin/incidents";

    private final Categories categories;
    private final Organisations organisations;
    private final Rules rules;
    private final AnswerTemplates templates;
    private final Departments departments;
    private final StaffUsers users;
    private final Catalogue catalogue;
    private final org.civicbot.backoffice.staff.RuleNames ruleNames;

    IncidentSettingsPage(Categories categories, Organisations organisations, Rules rules, AnswerTemplates templates,
            Departments departments, StaffUsers users, Catalogue catalogue,
            org.civicbot.backoffice.staff.RuleNames ruleNames) {
        this.ruleNames = ruleNames;
        this.categories = categories;
        this.organisations = organisations;
        this.rules = rules;
        this.templates = templates;
        this.departments = departments;
        this.users = users;
        this.catalogue = catalogue;
    }

    @GetMapping(PATH)
    String page(@RequestParam(required = false) String category, @RequestParam(required = false) String rule,
            @RequestParam(required = false) String template, Model model, ServerWebExchange exchange) {
        model.addAttribute("categories", categories.all().collectList());
        model.addAttribute("organisations", organisations.all().collectList());
        model.addAttribute("rules", rules.all().collectList());
        model.addAttribute("templates", templates.all().collectList());
        model.addAttribute("departments", departments.all().collectList());
        model.addAttribute("users", users.all().filter(StaffUser::enabled).collectList());
        model.addAttribute("areas", catalogue.areas().collectList());
        model.addAttribute("sources", Source.values());
        model.addAttribute("priorities", Priority.values());
        model.addAttribute("statuses", List.of(IncidentStatus.IN_PROGRESS, IncidentStatus.CLOSED));
        model.addAttribute("outcomes", Arrays.stream(Outcome.values()).filter(o -> o != Outcome.DUPLICATE).toList());
        model.addAttribute("editCategory", category == null ? Mono.just(new Category("", null, Map.of(), null, 0))
                : categories.byId(category).defaultIfEmpty(new Category(category, null, Map.of(), null, 0)));
        model.addAttribute("editRule", rules.all().filter(r -> r.id().equals(rule)).next()
                .defaultIfEmpty(new Rule("", "", 10, true, null, null)));
        model.addAttribute("editTemplate", templates.all().filter(t -> t.id().equals(template)).next()
                .defaultIfEmpty(new AnswerTemplate("", "", null, null, Map.of())));
        model.addAttribute("flash", Flash.take(exchange));
        return "incident-settings";
    }

    record CategoryForm(String id, String parent, String ca, String es, String en, String serviceDays,
            String position) {}

    @PostMapping(PATH + "/categories")
    Mono<String> saveCategory(@ModelAttribute CategoryForm form, ServerWebExchange exchange) {
        Map<String, String> labels = labels(form.ca(), form.es(), form.en());
        Category category;
        try {
            category = new Category(strip(form.id()), blank(form.parent()), labels, number(form.serviceDays()),
                    number(form.position()) == null ? 0 : number(form.position()));
        } catch (NumberFormatException e) {
            return Flash.redirect(exchange, Flash.error("settings.notANumber"), PATH);
        }
        return categories.save(category)
                .flatMap(saved -> Flash.redirect(exchange, Flash.ok("settings.saved", saved.id()), PATH))
                .onErrorResume(Categories.Invalid.class, e -> refused(exchange, e));
    }

    record OrganisationForm(String id, String name, String email) {}

    @PostMapping(PATH + "/organisations")
    Mono<String> saveOrganisation(@ModelAttribute OrganisationForm form, ServerWebExchange exchange) {
        String id = strip(form.id());
        String email = blank(form.email());
        if (id == null || !id.matches("[a-z0-9_]{2,40}") || blank(form.name()) == null) {
            return Flash.redirect(exchange, Flash.error("settings.organisationInvalid"), PATH);
        }
        if (email != null && !org.civicbot.backoffice.mail.EmailAddresses.valid(email)) {
            return Flash.redirect(exchange, Flash.error("settings.emailInvalid", email), PATH);
        }
        return organisations.save(new Organisation(id, form.name().strip(), email))
                .flatMap(saved -> Flash.redirect(exchange, Flash.ok("settings.saved", saved.id()), PATH));
    }

    record RuleForm(String id, String name, String position, String enabled, String category, String source,
            String area, String words, String department, String assignee, String organisation, String priority,
            String status, String email) {}

    @PostMapping(PATH + "/rules")
    Mono<String> saveRule(@ModelAttribute RuleForm form, ServerWebExchange exchange) {
        Rule rule;
        try {
            rule = new Rule(strip(form.id()), blank(form.name()), number(form.position()), "on".equals(form.enabled()),
                    new Rule.When(blank(form.category()), enumOf(Source.class, form.source()), blank(form.area()),
                            form.words() == null ? List.of() : Arrays.asList(form.words().split(","))),
                    new Rule.Then(blank(form.department()), blank(form.assignee()), blank(form.organisation()),
                            enumOf(Priority.class, form.priority()), enumOf(IncidentStatus.class, form.status()),
                            "on".equals(form.email())));
        } catch (NumberFormatException e) {
            return Flash.redirect(exchange, Flash.error("settings.notANumber"), PATH);
        }
        Rule checked = rule;
        return ruleNames.unknown(checked).flatMap(unknown -> unknown.isEmpty() ? rules.save(checked)
                        .flatMap(saved -> Flash.redirect(exchange, Flash.ok("settings.saved", saved.id()), PATH))
                        : Flash.redirect(exchange, Flash.error("flash.refused", String.join("; ", unknown)), PATH))
                .onErrorResume(Rules.Invalid.class, e -> refused(exchange, e));
    }

    @PostMapping(PATH + "/rules/delete")
    Mono<String> deleteRule(@ModelAttribute IdForm form, ServerWebExchange exchange) {
        String id = form.id() == null ? "" : form.id();
        return rules.delete(id).then(Flash.redirect(exchange, Flash.ok("settings.deleted", id), PATH));
    }

    /** A form that names what to delete. */
    record IdForm(String id) {}

    record TemplateForm(String id, String name, String status, String outcome, String ca, String es, String en) {}

    @PostMapping(PATH + "/templates")
    Mono<String> saveTemplate(@ModelAttribute TemplateForm form, ServerWebExchange exchange) {
        return templates.save(new AnswerTemplate(strip(form.id()), blank(form.name()),
                        enumOf(IncidentStatus.class, form.status()), enumOf(Outcome.class, form.outcome()),
                        labels(form.ca(), form.es(), form.en())))
                .flatMap(saved -> Flash.redirect(exchange, Flash.ok("settings.saved", saved.id()), PATH))
                .onErrorResume(AnswerTemplates.Invalid.class, e -> refused(exchange, e));
    }

    @PostMapping(PATH + "/templates/delete")
    Mono<String> deleteTemplate(@ModelAttribute IdForm form, ServerWebExchange exchange) {
        String id = form.id() == null ? "" : form.id();
        return templates.delete(id).then(Flash.redirect(exchange, Flash.ok("settings.deleted", id), PATH));
    }

    private static Mono<String> refused(ServerWebExchange exchange, RuntimeException e) {
        return Flash.redirect(exchange, Flash.error("flash.refused", e.getMessage()), PATH);
    }

    private static Map<String, String> labels(String ca, String es, String en) {
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        labels.put("ca", ca == null ? "" : ca);
        labels.put("es", es == null ? "" : es);
        labels.put("en", en == null ? "" : en);
        return labels;
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String value) {
        return Arrays.stream(type.getEnumConstants()).filter(v -> v.name().equals(value)).findFirst().orElse(null);
    }

    private static Integer number(String value) {
        return value == null || value.isBlank() ? null : Integer.valueOf(value.strip());
    }

    private static String strip(String value) {
        return value == null ? null : value.strip().toLowerCase(Locale.ROOT);
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}

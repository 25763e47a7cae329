package org.civicbot.backoffice.web;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.civicbot.backoffice.query.IncidentQueries;
import org.civicbot.backoffice.staff.CurrentStaff;
import org.civicbot.backoffice.staff.Department;
import org.civicbot.backoffice.staff.Departments;
import org.civicbot.backoffice.staff.Scope;
import org.civicbot.backoffice.staff.StaffUser;
import org.civicbot.backoffice.staff.StaffUsers;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.IncidentDesk;
import org.civicbot.bot.incident.PublicPages;
import org.civicbot.bot.incident.IncidentStatus;
import org.civicbot.bot.incident.Outcome;
import org.civicbot.bot.incident.Source;
import org.civicbot.flows.RequestType;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Mono;

/**
 * Incidents: a filtered, paged list (new and in progress by default), opening one by its code, and one
 * incident with its timeline, photos and map, where staff move its status, assign it and add notes.
 */
@Controller
class IncidentPages {

    static final int PAGE_SIZE = 25;
    static final List<IncidentStatus> DEFAULT_STATUS = List.of(IncidentStatus.NEW, IncidentStatus.IN_PROGRESS);

    private final IncidentQueries queries;
    private final IncidentDesk desk;
    private final org.civicbot.backoffice.staff.Assignments assignments;
    private final CurrentStaff staff;
    private final Departments departments;
    private final StaffUsers users;
    private final TownTime time;
    private final PublicPages pages;
    private final org.springframework.context.MessageSource messages;
    private final org.civicbot.bot.incident.Categories categories;
    private final org.civicbot.backoffice.staff.StaffRequests requests;
    private final java.time.Clock clock;
    private final org.civicbot.backoffice.staff.IncidentAnswers answers;
    private final org.civicbot.backoffice.staff.StaffNotes notes;
    private final org.civicbot.backoffice.supplier.Forwards forwards;
    private final org.civicbot.backoffice.staff.Organisations organisations;
    private final org.civicbot.backoffice.mail.Mentions mentions;
    private final org.civicbot.bot.incident.SimilarIncidents similar;
    private final org.civicbot.backoffice.staff.StaffAttachments attachments;
    private final org.civicbot.bot.announcement.Catalogue areas;
    /** Where the map picker starts: the town's centre. */
    private final double[] center;

    private final org.civicbot.backoffice.activity.Activities activities;
    private final org.civicbot.backoffice.staff.SavedFilters savedFilters;

    IncidentPages(IncidentQueries queries, IncidentDesk desk, CurrentStaff staff, Departments departments,
            StaffUsers users, TownTime time, PublicPages pages, org.springframework.context.MessageSource messages,
            org.civicbot.backoffice.staff.Assignments assignments, org.civicbot.bot.incident.Categories categories,
            org.civicbot.backoffice.staff.StaffRequests requests, java.time.Clock clock,
            org.civicbot.backoffice.staff.IncidentAnswers answers, org.civicbot.backoffice.staff.StaffNotes notes,
            org.civicbot.backoffice.supplier.Forwards forwards, org.civicbot.backoffice.staff.Organisations organisations,
            org.civicbot.backoffice.mail.Mentions mentions, org.civicbot.bot.incident.SimilarIncidents similar,
            org.civicbot.backoffice.staff.StaffAttachments attachments,
            org.civicbot.bot.announcement.Catalogue areas, org.civicbot.backoffice.activity.Activities activities,
            org.civicbot.backoffice.staff.SavedFilters savedFilters,
            @org.springframework.beans.factory.annotation.Value("${civicbot.map.center-latitude:41.7251}") double centerLatitude,
            @org.springframework.beans.factory.annotation.Value("${civicbot.map.center-longitude:1.8266}") double centerLongitude) {
        this.categories = categories;
        this.requests = requests;
        this.answers = answers;
        this.notes = notes;
        this.forwards = forwards;
        this.organisations = organisations;
        this.mentions = mentions;
        this.similar = similar;
        this.attachments = attachments;
        this.areas = areas;
        this.activities = activities;
        this.savedFilters = savedFilters;
        this.clock = clock;
        this.center = new double[] {centerLatitude, centerLongitude};
        this.assignments = assignments;
        this.messages = messages;
        this.queries = queries;
        this.desk = desk;
        this.staff = staff;
        this.departments = departments;
        this.users = users;
        this.time = time;
        this.pages = pages;
    }

    /** The filter form as submitted, to show it again. */
    record FilterForm(List<String> status, String category, String department, String source, String from, String to,
            String q, String type, String priority, boolean overdue) {

        /**
         * The list's query string for this filter, as a saved filter keeps it: form-encoded, so any text a search
         * holds ({@code l'Estació}, {@code C/ Major}, {@code +}) comes back as it was.
         */
        public String query() {
            java.util.StringJoiner query = new java.util.StringJoiner("&");
            java.util.function.BiConsumer<String, String> add = (name, value) -> query.add(name + "="
                    + java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8));
            status.forEach(st -> add.accept("status", st));
            java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
            fields.put("category", category);
            fields.put("department", department);
            fields.put("source", source);
            fields.put("from", from);
            fields.put("to", to);
            fields.put("q", q);
            fields.put("type", type);
            fields.put("priority", priority);
            fields.forEach((name, value) -> {
                if (value != null && !value.isBlank()) {
                    add.accept(name, value.strip());
                }
            });
            if (overdue) {
                add.accept("overdue", "on");
            }
            return query.toString();
        }
    }

    /** An incident as the list shows it; the department by its name. */
    record Row(String code, String status, String outcome, String category, String description, String address,
            String source, String department, String assignee, String createdAt, String type, String priority,
            boolean overdue) {}

    /** The results and where the paging links go. */
    record Results(List<Row> rows, long total, int page, int pages, String prevUrl, String nextUrl) {}

    record StatusForm(String status, String outcome, String note) {}

    record AssignmentForm(String assignee, String department) {}

    /** A note; {@code shared} ("on") makes it a public update the citizen receives. */
    record NoteForm(String text, String shared) {}

    @GetMapping("/incidents")
    Mono<String> list(@RequestParam MultiValueMap<String, String> params, Model model, ServerWebExchange exchange) {
        boolean defaults = params.keySet().stream().noneMatch(k -> !k.equals("page") && !k.equals("lang"));
        List<IncidentStatus> status = defaults ? DEFAULT_STATUS : params.getOrDefault("status", List.of()).stream()
                .flatMap(s -> Arrays.stream(IncidentStatus.values()).filter(v -> v.name().equals(s))).toList();
        Source source = Arrays.stream(Source.values()).filter(s -> s.name().equals(params.getFirst("source")))
                .findFirst().orElse(null);
        String from = params.getFirst("from");
        String to = params.getFirst("to");
        IncidentQueries.Filter filter = new IncidentQueries.Filter(status, blankToNull(params.getFirst("category")),
                source, blankToNull(params.getFirst("department")), time.startOf(from).orElse(null),
                time.endOf(to).orElse(null), blankToNull(params.getFirst("q")),
                Arrays.stream(RequestType.values()).filter(t -> t.name().equals(params.getFirst("type"))).findFirst()
                        .orElse(null),
                Arrays.stream(org.civicbot.bot.incident.Priority.values())
                        .filter(p -> p.name().equals(params.getFirst("priority"))).findFirst().orElse(null),
                "on".equals(params.getFirst("overdue")) ? clock.instant() : null);
        int page = Math.max(0, parseInt(params.getFirst("page")));
        FilterForm form = new FilterForm(status.stream().map(Enum::name).toList(), params.getFirst("category"),
                params.getFirst("department"), params.getFirst("source"), from, to, params.getFirst("q"),
                params.getFirst("type"), params.getFirst("priority"), "on".equals(params.getFirst("overdue")));
        model.addAttribute("filter", form);
        model.addAttribute("savedFilters", staff.scope().flatMap(scope -> savedFilters.of(scope.username())
                .collectList()));
        model.addAttribute("csvUrl", filtered("/api/v1/incidents", filter).queryParam("format", "csv").encode().build()
                .toUriString());
        model.addAttribute("mapUrl", filtered("/incidents/map", filter).encode().build().toUriString());
        model.addAttribute("priorities", org.civicbot.bot.incident.Priority.values());
        model.addAttribute("statuses", IncidentStatus.values());
        model.addAttribute("sources", Source.values());
        model.addAttribute("types", RequestType.values());
        model.addAttribute("categories", categories.all().collectList());
        model.addAttribute("categoryLabels", categoryLabels(model));
        model.addAttribute("now", clock.instant());
        model.addAttribute("departments", departments.all().collectList());
        model.addAttribute("flash", Flash.take(exchange));
        model.addAttribute("results", staff.scope().flatMap(scope -> queries.find(scope, filter, page, PAGE_SIZE))
                .zipWith(departments.all().collectMap(Department::id, Department::name))
                .map(t -> results(t.getT1(), t.getT2(), page, params, status)));
        return Mono.just("incidents");
    }

    /** A filter of the list to save under a name. */
    record SaveFilterForm(String name, String query) {}

    @PostMapping("/incidents/filters")
    Mono<String> saveFilter(@ModelAttribute SaveFilterForm form, ServerWebExchange exchange) {
        return staff.scope().flatMap(scope -> savedFilters.save(scope.username(), form.name(), form.query()))
                .flatMap(saved -> Flash.redirect(exchange, Flash.ok("flash.filterSaved", saved.name()),
                        "/incidents" + (saved.query().isEmpty() ? "" : "?" + saved.query())))
                .onErrorResume(org.civicbot.backoffice.staff.SavedFilters.Invalid.class,
                        e -> Flash.redirect(exchange, Flash.error("flash.refused", e.getMessage()), "/incidents"));
    }

    @PostMapping("/incidents/filters/{id}/delete")
    Mono<String> deleteFilter(@PathVariable String id, ServerWebExchange exchange) {
        return staff.scope().flatMap(scope -> savedFilters.delete(scope.username(), id))
                .flatMap(deleted -> Flash.redirect(exchange, deleted ? Flash.ok("flash.filterDeleted")
                        : Flash.error("flash.noSuchFilter"), "/incidents"));
    }

    /** "My work": the open incidents assigned to the staff member, overdue first. */
    @GetMapping("/incidents/mine")
    Mono<String> mine(Model model) {
        java.time.Instant now = clock.instant();
        model.addAttribute("categoryLabels", categoryLabels(model));
        // Their activities still to do, up to a week ahead (overdue ones included).
        model.addAttribute("activities", staff.scope().zipWith(users.all().collectMap(StaffUser::username,
                        StaffUser::displayName))
                .flatMap(t -> activities.between(t.getT1(), null, now.plus(java.time.Duration.ofDays(7)),
                                t.getT1().username(), true)
                        .map(a -> ActivitiesPage.item(a, now, time.zone(), t.getT2())).collectList()));
        model.addAttribute("rows", staff.scope().flatMap(scope -> queries.workOf(scope, now)
                .map(i -> new WorkRow(i.code(), i.status().name(), i.category(), i.description(),
                        i.location() == null ? null : i.location().address(), i.urgency().name(), i.overdue(now),
                        i.dueAt() == null ? "" : time.format(i.dueAt())))
                .collectList()));
        return Mono.just("incidents-mine");
    }

    /** A line of "my work". */
    record WorkRow(String code, String status, String category, String description, String address, String priority,
            boolean overdue, String dueAt) {}

    /** The overview map: the list's filter, its located incidents as pins coloured by status, the town's areas. */
    @GetMapping("/incidents/map")
    Mono<String> map(ServerWebExchange exchange, Model model) {
        String query = exchange.getRequest().getURI().getRawQuery();
        model.addAttribute("source", "/api/v1/incidents/map" + (query == null ? "" : "?" + query));
        model.addAttribute("center", center);
        model.addAttribute("areas", areas.areas().collectList());
        return Mono.just("incidents-map");
    }

    @GetMapping("/incidents/open")
    Mono<String> open(@RequestParam(required = false) String code, ServerWebExchange exchange) {
        String wanted = code == null ? "" : code.strip().toUpperCase(Locale.ROOT);
        if (wanted.isEmpty()) {
            return Flash.redirect(exchange, Flash.error("flash.noSuchIncident", ""), "/incidents");
        }
        return staff.scope().flatMap(scope -> queries.visible(scope, wanted))
                .map(i -> "redirect:" + path(i.code()))
                .switchIfEmpty(Flash.redirect(exchange, Flash.error("flash.noSuchIncident", wanted), "/incidents"));
    }

    @GetMapping("/incidents/{code}")
    Mono<String> detail(@PathVariable String code, Model model, ServerWebExchange exchange) {
        // Opening the incident reads what mentioned them in it.
        return visible(code).flatMap(v -> mentions.markReadIn(v.scope().username(), code).thenReturn(v)).map(v -> {
            Incident incident = v.incident();
            model.addAttribute("incident", incident);
            model.addAttribute("createdAt", time.format(incident.createdAt()));
            model.addAttribute("entries", departments.all().collectMap(Department::id, Department::name)
                    .zipWith(organisations.all().collectMap(org.civicbot.backoffice.staff.Organisation::id,
                            org.civicbot.backoffice.staff.Organisation::name), (d, o) -> {
                        java.util.Map<String, String> names = new java.util.HashMap<>(o);
                        names.putAll(d);
                        return names;
                    })
                    .map(names -> {
                        HistoryLines lines = new HistoryLines(messages, Locale.forLanguageTag(
                                String.valueOf(model.getAttribute("lang"))), names, time.zone());
                        return incident.timeline().stream().map(e -> {
                            HistoryLines.Line line = lines.of(e);
                            return new Entry(time.format(e.at()), e.type(), e.actor(), line.text(), line.note(),
                                    e.isPublic());
                        }).toList();
                    }));
            model.addAttribute("publicUrl", pages.urlOf(incident));
            model.addAttribute("moves", IncidentDesk.MOVES.get(incident.status()).stream()
                    .filter(to -> v.scope().mayMove(incident.status(), to)).sorted().toList());
            model.addAttribute("supplier", v.scope().supplier());
            model.addAttribute("outcomes", Arrays.stream(Outcome.values()).filter(o -> o != Outcome.DUPLICATE).toList());
            model.addAttribute("categoryTree", categories.all().collectList());
            model.addAttribute("categoryLabels", categoryLabels(model));
            model.addAttribute("priorities", org.civicbot.bot.incident.Priority.values());
            model.addAttribute("dueAt", incident.dueAt() == null ? "" : time.format(incident.dueAt()));
            model.addAttribute("overdue", incident.overdue(clock.instant()));
            model.addAttribute("answers", answers.all(incident).collectList());
            model.addAttribute("suggestions", v.scope().supplier() || incident.status() == IncidentStatus.CLOSED
                    ? Mono.just(List.of()) : similar.of(incident).filter(o -> v.scope().canSeeIncident(
                            o.incident().department(), o.incident().assignee(), o.incident().organisation()))
                            .collectList());
            model.addAttribute("organisations", organisations.all().filter(o -> o.email() != null).collectList());
            model.addAttribute("center", center);
            model.addAttribute("users", users.all().filter(StaffUser::enabled).collectList());
            java.time.Instant now = clock.instant();
            model.addAttribute("activities", users.all().collectMap(StaffUser::username, StaffUser::displayName)
                    .flatMap(names -> activities.ofIncident(incident.code())
                            .map(a -> ActivitiesPage.item(a, now, time.zone(), names)).collectList()));
            model.addAttribute("departments", departments.all().collectList());
            model.addAttribute("departmentName", departments.all().filter(d -> d.id().equals(incident.department()))
                    .map(Department::name).next().defaultIfEmpty(incident.department() == null ? ""
                            : incident.department()));
            model.addAttribute("located", incident.location() != null && incident.location().latitude() != null
                    && incident.location().longitude() != null);
            model.addAttribute("flash", Flash.take(exchange));
            return "incident";
        });
    }

    /** A line of the incident's timeline as the page shows it. */
    record Entry(String at, String type, String actor, String text, String note, boolean shared) {}

    @PostMapping("/incidents/{code}/status")
    Mono<String> changeStatus(@PathVariable String code, @ModelAttribute StatusForm form, ServerWebExchange exchange) {
        IncidentStatus status = Arrays.stream(IncidentStatus.values()).filter(s -> s.name().equals(form.status()))
                .findFirst().orElse(null);
        Outcome outcome = status != IncidentStatus.CLOSED ? null : Arrays.stream(Outcome.values())
                .filter(o -> o.name().equals(form.outcome())).findFirst().orElse(null);
        return visible(code).flatMap(v -> {
            if (status == null) {
                return Flash.redirect(exchange, Flash.error("flash.chooseStatus"), path(code));
            }
            if (status == IncidentStatus.CLOSED && outcome == null) {
                return Flash.redirect(exchange, Flash.error("flash.outcomeNeeded"), path(code));
            }
            if (!v.scope().mayMove(v.incident().status(), status)) {
                return Flash.redirect(exchange, Flash.error("flash.supplierMoves"), path(code));
            }
            return desk.changeStatus(code, status, outcome, blankToNull(form.note()), v.scope().username())
                    .then(Flash.redirect(exchange, Flash.ok("flash.statusChanged", status.name()), path(code)))
                    .onErrorResume(IncidentDesk.Refused.class, e -> refused(exchange, code, e));
        });
    }

    @PostMapping("/incidents/{code}/assignment")
    Mono<String> assign(@PathVariable String code, @ModelAttribute AssignmentForm form, ServerWebExchange exchange) {
        String assignee = form.assignee() == null ? "" : form.assignee().strip();
        String department = form.department() == null ? "" : form.department().strip();
        return visible(code).flatMap(v -> assignments.assign(code, assignee, department, v.scope().username())
                .then(Flash.redirect(exchange, Flash.ok("flash.assigned"), path(code)))
                .onErrorResume(org.civicbot.backoffice.staff.Assignments.Unknown.class, e -> Flash.redirect(exchange,
                        Flash.error("flash.refused", e.getMessage()), path(code)))
                .onErrorResume(IncidentDesk.Refused.class, e -> refused(exchange, code, e)));
    }

    @PostMapping("/incidents/{code}/notes")
    Mono<String> note(@PathVariable String code, @ModelAttribute NoteForm form, ServerWebExchange exchange) {
        String text = form.text() == null ? "" : form.text().strip();
        return visible(code).flatMap(v -> text.isEmpty()
                ? Flash.redirect(exchange, Flash.error("flash.noteEmpty"), path(code))
                : notes.add(code, text, "on".equals(form.shared()), v.scope().username())
                        .then(Flash.redirect(exchange, Flash.ok("flash.noteAdded"), path(code)))
                        .onErrorResume(IncidentDesk.Refused.class, e -> refused(exchange, code, e)));
    }

    /** An address with the list's filter as the API reads it (the CSV export, the map): the same incidents. */
    static UriComponentsBuilder filtered(String path, IncidentQueries.Filter filter) {
        UriComponentsBuilder url = UriComponentsBuilder.fromPath(path);
        if (filter.status() != null) {
            filter.status().forEach(st -> url.queryParam("status", st.name()));
        }
        java.util.function.BiConsumer<String, Object> add = (name, value) -> {
            if (value != null) {
                url.queryParam(name, value.toString());
            }
        };
        add.accept("category", filter.category());
        add.accept("source", filter.source());
        add.accept("department", filter.department());
        add.accept("from", filter.from());
        add.accept("to", filter.to());
        add.accept("q", filter.q());
        add.accept("type", filter.type());
        add.accept("priority", filter.priority());
        if (filter.overdueAt() != null) {
            url.queryParam("overdue", "true");
        }
        return url;
    }

    /** Each category's name in the page's language. */
    private Mono<Map<String, String>> categoryLabels(Model model) {
        org.civicbot.flows.Language language = org.civicbot.flows.Language.fromCode(
                String.valueOf(model.getAttribute("lang"))).orElse(org.civicbot.flows.Language.DEFAULT);
        return categories.all().collectMap(org.civicbot.bot.incident.Category::id, c -> c.label(language));
    }

    /** The new-request form as submitted, to show it again with what was wrong. */
    record RequestForm(String intake, String category, String description, String address, String latitude,
            String longitude, String priority, String contactName, String contactPhone, String contactEmail,
            String contactLanguage, String consent, String notifyBy) {

        static RequestForm empty() {
            return new RequestForm("PHONE", "", "", "", "", "", "NORMAL", "", "", "", "ca", null, "");
        }
    }

    @GetMapping("/incidents/new")
    Mono<String> newRequest(Model model) {
        return requestForm(model, RequestForm.empty(), null);
    }

    private Mono<String> requestForm(Model model, RequestForm form, String error) {
        model.addAttribute("form", form);
        model.addAttribute("error", error);
        model.addAttribute("intakes", org.civicbot.bot.incident.Intake.values());
        model.addAttribute("priorities", org.civicbot.bot.incident.Priority.values());
        model.addAttribute("categoryTree", categories.all().collectList());
        model.addAttribute("categoryLabels", categoryLabels(model));
        model.addAttribute("center", center);
        return Mono.just("incident-new");
    }

    @PostMapping("/incidents/new")
    Mono<String> enter(@ModelAttribute RequestForm form, Model model, ServerWebExchange exchange) {
        Double latitude = parseDouble(form.latitude());
        Double longitude = parseDouble(form.longitude());
        String address = blankToNull(form.address());
        Incident.Location location = address == null && latitude == null ? null
                : new Incident.Location(address, latitude, longitude, latitude != null ? "PIN" : "ADDRESS");
        boolean anyContact = blankToNull(form.contactName()) != null || blankToNull(form.contactPhone()) != null
                || blankToNull(form.contactEmail()) != null;
        Incident.Contact contact = !anyContact ? null : new Incident.Contact(blankToNull(form.contactName()),
                blankToNull(form.contactPhone()), blankToNull(form.contactEmail()),
                form.contactLanguage() == null ? "ca" : form.contactLanguage(), "on".equals(form.consent()),
                blankToNull(form.notifyBy()));
        org.civicbot.bot.incident.Intake intake = Arrays.stream(org.civicbot.bot.incident.Intake.values())
                .filter(v -> v.name().equals(form.intake())).findFirst().orElse(null);
        org.civicbot.bot.incident.Priority priority = Arrays.stream(org.civicbot.bot.incident.Priority.values())
                .filter(v -> v.name().equals(form.priority())).findFirst().orElse(null);
        Mono<List<org.springframework.http.codec.multipart.FilePart>> files = exchange.getMultipartData()
                .map(parts -> parts.getOrDefault("attachments", List.of()).stream()
                        .filter(p -> p instanceof org.springframework.http.codec.multipart.FilePart f
                                && !f.filename().isBlank())
                        .map(p -> (org.springframework.http.codec.multipart.FilePart) p).toList());
        return staff.scope().zipWith(files).flatMap(t -> requests.enter(
                                new org.civicbot.backoffice.staff.StaffRequests.Request(intake,
                                        blankToNull(form.category()), form.description(), location, contact, priority,
                                        null, null, null), t.getT1().username())
                        // The files go on once it is filed; one refused leaves the request filed and says why.
                        .flatMap(created -> (t.getT2().isEmpty() ? Mono.<Incident>empty()
                                        : attachments.attachAll(created.code(), t.getT2(), t.getT1().username()))
                                .then(Flash.redirect(exchange, Flash.ok("flash.requestEntered", created.code()),
                                        path(created.code())))
                                .onErrorResume(IncidentDesk.Refused.class, e -> Flash.redirect(exchange,
                                        Flash.error("flash.enteredFileRefused", created.code(), e.getMessage()),
                                        path(created.code()))))
                        .onErrorResume(IncidentDesk.Refused.class, e -> requestForm(model, form, e.getMessage())));
    }

    /** Corrections to an incident, from its page; empty fields stay as they are. */
    record EditForm(String category, String description, String address, String latitude, String longitude,
            String priority) {}

    @PostMapping("/incidents/{code}/edit")
    Mono<String> edit(@PathVariable String code, @ModelAttribute EditForm form, ServerWebExchange exchange) {
        Double latitude = parseDouble(form.latitude());
        Double longitude = parseDouble(form.longitude());
        String address = blankToNull(form.address());
        return visible(code).flatMap(v -> {
            Incident.Location before = v.incident().location();
            boolean moved = before == null ? address != null || latitude != null
                    : !java.util.Objects.equals(address, before.address())
                            || !java.util.Objects.equals(latitude, before.latitude())
                            || !java.util.Objects.equals(longitude, before.longitude());
            Incident.Location location = !moved ? null : new Incident.Location(address, latitude, longitude,
                    latitude != null ? "PIN" : "ADDRESS");
            org.civicbot.bot.incident.Priority priority = Arrays.stream(org.civicbot.bot.incident.Priority.values())
                    .filter(p -> p.name().equals(form.priority())).findFirst().orElse(null);
            return requests.correct(code, new IncidentDesk.Edit(blankToNull(form.category()), form.description(),
                            location, priority), v.scope().username())
                    .then(Flash.redirect(exchange, Flash.ok("flash.edited"), path(code)))
                    .onErrorResume(IncidentDesk.Refused.class, e -> refused(exchange, code, e));
        });
    }

    @PostMapping(path = "/incidents/{code}/attachments",
            consumes = org.springframework.http.MediaType.MULTIPART_FORM_DATA_VALUE)
    Mono<String> attach(@PathVariable String code, ServerWebExchange exchange) {
        return visible(code).flatMap(v -> exchange.getMultipartData().flatMap(form -> {
            List<org.springframework.http.codec.multipart.FilePart> files = form.getOrDefault("file", List.of())
                    .stream().filter(p -> p instanceof org.springframework.http.codec.multipart.FilePart f
                            && !f.filename().isBlank())
                    .map(p -> (org.springframework.http.codec.multipart.FilePart) p).toList();
            if (files.isEmpty()) {
                return Flash.redirect(exchange, Flash.error("flash.chooseFile"), path(code));
            }
            return attachments.attachAll(code, files, v.scope().username())
                    .then(Flash.redirect(exchange, Flash.ok("flash.attached"), path(code)))
                    .onErrorResume(IncidentDesk.Refused.class, e -> refused(exchange, code, e));
        }));
    }

    @PostMapping("/incidents/{code}/attachments/remove")
    Mono<String> detach(@PathVariable String code, @ModelAttribute IncidentSettingsPage.IdForm form,
            ServerWebExchange exchange) {
        String id = form.id() == null ? "" : form.id();
        return visible(code).filter(v -> !v.scope().supplier())
                .switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.FORBIDDEN)))
                .flatMap(v -> desk.detach(code, id, v.scope().username())
                        .then(Flash.redirect(exchange, Flash.ok("flash.detached"), path(code)))
                        .onErrorResume(IncidentDesk.Refused.class, e -> refused(exchange, code, e)));
    }

    record ProposalForm(String outcome, String note) {}

    @PostMapping("/incidents/{code}/proposal")
    Mono<String> propose(@PathVariable String code, @ModelAttribute ProposalForm form, ServerWebExchange exchange) {
        Outcome outcome = Arrays.stream(Outcome.values()).filter(o -> o != Outcome.DUPLICATE
                && o.name().equals(form.outcome())).findFirst().orElse(Outcome.POSITIVE);
        return visible(code).flatMap(v -> desk.proposeClose(code, outcome, form.note(), v.scope().username())
                .then(Flash.redirect(exchange, Flash.ok("flash.proposed"), path(code)))
                .onErrorResume(IncidentDesk.Refused.class, e -> refused(exchange, code, e)));
    }

    record ForwardForm(String to, String note) {}

    @PostMapping("/incidents/{code}/forward")
    Mono<String> forward(@PathVariable String code, @ModelAttribute ForwardForm form, ServerWebExchange exchange) {
        return visible(code).flatMap(v -> forwards.forward(code, form.to(), form.note(), v.scope().username())
                .then(Flash.redirect(exchange, Flash.ok("flash.forwarded", form.to() == null ? "" : form.to().strip()),
                        path(code)))
                .onErrorResume(IncidentDesk.Refused.class, e -> refused(exchange, code, e)));
    }

    record MergeForm(String into) {}

    @PostMapping("/incidents/{code}/merge")
    Mono<String> merge(@PathVariable String code, @ModelAttribute MergeForm form, ServerWebExchange exchange) {
        String into = form.into() == null ? "" : form.into().strip().toUpperCase(Locale.ROOT);
        return visible(code).flatMap(v -> staff.scope().flatMap(scope -> queries.visible(scope, into))
                .switchIfEmpty(Mono.error(new IncidentDesk.Invalid("no incident " + into)))
                .flatMap(target -> desk.merge(code, target.code(), v.scope().username()))
                .then(Flash.redirect(exchange, Flash.ok("flash.merged", into), path(code)))
                .onErrorResume(IncidentDesk.Refused.class, e -> refused(exchange, code, e)));
    }

    @PostMapping("/incidents/{code}/unmerge")
    Mono<String> unmerge(@PathVariable String code, ServerWebExchange exchange) {
        return visible(code).flatMap(v -> desk.unmerge(code, v.scope().username())
                .then(Flash.redirect(exchange, Flash.ok("flash.unmerged"), path(code)))
                .onErrorResume(IncidentDesk.Refused.class, e -> refused(exchange, code, e)));
    }

    record EscalateForm(String department, String assignee, String reason) {}

    @PostMapping("/incidents/{code}/escalate")
    Mono<String> escalate(@PathVariable String code, @ModelAttribute EscalateForm form, ServerWebExchange exchange) {
        return visible(code).flatMap(v -> assignments.escalate(code, blankToNull(form.department()),
                        blankToNull(form.assignee()), form.reason(), v.scope().username())
                .then(Flash.redirect(exchange, Flash.ok("flash.escalated"), path(code)))
                .onErrorResume(org.civicbot.backoffice.staff.Assignments.Unknown.class, e -> Flash.redirect(exchange,
                        Flash.error("flash.refused", e.getMessage()), path(code)))
                .onErrorResume(IncidentDesk.Refused.class, e -> refused(exchange, code, e)));
    }

    /** A coordinate as typed; one that is not a number reads as NaN, which the location check refuses. */
    private static Double parseDouble(String value) {
        try {
            return value == null || value.isBlank() ? null : Double.valueOf(value.strip());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private Results results(IncidentQueries.Found found, Map<String, String> departmentNames, int page,
            MultiValueMap<String, String> params, List<IncidentStatus> status) {
        int pages = (int) Math.max(1, (found.total() + PAGE_SIZE - 1) / PAGE_SIZE);
        List<Row> rows = found.items().stream().map(i -> new Row(i.code(), i.status().name(), i.outcome(),
                i.category(), i.description(), i.location() == null ? null : i.location().address(),
                i.source().name(), i.department() == null ? null : departmentNames.getOrDefault(i.department(),
                        i.department()), i.assignee(), time.format(i.createdAt()), i.type(), i.urgency().name(),
                i.overdue(clock.instant()))).toList();
        String prev = page > 0 ? pageUrl(params, status, page - 1) : null;
        String next = (long) (page + 1) * PAGE_SIZE < found.total() ? pageUrl(params, status, page + 1) : null;
        return new Results(rows, found.total(), page, pages, prev, next);
    }

    /** The same filter on another page; the statuses are always written, so the defaults are not applied again. */
    private static String pageUrl(MultiValueMap<String, String> params, List<IncidentStatus> status, int page) {
        MultiValueMap<String, String> query = new LinkedMultiValueMap<>();
        params.forEach((name, values) -> {
            if (!name.equals("page") && !name.equals("status") && !name.equals("lang")) {
                query.put(name, new ArrayList<>(values));
            }
        });
        query.put("status", status.isEmpty() ? List.of("") : status.stream().map(Enum::name).toList());
        query.set("page", String.valueOf(page));
        return UriComponentsBuilder.fromPath("/incidents").queryParams(query).encode().build().toUriString();
    }

    private Mono<String> refused(ServerWebExchange exchange, String code, IncidentDesk.Refused refused) {
        return Flash.redirect(exchange, Flash.error("flash.refused", refused.getMessage()), path(code));
    }

    private record Visible(Incident incident, Scope scope) {}

    private Mono<Visible> visible(String code) {
        return staff.scope().flatMap(scope -> queries.visible(scope, code).map(i -> new Visible(i, scope)))
                .switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND)));
    }

    private static String path(String code) {
        return "/incidents/" + UriUtils.encodePathSegment(code, StandardCharsets.UTF_8);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static int parseInt(String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

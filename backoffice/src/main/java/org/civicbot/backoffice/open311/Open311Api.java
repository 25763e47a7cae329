package org.civicbot.backoffice.open311;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.civicbot.backoffice.query.IncidentQueries;
import org.civicbot.backoffice.staff.Department;
import org.civicbot.backoffice.staff.Departments;
import org.civicbot.backoffice.staff.Organisation;
import org.civicbot.backoffice.staff.Organisations;
import org.civicbot.backoffice.staff.StaffRequests;
import org.civicbot.bot.FlowRuntime;
import org.civicbot.bot.RateLimits;
import org.civicbot.bot.incident.Categories;
import org.civicbot.bot.incident.Category;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.IncidentDesk;
import org.civicbot.bot.incident.IncidentStatus;
import org.civicbot.bot.incident.PublicUpdates;
import org.civicbot.bot.incident.Source;
import org.civicbot.flows.Language;
import org.civicbot.flows.RequestType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Open311 GeoReport v2 API (https://wiki.open311.org/GeoReport_v2/), so that citizen apps and the town's other
 * systems can read the town's incidents and file new ones: services are the categories; requests are the incidents
 * (never suggestions, complaints or questions, which concern a person rather than a place).
 *
 * <p>Reading is open (unless {@code civicbot.open311.public-requests} is false) and shows what the public may see:
 * category, status and its explanation in the flows' words, dates, who handles it, and the place rounded to about a
 * hundred metres. A client whose key admins allowed to read details also gets the description, the address and the
 * exact place. Filing needs an {@code api_key} ({@link Open311Clients}); a request filed has source
 * {@code OPEN311}, and an {@code Idempotency-Key} header makes a retry file it once. Every answer is counted
 * against a per-minute limit (per client, or per address without a key): 429 with {@code Retry-After} beyond it.
 */
@RestController
@RequestMapping(Open311Api.BASE)
class Open311Api {

    static final String BASE = "/open311/v2";
    private static final Logger log = LoggerFactory.getLogger(Open311Api.class);
    /** The specification's default window when a query gives neither start nor end. */
    static final Duration DEFAULT_WINDOW = Duration.ofDays(90);
    /** The specification's ceiling on one answer. */
    static final int MAX_REQUESTS = 1000;
    private static final int MAX_IDS = 100;
    /** About 110 m of latitude: where, without whose door. */
    private static final int PUBLIC_DECIMALS = 3;

    private final Open311Clients clients;
    private final Categories categories;
    private final IncidentQueries queries;
    private final StaffRequests requests;
    private final Departments departments;
    private final Organisations organisations;
    private final FlowRuntime flows;
    private final RateLimits limits;
    private final JsonMapper json;
    private final Clock clock;
    private final Settings settings;

    /**
     * @param jurisdiction the {@code jurisdiction_id} this endpoint serves; null: any given is accepted
     * @param publicRequests whether requests may be read without a key
     */
    record Settings(String jurisdiction, boolean publicRequests, int readsPerMinute, int postsPerMinute,
            String townName, ZoneId zone) {}

    Open311Api(Open311Clients clients, Categories categories, IncidentQueries queries, StaffRequests requests,
            Departments departments, Organisations organisations, FlowRuntime flows, RateLimits limits,
            JsonMapper json, Clock clock,
            @Value("${civicbot.open311.jurisdiction-id:#{null}}") String jurisdiction,
            @Value("${civicbot.open311.public-requests:true}") boolean publicRequests,
            @Value("${civicbot.open311.reads-per-minute:120}") int readsPerMinute,
            @Value("${civicbot.open311.posts-per-minute:30}") int postsPerMinute,
            @Value("${civicbot.town.name:#{null}}") String townName,
            @Value("${civicbot.time-zone:Europe/Madrid}") ZoneId zone) {
        this.clients = clients;
        this.categories = categories;
        this.queries = queries;
        this.requests = requests;
        this.departments = departments;
        this.organisations = organisations;
        this.flows = flows;
        this.limits = limits;
        this.json = json;
        this.clock = clock;
        this.settings = new Settings(blank(jurisdiction), publicRequests, readsPerMinute, postsPerMinute,
                blank(townName), zone);
    }

    /** An answer the client can act on: a status and a description, written as GeoReport errors. */
    static final class Problem extends RuntimeException {
        private final HttpStatus status;
        private final Duration retryAfter;

        Problem(HttpStatus status, String description) {
            this(status, description, null);
        }

        Problem(HttpStatus status, String description, Duration retryAfter) {
            super(description, null, false, false);
            this.status = status;
            this.retryAfter = retryAfter;
        }
    }

    /** Who is asking: a client with a valid key, or anyone. */
    private record Caller(Optional<Open311Client> client, String rateKey) {
        boolean readsDetails() {
            return client.map(Open311Client::readsDetails).orElse(false);
        }
    }

    @GetMapping("/services.{format}")
    Mono<ResponseEntity<byte[]>> services(@PathVariable String format, ServerWebExchange exchange) {
        Open311Format as = Open311Format.of(format);
        Language language = language(exchange);
        return caller(exchange).then(jurisdiction(exchange)).thenMany(categories.all()).collectList()
                .map(all -> {
                    Map<String, Category> byId = new LinkedHashMap<>();
                    all.forEach(c -> byId.put(c.id(), c));
                    List<Map<String, Object>> services = all.stream().map(c -> service(c, byId, language)).toList();
                    return as.list(HttpStatus.OK, "services", "service", services, json);
                });
    }

    @GetMapping("/services/{code}.{format}")
    Mono<ResponseEntity<byte[]>> definition(@PathVariable String code, @PathVariable String format,
            ServerWebExchange exchange) {
        Open311Format as = Open311Format.of(format);
        return caller(exchange).then(jurisdiction(exchange)).then(categories.byId(code))
                .switchIfEmpty(Mono.error(() -> new Problem(HttpStatus.NOT_FOUND, "there is no service " + code
                        + ": see services." + format)))
                .map(category -> {
                    // No service asks extra questions yet: every definition has no attributes (metadata false).
                    Map<String, Object> definition = new LinkedHashMap<>();
                    definition.put("service_code", category.id());
                    definition.put("attributes", List.of());
                    return as.object("service_definition", definition, json);
                });
    }

    @GetMapping("/requests.{format}")
    Mono<ResponseEntity<byte[]>> requests(@PathVariable String format, ServerWebExchange exchange) {
        Open311Format as = Open311Format.of(format);
        MultiValueMap<String, String> params = exchange.getRequest().getQueryParams();
        return caller(exchange).flatMap(caller -> readable(caller).then(jurisdiction(exchange))
                .then(Mono.fromCallable(() -> query(params)))
                .flatMap(query -> answer(queries.published(query.filter(), query.codes(), MAX_REQUESTS), caller,
                        language(exchange), as)));
    }

    @GetMapping("/requests/{code}.{format}")
    Mono<ResponseEntity<byte[]>> request(@PathVariable String code, @PathVariable String format,
            ServerWebExchange exchange) {
        Open311Format as = Open311Format.of(format);
        return caller(exchange).flatMap(caller -> readable(caller).then(jurisdiction(exchange))
                .then(queries.published(new IncidentQueries.Filter(null, null, null, null, null, null, null),
                        List.of(code), 1).collectList())
                .flatMap(found -> found.isEmpty()
                        ? Mono.error(new Problem(HttpStatus.NOT_FOUND, "there is no request " + code))
                        : answer(Flux.fromIterable(found), caller, language(exchange), as)));
    }

    @PostMapping("/requests.{format}")
    Mono<ResponseEntity<byte[]>> create(@PathVariable String format, ServerWebExchange exchange) {
        Open311Format as = Open311Format.of(format);
        String idempotencyKey = exchange.getRequest().getHeaders().getFirst("Idempotency-Key");
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            return Mono.error(new Problem(HttpStatus.BAD_REQUEST, "an Idempotency-Key has 1 to 200 characters"));
        }
        return exchange.getFormData().flatMap(form -> {
            // The key comes in the form, as the specification says: a query string ends up in access logs.
            String key = form.getFirst("api_key");
            return clients.authenticate(key)
                    .switchIfEmpty(Mono.defer(() -> refused(exchange, key == null || key.isBlank()
                            ? "an api_key is needed to file a request: ask the town hall for one"
                            : "this api_key is not valid (wrong, replaced or revoked): ask the town hall for one")))
                    .flatMap(client -> limit("open311:post:" + client.id(), settings.postsPerMinute())
                            .then(jurisdiction(form.getFirst("jurisdiction_id")))
                            .then(Mono.defer(() -> file(client, form, idempotencyKey))))
                    .map(incident -> {
                        Map<String, Object> filed = new LinkedHashMap<>();
                        filed.put("service_request_id", incident.code());
                        filed.put("service_notice", null);
                        filed.put("account_id", blank(form.getFirst("account_id")));
                        return as.list(HttpStatus.CREATED, "service_requests", "request", List.of(filed), json);
                    });
        });
    }

    private Mono<Incident> file(Open311Client client, MultiValueMap<String, String> form, String idempotencyKey) {
        String service = blank(form.getFirst("service_code"));
        if (service == null) {
            return Mono.error(new Problem(HttpStatus.BAD_REQUEST, "service_code is required: see services.json"));
        }
        Incident.Location location = location(form);
        String mediaUrl = blank(form.getFirst("media_url"));
        if (mediaUrl != null && (mediaUrl.length() > 1000 || !mediaUrl.matches("(?i)https?://\\S+"))) {
            throw new Problem(HttpStatus.BAD_REQUEST, "media_url must be an http or https address");
        }
        String description = blank(form.getFirst("description"));
        if (description == null) {
            return Mono.error(new Problem(HttpStatus.BAD_REQUEST, "description is required: say what the problem is"));
        }
        String name = blank(String.join(" ", Optional.ofNullable(blank(form.getFirst("first_name"))).orElse(""),
                Optional.ofNullable(blank(form.getFirst("last_name"))).orElse("")));
        String email = blank(form.getFirst("email"));
        String phone = blank(form.getFirst("phone"));
        Incident.Contact contact = name == null && email == null && phone == null ? null
                : new Incident.Contact(name, phone, email, null, null, null);
        String ref = "open311:" + client.id() + ":" + (idempotencyKey == null ? UUID.randomUUID() : idempotencyKey);
        String text = "Sent through Open311 by " + client.name() + (mediaUrl == null ? "" : "; photo: " + mediaUrl);
        return categories.byId(service)
                .switchIfEmpty(Mono.error(() -> new Problem(HttpStatus.BAD_REQUEST, "service_code " + service
                        + " is not one of this town's services: see services.json")))
                .then(requests.receive(new StaffRequests.Request(null, service, description, location, contact, null,
                        null, null, RequestType.INCIDENT), Source.OPEN311, ref, "open311:" + client.id(), text))
                .onErrorMap(IncidentDesk.Invalid.class, e -> new Problem(HttpStatus.BAD_REQUEST, e.getMessage()));
    }

    private static Incident.Location location(MultiValueMap<String, String> form) {
        String lat = blank(form.getFirst("lat"));
        String lon = blank(form.getFirst("long"));
        String address = blank(form.getFirst("address_string"));
        if (lat == null && lon == null && address == null) {
            throw new Problem(HttpStatus.BAD_REQUEST, form.getFirst("address_id") != null
                    ? "address_id is not used here: give lat and long, or address_string"
                    : "a request needs a place: lat and long, or address_string");
        }
        if ((lat == null) != (lon == null)) {
            throw new Problem(HttpStatus.BAD_REQUEST, "give both lat and long, or neither");
        }
        if (address != null && address.length() > 250) {
            throw new Problem(HttpStatus.BAD_REQUEST, "address_string may have at most 250 characters");
        }
        try {
            return lat == null ? new Incident.Location(address, null, null, "ADDRESS")
                    : new Incident.Location(address, Double.parseDouble(lat), Double.parseDouble(lon),
                            address == null ? "PIN" : "ADDRESS");
        } catch (NumberFormatException e) {
            throw new Problem(HttpStatus.BAD_REQUEST, "lat and long are decimal degrees, e.g. lat=41.7251&long=1.8266");
        }
    }

    /** A query's filter, or the codes it names (which then override every other parameter, as the spec says). */
    private record RequestQuery(IncidentQueries.Filter filter, List<String> codes) {}

    private RequestQuery query(MultiValueMap<String, String> params) {
        String ids = blank(params.getFirst("service_request_id"));
        List<String> codes = ids == null ? List.of() : Arrays.stream(ids.split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).distinct().toList();
        if (!codes.isEmpty()) {
            if (codes.size() > MAX_IDS) {
                throw new Problem(HttpStatus.BAD_REQUEST, "ask for at most " + MAX_IDS + " service_request_id at once");
            }
            return new RequestQuery(null, codes);
        }
        Instant start = instant(params.getFirst("start_date"), "start_date", false);
        // The latest time to include: a date's whole day, a date-time's very second.
        Instant end = instant(params.getFirst("end_date"), "end_date", true);
        if (start == null && end == null) {
            end = clock.instant();
            start = end.minus(DEFAULT_WINDOW);
        } else if (start == null) {
            start = end.minus(DEFAULT_WINDOW);
        }
        if (end != null && !start.isBefore(end)) {
            throw new Problem(HttpStatus.BAD_REQUEST, "start_date must be before end_date");
        }
        List<IncidentStatus> status = null;
        String statuses = blank(params.getFirst("status"));
        if (statuses != null) {
            status = new ArrayList<>();
            for (String one : statuses.toLowerCase(Locale.ROOT).split(",")) {
                switch (one.strip()) {
                    case "open" -> status.addAll(List.of(IncidentStatus.NEW, IncidentStatus.IN_PROGRESS));
                    case "closed" -> status.add(IncidentStatus.CLOSED);
                    default -> throw new Problem(HttpStatus.BAD_REQUEST, "status is open, closed, or both "
                            + "separated by a comma");
                }
            }
        }
        return new RequestQuery(new IncidentQueries.Filter(status, blank(params.getFirst("service_code")), null, null,
                start, end, null), List.of());
    }

    /**
     * A W3C date-time ({@code 2026-11-30T09:00:00+01:00} or {@code ...Z}), or a date in the town's zone.
     *
     * @param end whether it closes a range: then the instant just after it (a date's next day, a time's next second)
     */
    private Instant instant(String value, String name, boolean end) {
        String given = blank(value);
        if (given == null) {
            return null;
        }
        try {
            if (given.length() == 10) {
                LocalDate day = LocalDate.parse(given);
                return (end ? day.plusDays(1) : day).atStartOfDay(settings.zone()).toInstant();
            }
            Instant at = OffsetDateTime.parse(given).toInstant();
            return end ? at.plusSeconds(1) : at;
        } catch (DateTimeException e) {
            throw new Problem(HttpStatus.BAD_REQUEST, name + " must be a W3C date-time such as "
                    + "2026-11-30T09:00:00+01:00, or a date such as 2026-11-30");
        }
    }

    private Mono<ResponseEntity<byte[]>> answer(Flux<Incident> found, Caller caller, Language language,
            Open311Format as) {
        return Mono.zip(categories.all().collectMap(Category::id), departments.all().collectMap(Department::id,
                        Department::name), organisations.all().collectMap(Organisation::id, Organisation::name))
                .flatMap(names -> found.map(incident -> request(incident, caller.readsDetails(), language,
                                names.getT1(), names.getT2(), names.getT3())).collectList())
                .map(items -> as.list(HttpStatus.OK, "service_requests", "request", items, json));
    }

    private Map<String, Object> request(Incident incident, boolean details, Language language,
            Map<String, Category> categoryById, Map<String, String> departmentNames,
            Map<String, String> organisationNames) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("service_request_id", incident.code());
        request.put("status", incident.status() == IncidentStatus.CLOSED ? "closed" : "open");
        request.put("status_notes", statusNotes(incident, language, details));
        Category category = incident.category() == null ? null : categoryById.get(incident.category());
        request.put("service_name", category == null ? incident.category() : category.label(language));
        request.put("service_code", incident.category());
        request.put("description", details ? incident.description() : null);
        request.put("agency_responsible", incident.organisation() != null
                ? organisationNames.getOrDefault(incident.organisation(), incident.organisation())
                : incident.department() != null
                        ? departmentNames.getOrDefault(incident.department(), incident.department())
                        : settings.townName());
        request.put("service_notice", null);
        request.put("requested_datetime", w3c(incident.createdAt()));
        request.put("updated_datetime", w3c(incident.updatedAt() == null ? incident.createdAt() : incident.updatedAt()));
        request.put("expected_datetime", incident.status() == IncidentStatus.CLOSED ? null : w3c(incident.dueAt()));
        Incident.Location where = incident.location();
        request.put("address", details && where != null ? where.address() : null);
        request.put("address_id", null);
        request.put("zipcode", null);
        request.put("lat", where == null ? null : coordinate(where.latitude(), details));
        request.put("long", where == null ? null : coordinate(where.longitude(), details));
        request.put("media_url", null);
        return request;
    }

    /**
     * Why it stands where it does, in the flows' words (what the public status page says): "closed: resolved",
     * "in progress". A client allowed details also reads what staff wrote for the citizen with that step; the public
     * does not: those words were written for one person, whose page is reached only by its secret link.
     */
    private String statusNotes(Incident incident, Language language, boolean details) {
        List<PublicUpdates.Update> updates = PublicUpdates.of(incident, flows.get().flows().commands().notices(),
                language);
        PublicUpdates.Update words = updates.stream().filter(u -> !u.staffWords()).findFirst().orElse(updates.get(0));
        PublicUpdates.Update newest = updates.get(0);
        if (details && newest.staffWords() && newest.at().equals(words.at())) {
            return words.text() + " " + newest.text();
        }
        return words.text();
    }

    private static Double coordinate(Double value, boolean exact) {
        if (value == null || exact) {
            return value;
        }
        return java.math.BigDecimal.valueOf(value).setScale(PUBLIC_DECIMALS, java.math.RoundingMode.HALF_UP)
                .doubleValue();
    }

    private String w3c(Instant at) {
        return at == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                at.truncatedTo(ChronoUnit.SECONDS).atZone(settings.zone()).toOffsetDateTime());
    }

    private static Map<String, Object> service(Category category, Map<String, Category> byId, Language language) {
        Category parent = category.parent() == null ? null : byId.get(category.parent());
        Map<String, Object> service = new LinkedHashMap<>();
        service.put("service_code", category.id());
        service.put("service_name", category.label(language));
        service.put("description", parent == null ? category.label(language)
                : parent.label(language) + " › " + category.label(language));
        service.put("metadata", false);
        service.put("type", "realtime");
        // Its names in the other languages: what a client searching in them would type.
        service.put("keywords", String.join(", ", Arrays.stream(Language.values()).filter(l -> l != language)
                .map(category::label).distinct().filter(k -> !k.equals(category.label(language))).toList()));
        service.put("group", (parent == null ? category : parent).label(language));
        return service;
    }

    /** Who asks, counted against their limit; a wrong key on a read is refused rather than read as anonymous. */
    private Mono<Caller> caller(ServerWebExchange exchange) {
        String key = blank(exchange.getRequest().getQueryParams().getFirst("api_key"));
        if (key == null) {
            Caller anyone = new Caller(Optional.empty(), "open311:read:" + address(exchange));
            return limit(anyone.rateKey(), settings.readsPerMinute()).thenReturn(anyone);
        }
        return clients.authenticate(key)
                .switchIfEmpty(Mono.defer(() -> refused(exchange, "this api_key is not valid (wrong, replaced or "
                        + "revoked): read without one, or ask the town hall for a new one")))
                .map(client -> new Caller(Optional.of(client), "open311:read:" + client.id()))
                .flatMap(caller -> limit(caller.rateKey(), settings.readsPerMinute()).thenReturn(caller));
    }

    /** A wrong key: refused, and counted against the address's limit, so keys cannot be guessed at speed. */
    private <T> Mono<T> refused(ServerWebExchange exchange, String why) {
        return limit("open311:wrong-key:" + address(exchange), settings.postsPerMinute())
                .then(Mono.error(new Problem(HttpStatus.FORBIDDEN, why)));
    }

    /** The client's address, as sign-in counts it (the proxy's, unless forwarded headers are trusted). */
    private static String address(ServerWebExchange exchange) {
        return org.civicbot.backoffice.staff.StaffAuthentication.clientAddress(exchange).orElse("unknown");
    }

    private Mono<Void> readable(Caller caller) {
        return settings.publicRequests() || caller.client().isPresent() ? Mono.empty()
                : Mono.error(new Problem(HttpStatus.FORBIDDEN, "this town's requests are read with an api_key: ask "
                        + "the town hall for one"));
    }

    private Mono<Void> limit(String key, int perMinute) {
        return limits.take(key, perMinute).flatMap(verdict -> verdict.allowed() ? Mono.<Void>empty()
                : Mono.error(new Problem(HttpStatus.TOO_MANY_REQUESTS, "more than " + perMinute
                        + " requests a minute: wait " + seconds(verdict.retryAfter()) + " seconds and try again",
                        verdict.retryAfter())));
    }

    private Mono<Void> jurisdiction(ServerWebExchange exchange) {
        return jurisdiction(exchange.getRequest().getQueryParams().getFirst("jurisdiction_id"));
    }

    private Mono<Void> jurisdiction(String given) {
        String asked = blank(given);
        return asked == null || settings.jurisdiction() == null || settings.jurisdiction().equals(asked)
                ? Mono.empty()
                : Mono.error(new Problem(HttpStatus.NOT_FOUND, "this endpoint serves jurisdiction_id "
                        + settings.jurisdiction() + ", not " + asked));
    }

    /** The first language of Accept-Language the town speaks; its default language otherwise. */
    private static Language language(ServerWebExchange exchange) {
        try {
            return exchange.getRequest().getHeaders().getAcceptLanguageAsLocales().stream()
                    .map(locale -> Language.fromCode(locale.getLanguage())).flatMap(Optional::stream).findFirst()
                    .orElse(Language.DEFAULT);
        } catch (IllegalArgumentException e) {
            return Language.DEFAULT;
        }
    }

    @ExceptionHandler(Problem.class)
    ResponseEntity<byte[]> problem(Problem problem, ServerWebExchange exchange) {
        HttpHeaders headers = new HttpHeaders();
        if (problem.retryAfter != null) {
            headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(seconds(problem.retryAfter)));
        }
        return Open311Format.ofPath(exchange.getRequest().getPath().value())
                .error(problem.status, problem.getMessage(), json, headers);
    }

    @ExceptionHandler(org.springframework.web.server.ServerWebInputException.class)
    ResponseEntity<byte[]> badInput(org.springframework.web.server.ServerWebInputException e,
            ServerWebExchange exchange) {
        return Open311Format.ofPath(exchange.getRequest().getPath().value()).error(HttpStatus.BAD_REQUEST,
                "the request could not be read: send the parameters form-encoded (application/x-www-form-urlencoded)",
                json, new HttpHeaders());
    }

    /** Anything else: logged without its message (it may quote a citizen's words), answered without details. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<byte[]> failure(Exception e, ServerWebExchange exchange) {
        log.error("Open311 {} failed: {}", exchange.getRequest().getPath().value(), e.getClass().getName());
        return Open311Format.ofPath(exchange.getRequest().getPath().value()).error(HttpStatus.INTERNAL_SERVER_ERROR,
                "something went wrong on our side; try again later", json, new HttpHeaders());
    }

    /** Whole seconds, rounded up: a client that waits that long finds room. */
    private static long seconds(Duration duration) {
        return Math.max(1, (duration.toMillis() + 999) / 1000);
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}

package org.civicbot.backoffice.web;

import org.civicbot.backoffice.supplier.Forward;
import org.civicbot.backoffice.supplier.SupplierLinks;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.civicbot.bot.incident.Categories;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.IncidentDesk;
import org.civicbot.bot.incident.IncidentStatus;
import org.civicbot.bot.incident.Outcome;
import org.civicbot.bot.media.PhotoStore;
import org.civicbot.flows.Language;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.http.codec.multipart.FormFieldPart;
import org.springframework.http.codec.multipart.Part;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The page a supplier without an account opens from the e-mail staff forwarded: what the incident is (never who
 * reported it), and a form to say it is under way, propose it is resolved, write a note (which reaches the citizen
 * when they say it may) and send photos. Everything lands on the incident's history under the supplier's address.
 * A changed or expired link is refused.
 */
@Controller
class SupplierPage {

    static final int MAX_PHOTOS = 5;
    /** What can be wrong with an answer, as the page names it. */
    static final Set<String> PROBLEMS = Set.of("empty", "tooManyPhotos", "notAPhoto", "tooBig", "tooLong", "refused");
    static final long MAX_PHOTO_BYTES = 10L * 1024 * 1024;
    static final Set<String> PHOTO_TYPES = Set.of("image/jpeg", "image/png", "image/webp");

    private final SupplierLinks links;
    private final ReactiveMongoTemplate mongo;
    private final IncidentDesk desk;
    private final PhotoStore photos;
    private final Categories categories;
    private final Clock clock;

    private final org.springframework.context.MessageSource messages;

    private final TownTime time;

    SupplierPage(SupplierLinks links, ReactiveMongoTemplate mongo, IncidentDesk desk, PhotoStore photos,
            Categories categories, Clock clock, org.springframework.context.MessageSource messages, TownTime time) {
        this.time = time;
        this.messages = messages;
        this.links = links;
        this.mongo = mongo;
        this.desk = desk;
        this.photos = photos;
        this.categories = categories;
        this.clock = clock;
    }

    /** A forward and its incident, from a link that checked out. */
    private record Opened(Forward forward, Incident incident) {}

    /** Opens the link; an error page (404 not valid, 410 expired) when it does not check out. */
    private Mono<Opened> open(String token, ServerWebExchange exchange, Model model) {
        return links.check(token, clock.instant()).flatMap(checked -> {
            if (checked instanceof SupplierLinks.Valid valid) {
                return mongo.findById(valid.forwardId(), Forward.class)
                        .flatMap(f -> mongo.findOne(org.springframework.data.mongodb.core.query.Query.query(
                                org.springframework.data.mongodb.core.query.Criteria.where("code").is(f.code())),
                                Incident.class).map(i -> new Opened(f, i)))
                        // Signed by us, but its forward or incident is gone (erased): as good as invalid.
                        .switchIfEmpty(Mono.fromRunnable(() -> {
                            exchange.getResponse().setStatusCode(HttpStatus.NOT_FOUND);
                            model.addAttribute("refused", "invalid");
                        }));
            }
            boolean expired = checked instanceof SupplierLinks.Expired;
            exchange.getResponse().setStatusCode(expired ? HttpStatus.GONE : HttpStatus.NOT_FOUND);
            model.addAttribute("refused", expired ? "expired" : "invalid");
            return Mono.empty();
        });
    }

    @GetMapping("/supplier/{token}")
    Mono<String> page(@PathVariable String token, ServerWebExchange exchange, Model model) {
        return open(token, exchange, model).flatMap(opened -> {
            Incident incident = opened.incident();
            Language language = Language.fromCode(String.valueOf(model.getAttribute("lang"))).orElse(Language.DEFAULT);
            model.addAttribute("incident", incident);
            model.addAttribute("forward", opened.forward());
            model.addAttribute("token", token);
            model.addAttribute("category", categories.label(incident.category(), language));
            model.addAttribute("located", incident.location() != null && incident.location().latitude() != null);
            model.addAttribute("sent", exchange.getRequest().getQueryParams().containsKey("sent"));
            String problem = exchange.getRequest().getQueryParams().getFirst("problem");
            model.addAttribute("problem", problem != null && PROBLEMS.contains(problem) ? problem : null);
            HistoryLines history = new HistoryLines(messages, Locale.forLanguageTag(language.code()), java.util.Map.of(),
                    time.zone());
            model.addAttribute("lines", incident.timeline().stream()
                    .filter(e -> ("supplier:" + opened.forward().to()).equals(e.actor())).map(history::of).toList());
            model.addAttribute("closed", incident.status() == IncidentStatus.CLOSED);
            return Mono.just("supplier");
        }).defaultIfEmpty("supplier-refused");
    }

    @GetMapping("/supplier/{token}/photos/{id}")
    Mono<ResponseEntity<byte[]>> photo(@PathVariable String token, @PathVariable String id,
            ServerWebExchange exchange, Model model) {
        return open(token, exchange, model)
                .filter(opened -> opened.incident().photos().stream().anyMatch(p -> p.id().equals(id)))
                .flatMap(opened -> photos.load(id))
                .map(p -> ResponseEntity.ok().contentType(MediaType.parseMediaType(p.contentType()))
                        .cacheControl(CacheControl.noStore()).header("X-Content-Type-Options", "nosniff")
                        .body(p.bytes()))
                .defaultIfEmpty(ResponseEntity.status(HttpStatus.NOT_FOUND).build());
    }

    @PostMapping(path = "/supplier/{token}", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Mono<String> answer(@PathVariable String token, ServerWebExchange exchange, Model model) {
        return open(token, exchange, model).flatMap(opened -> exchange.getMultipartData().flatMap(form -> {
            String actor = "supplier:" + opened.forward().to();
            String code = opened.incident().code();
            String note = field(form, "note");
            boolean shared = "on".equals(field(form, "shared"));
            String step = field(form, "step");
            List<FilePart> files = form.getOrDefault("photos", List.of()).stream()
                    .filter(p -> p instanceof FilePart f && !f.filename().isBlank()).map(p -> (FilePart) p).toList();
            if (note == null && files.isEmpty() && step == null) {
                return refusedForm(token, "empty");
            }
            if (files.size() > MAX_PHOTOS) {
                return refusedForm(token, "tooManyPhotos");
            }
            if (files.stream().anyMatch(f -> f.headers().getContentType() == null
                    || !PHOTO_TYPES.contains(f.headers().getContentType().toString().toLowerCase(Locale.ROOT)))) {
                return refusedForm(token, "notAPhoto");
            }
            if (note != null && note.length() > IncidentDesk.MAX_NOTE_LENGTH) {
                return refusedForm(token, "tooLong");
            }
            // Everything is checked before anything is written: a refused answer leaves no half of itself behind.
            if (opened.incident().status() == IncidentStatus.CLOSED) {
                return refusedForm(token, "refused");
            }
            Mono<List<Incident.Photo>> stored = Flux.fromIterable(files).concatMap(f -> bytes(f).flatMap(bytes ->
                            photos.store("supplier-" + opened.forward().id() + "-" + java.util.UUID.randomUUID(),
                                    bytes, f.headers().getContentType().toString())
                                    .map(id -> new Incident.Photo(id, f.headers().getContentType().toString()))))
                    .collectList();
            return stored.flatMap(list -> desk.addPhotos(code, list, actor))
                    .then(Mono.defer(() -> note == null ? Mono.empty() : desk.addNote(code, note, shared, actor)))
                    .then(Mono.defer(() -> step(opened.incident(), step, note, actor)))
                    .thenReturn("redirect:/supplier/" + token + "?sent")
                    .onErrorResume(IncidentDesk.Refused.class, e -> refusedForm(token, "refused"))
                    .onErrorResume(TooBig.class, e -> refusedForm(token, "tooBig"));
        })).defaultIfEmpty("supplier-refused");
    }

    /** The step the supplier took: under way (staff need not confirm), or resolved (staff confirm by closing). */
    private Mono<Incident> step(Incident incident, String step, String note, String actor) {
        if ("IN_PROGRESS".equals(step) && incident.status() == IncidentStatus.NEW) {
            return desk.changeStatus(incident.code(), IncidentStatus.IN_PROGRESS, null, null, actor);
        }
        if ("RESOLVED".equals(step)) {
            return desk.proposeClose(incident.code(), Outcome.POSITIVE, null, actor);
        }
        return Mono.empty();
    }

    private static Mono<String> refusedForm(String token, String why) {
        return Mono.just("redirect:/supplier/" + token + "?problem=" + why);
    }

    private static final class TooBig extends RuntimeException {}

    private static Mono<byte[]> bytes(FilePart file) {
        return DataBufferUtils.join(file.content(), (int) MAX_PHOTO_BYTES)
                .onErrorMap(org.springframework.core.io.buffer.DataBufferLimitException.class, e -> new TooBig())
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                });
    }

    private static String field(MultiValueMap<String, Part> form, String name) {
        Part part = form.getFirst(name);
        if (part instanceof FormFieldPart field) {
            String value = field.value().strip();
            return value.isEmpty() ? null : value;
        }
        return null;
    }
}

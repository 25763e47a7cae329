package org.civicbot.backoffice.api;

import static org.springframework.data.mongodb.core.query.Criteria.where;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.civicbot.bot.incident.Incident;
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
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/** Incidents for staff and scripts: a filtered, paged list, one by code, and their photos. */
@RestController
@RequestMapping("/api/v1")
class IncidentApi {

    static final int MAX_PAGE_SIZE = 200;

    private final ReactiveMongoTemplate mongo;
    private final PhotoStore photos;

    IncidentApi(ReactiveMongoTemplate mongo, PhotoStore photos) {
        this.mongo = mongo;
        this.photos = photos;
    }

    /**
     * @param q free text, matched case-insensitively in the code, description and address
     * @param from created at or after (ISO-8601 instant)
     * @param to created before
     */
    @GetMapping("/incidents")
    Mono<Page<IncidentView>> list(@RequestParam(required = false) List<IncidentStatus> status,
            @RequestParam(required = false) String category, @RequestParam(required = false) Source source,
            @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
            @RequestParam(required = false) String q, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "page must be 0 or more and size between 1 and " + MAX_PAGE_SIZE);
        }
        List<Criteria> filters = new ArrayList<>();
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
    Mono<IncidentView> byCode(@PathVariable String code) {
        return mongo.findOne(Query.query(where("code").is(code)), Incident.class)
                .map(IncidentView::of)
                .switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "no incident " + code)));
    }

    @GetMapping("/photos/{id}")
    Mono<ResponseEntity<byte[]>> photo(@PathVariable String id) {
        return photos.load(id)
                .map(p -> ResponseEntity.ok()
                        .contentType(p.contentType() == null ? MediaType.APPLICATION_OCTET_STREAM
                                : MediaType.parseMediaType(p.contentType()))
                        .cacheControl(CacheControl.noStore())
                        .header("X-Content-Type-Options", "nosniff")
                        .body(p.bytes()))
                .switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "no photo " + id)));
    }
}

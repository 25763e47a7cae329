package org.civicbot.bot.incident;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.civicbot.flows.Language;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The town's request categories as data: a tree of two levels with names in every language and a service time,
 * managed by admins. The first start fills an empty store from the default flows' category menus.
 */
public class Categories {

    static final Pattern ID = Pattern.compile("[a-z0-9_]{1,40}");
    public static final int MAX_SERVICE_DAYS = 365;

    private final ReactiveMongoTemplate mongo;

    public Categories(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** A category that cannot be saved as it is; the message says what to change. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message);
        }
    }

    /** Every category, each top-level one followed by its subcategories, in their order. */
    public Flux<Category> all() {
        return mongo.findAll(Category.class).collectList().flatMapMany(all -> Flux.fromIterable(tree(all)));
    }

    static List<Category> tree(List<Category> all) {
        Comparator<Category> order = Comparator.comparingInt(Category::position).thenComparing(Category::id);
        List<Category> sorted = new ArrayList<>();
        all.stream().filter(c -> c.parent() == null).sorted(order).forEach(top -> {
            sorted.add(top);
            all.stream().filter(c -> top.id().equals(c.parent())).sorted(order).forEach(sorted::add);
        });
        // A subcategory whose parent is gone still shows, last.
        all.stream().filter(c -> !sorted.contains(c)).sorted(order).forEach(sorted::add);
        return sorted;
    }

    public Mono<Category> byId(String id) {
        return id == null ? Mono.empty() : mongo.findById(id, Category.class);
    }

    /** The days within which an incident of the category should be closed: its own, or its parent's. */
    public Mono<Optional<Integer>> serviceDays(String id) {
        return byId(id).flatMap(c -> c.serviceDays() != null ? Mono.just(Optional.of(c.serviceDays()))
                        : byId(c.parent()).map(p -> Optional.ofNullable(p.serviceDays())))
                .defaultIfEmpty(Optional.empty());
    }

    /** When an incident of the category, created at {@code from}, should be closed by; empty without a service time. */
    public Mono<Optional<java.time.Instant>> dueAt(String category, java.time.Instant from) {
        return serviceDays(category).map(days -> days.map(d -> from.plus(java.time.Duration.ofDays(d))));
    }

    /** The category's name in the language; its id when it is not (or no longer) a category. */
    public Mono<String> label(String id, Language language) {
        return byId(id).map(c -> c.label(language)).defaultIfEmpty(id == null ? "" : id);
    }

    /**
     * Creates or replaces a category. Refused (with what to change) when its id, names, parent or service time
     * are not right; nothing changes then.
     */
    public Mono<Category> save(Category category) {
        List<String> problems = new ArrayList<>();
        if (category.id() == null || !ID.matcher(category.id()).matches()) {
            problems.add("id must be 1 to 40 lower-case letters, digits or _");
        }
        for (Language language : Language.values()) {
            String label = category.labels().get(language.code());
            if (label == null || label.isBlank()) {
                problems.add("labels." + language.code() + " is missing");
            } else if (label.length() > 80) {
                problems.add("labels." + language.code() + " has more than 80 characters");
            }
        }
        if (category.serviceDays() != null && (category.serviceDays() < 1
                || category.serviceDays() > MAX_SERVICE_DAYS)) {
            problems.add("serviceDays must be between 1 and " + MAX_SERVICE_DAYS + ", or left out");
        }
        if (category.parent() != null && category.parent().equals(category.id())) {
            problems.add("a category cannot be its own parent");
        }
        if (!problems.isEmpty()) {
            return Mono.error(new Invalid(String.join("; ", problems)));
        }
        Mono<Void> parentChecked = category.parent() == null
                ? mongo.exists(query(where("parent").is(category.id())), Category.class).then()
                : byId(category.parent())
                        .switchIfEmpty(Mono.error(new Invalid("no category " + category.parent()
                                + " to be the parent; create it first")))
                        .flatMap(parent -> parent.parent() != null
                                ? Mono.error(new Invalid(parent.id() + " is a subcategory; categories have two levels"))
                                : mongo.exists(query(where("parent").is(category.id())), Category.class)
                                        .flatMap(hasChildren -> hasChildren ? Mono.error(new Invalid(category.id()
                                                + " has subcategories, so it cannot become one")) : Mono.empty()))
                        .then();
        Category clean = new Category(category.id(), category.parent(), strip(category), category.serviceDays(),
                category.position());
        return parentChecked.then(mongo.save(clean));
    }

    private static java.util.Map<String, String> strip(Category category) {
        java.util.Map<String, String> labels = new java.util.LinkedHashMap<>();
        for (Language language : Language.values()) {
            labels.put(language.code(), category.labels().get(language.code()).strip());
        }
        return labels;
    }

    /**
     * Adds the categories the store does not have yet (the flows' categories, on each start); one it has, an admin
     * may have renamed or timed, and it is left as it is.
     */
    public Mono<Long> seed(List<Category> categories) {
        return Flux.fromIterable(categories).filter(c -> c.id() != null && ID.matcher(c.id()).matches())
                .concatMap(c -> mongo.insert(c).map(added -> 1L)
                        .onErrorResume(org.springframework.dao.DuplicateKeyException.class, e -> Mono.just(0L)))
                .reduce(0L, Long::sum);
    }
}

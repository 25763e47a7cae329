package org.civicbot.bot.incident;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.civicbot.bot.announcement.Catalogue;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The automation rules, kept in the store and edited by admins; the first start writes one per
 * {@code civicbot.incident-routing} entry. A new incident takes the first enabled rule it matches, in order.
 */
public class Rules {

    static final Pattern ID = Pattern.compile("[a-z0-9_]{1,40}");

    private final ReactiveMongoTemplate mongo;
    private final Categories categories;
    private final Catalogue catalogue;

    /**
     * @param categories to match a subcategory by its parent's rule; null: exact categories only
     * @param catalogue the town's named areas; null: rules on an area never match
     */
    public Rules(ReactiveMongoTemplate mongo, Categories categories, Catalogue catalogue) {
        this.mongo = mongo;
        this.categories = categories;
        this.catalogue = catalogue;
    }

    /** A rule that cannot be saved as it is; the message says what to change. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message);
        }
    }

    /** Every rule, in the order they are tried. */
    public Flux<Rule> all() {
        return mongo.find(new Query().with(Sort.by("position", "_id")), Rule.class);
    }

    /** Checks a rule's shape (names that must exist are the caller's to check) and saves it. */
    public Mono<Rule> save(Rule rule) {
        List<String> problems = new ArrayList<>();
        if (rule.id() == null || !ID.matcher(rule.id()).matches()) {
            problems.add("id must be 1 to 40 lower-case letters, digits or _");
        }
        if (rule.name() != null && rule.name().length() > 120) {
            problems.add("name may have at most 120 characters");
        }
        Rule.Then then = rule.then();
        if (then.department() == null && then.assignee() == null && then.organisation() == null
                && then.priority() == null && then.status() == null && !then.email()) {
            problems.add("then must do something: department, assignee, organisation, priority, status or email");
        }
        if (then.status() != null && then.status() != IncidentStatus.IN_PROGRESS) {
            problems.add("then.status may only be IN_PROGRESS");
        }
        if (rule.when().words().size() > 50) {
            problems.add("when.words may have at most 50 words");
        }
        if (!problems.isEmpty()) {
            return Mono.error(new Invalid(String.join("; ", problems)));
        }
        return mongo.save(rule);
    }

    public Mono<Boolean> delete(String id) {
        return mongo.remove(query(where("_id").is(id)), Rule.class).map(r -> r.getDeletedCount() > 0);
    }

    /** Writes one rule per category-to-department entry, on the first start only (an empty store stays empty). */
    public Mono<Long> seed(Map<String, String> departmentByCategory) {
        return org.civicbot.bot.Seeds.once(mongo, "rules", mongo.count(new Query(), Rule.class).flatMap(count -> count > 0 ? Mono.just(0L)
                : Flux.fromIterable(new java.util.TreeMap<>(departmentByCategory).entrySet())
                        .index()
                        .concatMap(e -> mongo.insert(new Rule(e.getT2().getKey() + "_to_" + e.getT2().getValue(),
                                        "civicbot.incident-routing." + e.getT2().getKey(), (int) (e.getT1() + 1) * 10,
                                        true, new Rule.When(e.getT2().getKey(), null, null, List.of()),
                                        new Rule.Then(e.getT2().getValue(), null, null, null, null, false)))
                                .onErrorResume(org.springframework.dao.DuplicateKeyException.class,
                                        x -> Mono.empty()))
                        .count()));
    }

    /** The first enabled rule a new incident matches, if any. */
    public Mono<Optional<Rule>> firstMatch(String category, Source source, String description,
            Incident.Location location) {
        Mono<String> parent = categories == null || category == null ? Mono.just("")
                : categories.byId(category).map(c -> c.parent() == null ? "" : c.parent()).defaultIfEmpty("");
        Mono<List<String>> areas = catalogue == null || location == null || location.latitude() == null
                ? Mono.just(List.of())
                : catalogue.areasAt(location.latitude(), location.longitude()).map(a -> a.id()).collectList();
        return Mono.zip(parent, areas).flatMap(t -> all()
                .filter(rule -> rule.enabled())
                .filter(rule -> matches(rule.when(), category, t.getT1(), source, description, t.getT2()))
                .next().map(Optional::of).defaultIfEmpty(Optional.empty()));
    }

    static boolean matches(Rule.When when, String category, String parent, Source source, String description,
            List<String> areas) {
        return (when.category() == null || when.category().equals(category) || when.category().equals(parent))
                && (when.source() == null || when.source() == source)
                && (when.area() == null || areas.contains(when.area()))
                && when.says(description);
    }
}

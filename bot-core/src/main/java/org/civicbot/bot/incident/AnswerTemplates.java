package org.civicbot.bot.incident;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.civicbot.flows.Language;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The answer templates admins keep; the first start writes a few a town hall uses every day. */
public class AnswerTemplates {

    static final Pattern ID = Pattern.compile("[a-z0-9_]{1,40}");
    static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");
    public static final Set<String> PLACEHOLDERS = Set.of("code", "address", "category", "date");

    /**
     * The templates the first start writes, for admins to change: {@code answer-templates.json} beside this class,
     * with their names in the town's language ({@code language}).
     */
    static List<AnswerTemplate> defaults(Language language) {
        try (java.io.InputStream in = AnswerTemplates.class.getResourceAsStream("answer-templates.json")) {
            org.bson.Document root = org.bson.Document.parse(new String(in.readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8));
            List<AnswerTemplate> templates = new ArrayList<>();
            for (org.bson.Document t : root.getList("templates", org.bson.Document.class)) {
                org.bson.Document names = t.get("name", org.bson.Document.class);
                org.bson.Document texts = t.get("texts", org.bson.Document.class);
                Map<String, String> byLanguage = new java.util.LinkedHashMap<>();
                texts.forEach((code, text) -> byLanguage.put(code, (String) text));
                templates.add(new AnswerTemplate(t.getString("id"), names.getString(language.code()),
                        t.getString("status") == null ? null : IncidentStatus.valueOf(t.getString("status")),
                        t.getString("outcome") == null ? null : Outcome.valueOf(t.getString("outcome")), byLanguage));
            }
            return templates;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("answer-templates.json is part of the build", e);
        }
    }

    private final ReactiveMongoTemplate mongo;

    public AnswerTemplates(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** A template that cannot be saved as it is; the message says what to change. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message);
        }
    }

    public Flux<AnswerTemplate> all() {
        return mongo.find(new Query().with(Sort.by("name")), AnswerTemplate.class);
    }

    /** Those that fit a step: a note's (no step) when {@code status} is null, else that step's and outcome's. */
    public Flux<AnswerTemplate> forStep(IncidentStatus status, Outcome outcome) {
        return all().filter(t -> status == null ? t.status() == null
                : status == t.status() && (t.outcome() == null || t.outcome() == outcome || outcome == null));
    }

    public Mono<AnswerTemplate> save(AnswerTemplate template) {
        List<String> problems = new ArrayList<>();
        if (template.id() == null || !ID.matcher(template.id()).matches()) {
            problems.add("id must be 1 to 40 lower-case letters, digits or _");
        }
        if (template.name() == null || template.name().isBlank() || template.name().length() > 80) {
            problems.add("name must have 1 to 80 characters");
        }
        if (template.outcome() != null && template.status() != IncidentStatus.CLOSED) {
            problems.add("only a closing template (status CLOSED) has an outcome");
        }
        if (template.outcome() == Outcome.DUPLICATE) {
            problems.add("merging tells the citizen itself; DUPLICATE takes no template");
        }
        for (Language language : Language.values()) {
            String text = template.texts().get(language.code());
            if (text == null || text.isBlank()) {
                problems.add("texts." + language.code() + " is missing");
            } else if (text.length() > IncidentDesk.MAX_NOTE_LENGTH) {
                problems.add("texts." + language.code() + " has more than " + IncidentDesk.MAX_NOTE_LENGTH
                        + " characters");
            } else {
                Matcher m = PLACEHOLDER.matcher(text);
                while (m.find()) {
                    if (!PLACEHOLDERS.contains(m.group(1))) {
                        problems.add("texts." + language.code() + " has {" + m.group(1)
                                + "}; the placeholders are {code}, {address}, {category} and {date}");
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            return Mono.error(new Invalid(String.join("; ", problems)));
        }
        return mongo.save(template);
    }

    public Mono<Boolean> delete(String id) {
        return mongo.remove(query(where("_id").is(id)), AnswerTemplate.class).map(r -> r.getDeletedCount() > 0);
    }

    /** Writes the defaults on the first start only (templates an admin deleted stay deleted). */
    public Mono<Long> seed() {
        return org.civicbot.bot.Seeds.once(mongo, "answer_templates", mongo.count(new Query(), AnswerTemplate.class)
                .flatMap(count -> count > 0 ? Mono.just(0L)
                : Flux.fromIterable(defaults(Language.DEFAULT)).concatMap(t -> mongo.insert(t)
                        .onErrorResume(org.springframework.dao.DuplicateKeyException.class, e -> Mono.empty()))
                        .count()));
    }
}

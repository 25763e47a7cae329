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

    /** Written on the first start, for admins to change. */
    static final List<AnswerTemplate> DEFAULTS = List.of(
            new AnswerTemplate("resolved_thanks", "Resolta, gràcies", IncidentStatus.CLOSED, Outcome.POSITIVE, Map.of(
                    "ca", "L'hem resolta el {date}. Gràcies per ajudar-nos a tenir cura de la ciutat!",
                    "es", "La hemos resuelto el {date}. ¡Gracias por ayudarnos a cuidar la ciudad!",
                    "en", "We fixed it on {date}. Thank you for helping us look after the town!")),
            new AnswerTemplate("not_ours", "No és competència municipal", IncidentStatus.CLOSED,
                    Outcome.NOT_OUR_COMPETENCE, Map.of(
                    "ca", "El que ens expliques a {address} no depèn de l'Ajuntament; ho hem fet saber a qui en té la"
                            + " competència.",
                    "es", "Lo que nos explicas en {address} no depende del Ayuntamiento; lo hemos comunicado a quien"
                            + " tiene la competencia.",
                    "en", "What you reported at {address} is not a matter for the town hall; we have passed it to"
                            + " whoever is responsible.")),
            new AnswerTemplate("improper", "Improcedent", IncidentStatus.CLOSED, Outcome.IMPROPER, Map.of(
                    "ca", "El missatge no descriu cap problema que l'Ajuntament pugui atendre.",
                    "es", "El mensaje no describe ningún problema que el Ayuntamiento pueda atender.",
                    "en", "The message does not describe a problem the town hall can deal with.")),
            new AnswerTemplate("crew_scheduled", "Brigada programada", null, null, Map.of(
                    "ca", "La brigada té programat anar a {address} aquesta setmana.",
                    "es", "La brigada tiene previsto ir a {address} esta semana.",
                    "en", "The crew is scheduled to go to {address} this week.")));

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

    /** Writes the defaults into an empty store (the first start). */
    public Mono<Long> seed() {
        return mongo.count(new Query(), AnswerTemplate.class).flatMap(count -> count > 0 ? Mono.just(0L)
                : Flux.fromIterable(DEFAULTS).concatMap(t -> mongo.insert(t)
                        .onErrorResume(org.springframework.dao.DuplicateKeyException.class, e -> Mono.empty()))
                        .count());
    }
}

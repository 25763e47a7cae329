package org.civicbot.bot.announcement;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.civicbot.flows.Language;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The notice topics and the areas of the town that staff keep. A first start gets a catalogue of the topics town
 * halls usually announce, which staff change as they like; areas start empty (the whole town).
 */
public class Catalogue {

    /** Ids are short and safe in a chat button's data and a URL. */
    public static final Pattern ID = Pattern.compile("[a-z0-9_]{2,40}");

    /** The topics a new town hall starts with. */
    static final List<Topic> DEFAULT_TOPICS = List.of(
            new Topic("waste", Map.of("ca", "Recollida de residus", "es", "Recogida de residuos",
                    "en", "Waste collection")),
            new Topic("roadworks", Map.of("ca", "Obres i talls de trànsit", "es", "Obras y cortes de tráfico",
                    "en", "Road works and closures")),
            new Topic("supply_cuts", Map.of("ca", "Talls d'aigua i de llum", "es", "Cortes de agua y luz",
                    "en", "Water and power cuts")),
            new Topic("events", Map.of("ca", "Activitats i festes", "es", "Actividades y fiestas",
                    "en", "Events and festivals")),
            new Topic("alerts", Map.of("ca", "Alertes meteorològiques i de protecció civil",
                    "es", "Alertas meteorológicas y de protección civil",
                    "en", "Weather and civil protection alerts")));

    private final ReactiveMongoTemplate mongo;

    public Catalogue(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** A topic or an area that cannot be kept as given; the message says what to change. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message);
        }
    }

    /** Puts the default topics in place when there are none yet. */
    public Mono<Void> seedTopics() {
        return mongo.count(new Query(), Topic.class)
                .flatMap(count -> count > 0 ? Mono.empty() : Flux.fromIterable(DEFAULT_TOPICS)
                        .concatMap(topic -> mongo.save(topic)).then());
    }

    public Flux<Topic> topics() {
        return mongo.find(new Query().with(Sort.by("_id")), Topic.class);
    }

    public Mono<Topic> topic(String id) {
        return mongo.findById(id, Topic.class);
    }

    /** Adds a topic, or changes its labels; every language is required. */
    public Mono<Topic> save(Topic topic) {
        if (topic.id() == null || !ID.matcher(topic.id()).matches()) {
            return Mono.error(new Invalid("id must be 2 to 40 lower-case letters, digits or underscores"));
        }
        for (Language language : Language.values()) {
            String label = topic.labels().get(language.code());
            if (label == null || label.isBlank() || label.length() > 60) {
                return Mono.error(new Invalid("labels need a text of 1 to 60 characters in " + language.code()));
            }
        }
        return mongo.save(topic);
    }

    public Flux<NamedArea> areas() {
        return mongo.find(new Query().with(Sort.by("name")), NamedArea.class);
    }

    public Mono<NamedArea> area(String id) {
        return mongo.findById(id, NamedArea.class);
    }

    /** Adds an area, or changes it; its geometry must be a GeoJSON Polygon or MultiPolygon. */
    public Mono<NamedArea> save(NamedArea area) {
        if (area.id() == null || !ID.matcher(area.id()).matches()) {
            return Mono.error(new Invalid("id must be 2 to 40 lower-case letters, digits or underscores"));
        }
        if (area.name() == null || area.name().isBlank() || area.name().length() > 60) {
            return Mono.error(new Invalid("name must have 1 to 60 characters"));
        }
        try {
            GeoJson.area(area.geometry() == null ? "null" : area.geometry());
        } catch (IllegalArgumentException e) {
            return Mono.error(new Invalid("geometry must be a GeoJSON Polygon or MultiPolygon: " + e.getMessage()));
        }
        return mongo.save(area);
    }

    /** The areas a place lies in. */
    public Flux<NamedArea> areasAt(double latitude, double longitude) {
        return areas().filter(area -> {
            try {
                return GeoJson.area(area.geometry()).contains(latitude, longitude);
            } catch (IllegalArgumentException e) {
                return false;
            }
        });
    }

    /** Whether a topic exists. */
    public Mono<Boolean> hasTopic(String id) {
        return mongo.exists(query(where("_id").is(id)), Topic.class);
    }
}

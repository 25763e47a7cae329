package org.civicbot.bot.incident;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Duration;
import java.util.Comparator;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import reactor.core.publisher.Flux;

/**
 * Open incidents that may be the same problem as one staff are looking at, to merge: of the same category, reported
 * within {@link #WINDOW} of it and, when it has a place, within {@link #RADIUS_METERS} of it; the nearest first.
 */
public class SimilarIncidents {

    static final double RADIUS_METERS = 150;
    static final Duration WINDOW = Duration.ofDays(30);
    static final int MAX = 5;

    private final ReactiveMongoTemplate mongo;

    public SimilarIncidents(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** The incident's likely duplicates, each with how far it is (metres; -1 when either has no place). */
    public Flux<Similar> of(Incident incident) {
        if (incident.category() == null) {
            return Flux.empty();
        }
        Incident.Location here = incident.location();
        boolean placed = here != null && here.latitude() != null && here.longitude() != null;
        var criteria = where("category").is(incident.category()).and("code").ne(incident.code())
                .and("status").ne(IncidentStatus.CLOSED.name())
                .and("createdAt").gte(incident.createdAt().minus(WINDOW)).lte(incident.createdAt().plus(WINDOW));
        if (placed) {
            double dLat = Math.toDegrees(RADIUS_METERS / Incidents.EARTH_RADIUS_METERS);
            double dLon = dLat / Math.max(0.01, Math.cos(Math.toRadians(here.latitude())));
            criteria = criteria.and("location.latitude").gte(here.latitude() - dLat).lte(here.latitude() + dLat)
                    .and("location.longitude").gte(here.longitude() - dLon).lte(here.longitude() + dLon);
        }
        return mongo.find(query(criteria).limit(50), Incident.class)
                .map(other -> new Similar(other, placed ? Math.round(Incidents.meters(here.latitude(),
                        here.longitude(), other.location().latitude(), other.location().longitude())) : -1))
                .filter(s -> !placed || s.meters() <= RADIUS_METERS)
                .sort(Comparator.comparingLong(Similar::meters).thenComparing(s -> s.incident().createdAt()))
                .take(MAX);
    }

    /** An incident that may be the same problem, and how far it is in metres (-1: unknown). */
    public record Similar(Incident incident, long meters) {}
}

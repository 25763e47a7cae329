package org.civicbot.bot.incident;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Instant;
import java.time.ZoneId;
import org.bson.Document;
import org.civicbot.flows.RequestType;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.publisher.Mono;

/**
 * Allocates incident codes {@code INC-<year>-<6 digits>} from one atomic counter per year, so that two
 * reports at the same moment, on any app instance, never get the same code.
 */
public class IncidentCodes {

    static final String COLLECTION = "counters";

    private final ReactiveMongoTemplate mongo;
    private final ZoneId zone;

    /** @param zone the town hall's time zone: the year of a code is the local year */
    public IncidentCodes(ReactiveMongoTemplate mongo, ZoneId zone) {
        this.mongo = mongo;
        this.zone = zone;
    }

    public Mono<String> next(Instant at) {
        return next(RequestType.INCIDENT, at);
    }

    /** The next code of a type of request: each type counts on its own ({@code SUG-2026-000001}). */
    public Mono<String> next(RequestType type, Instant at) {
        int year = at.atZone(zone).getYear();
        String counter = type == RequestType.INCIDENT ? "incident-" + year : type.wireName() + "-" + year;
        return mongo.findAndModify(query(where("_id").is(counter)), new Update().inc("seq", 1L),
                        FindAndModifyOptions.options().upsert(true).returnNew(true), Document.class, COLLECTION)
                .map(doc -> format(type, year, ((Number) doc.get("seq")).longValue()));
    }

    static String format(RequestType type, int year, long seq) {
        return String.format("%s-%d-%06d", type.prefix(), year, seq);
    }
}

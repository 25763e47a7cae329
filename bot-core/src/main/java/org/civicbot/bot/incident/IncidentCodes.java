package org.civicbot.bot.incident;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Instant;
import java.time.ZoneId;
import org.bson.Document;
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
        int year = at.atZone(zone).getYear();
        return mongo.findAndModify(query(where("_id").is("incident-" + year)), new Update().inc("seq", 1L),
                        FindAndModifyOptions.options().upsert(true).returnNew(true), Document.class, COLLECTION)
                .map(doc -> format(year, ((Number) doc.get("seq")).longValue()));
    }

    static String format(int year, long seq) {
        return String.format("INC-%d-%06d", year, seq);
    }
}

package org.civicbot.backoffice.staff;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.data.annotation.Id;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The incident list's filters each staff member saved under a name, to open again in one click; theirs only. */
@Service
public class SavedFilters {

    public static final int MAX_PER_PERSON = 30;
    public static final int MAX_NAME_LENGTH = 60;
    /** A query of the list as the page writes it: form-encoded parameters only. */
    private static final Pattern QUERY = Pattern.compile("[A-Za-z0-9_.~%=&+*-]{0,1000}");

    private final ReactiveMongoTemplate mongo;
    private final Clock clock;

    SavedFilters(ReactiveMongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
    }

    /**
     * A saved filter.
     *
     * @param query the list's query string, encoded ({@code status=NEW&department=parks}); empty: the default list
     */
    @org.springframework.data.mongodb.core.mapping.Document("saved_filters")
    public record SavedFilter(@Id String id, String username, String name, String query, Instant createdAt) {}

    /** A filter that cannot be saved, with why. */
    public static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message);
        }
    }

    public Flux<SavedFilter> of(String username) {
        return mongo.find(query(where("username").is(username)).with(Sort.by("name")), SavedFilter.class);
    }

    /** Saves the filter; one of the same name is replaced. */
    public Mono<SavedFilter> save(String username, String name, String query) {
        String cleanName = name == null ? "" : name.strip();
        String cleanQuery = query == null ? "" : query.strip();
        if (cleanName.isEmpty() || cleanName.length() > MAX_NAME_LENGTH) {
            return Mono.error(new Invalid("give the filter a name of at most " + MAX_NAME_LENGTH + " characters"));
        }
        if (!QUERY.matcher(cleanQuery).matches()) {
            return Mono.error(new Invalid("that is not a filter of the incident list"));
        }
        return mongo.findOne(query(where("username").is(username).and("name").is(cleanName)), SavedFilter.class)
                .map(SavedFilter::id)
                .switchIfEmpty(mongo.count(query(where("username").is(username)), SavedFilter.class)
                        .flatMap(count -> count >= MAX_PER_PERSON ? Mono.error(new Invalid("you have "
                                + MAX_PER_PERSON + " saved filters: delete one first"))
                                : Mono.just(UUID.randomUUID().toString())))
                .flatMap(id -> mongo.save(new SavedFilter(id, username, cleanName, cleanQuery, clock.instant())));
    }

    /** Deletes one of the person's filters; false when they have none with that id. */
    public Mono<Boolean> delete(String username, String id) {
        return mongo.remove(query(where("_id").is(id).and("username").is(username)), SavedFilter.class)
                .map(result -> result.getDeletedCount() > 0);
    }
}

package org.civicbot.backoffice.query;

import static org.springframework.data.mongodb.core.query.Criteria.where;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.civicbot.backoffice.staff.Scope;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.inbound.InboundRecord;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.IncidentStatus;
import org.civicbot.bot.incident.Priority;
import org.civicbot.bot.incident.Source;
import org.civicbot.flows.RequestType;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/** Incidents and photos as a staff member may see them. */
@Service
public class IncidentQueries {

    public static final int MAX_PAGE_SIZE = 200;

    private final ReactiveMongoTemplate mongo;

    IncidentQueries(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    /**
     * What to look for; null or blank fields do not filter.
     *
     * @param q free text, matched case-insensitively in the code, description and address
     * @param from created at or after
     * @param to created before
     */
    /**
     * @param type an incident, a suggestion, a complaint or a question; null: all
     * @param priority only those of this priority (NORMAL includes those without one)
     * @param overdueAt only those still open whose due time is before this instant (now, for "overdue")
     */
    public record Filter(List<IncidentStatus> status, String category, Source source, String department,
            Instant from, Instant to, String q, RequestType type, Priority priority, Instant overdueAt) {

        public Filter(List<IncidentStatus> status, String category, Source source, String department,
                Instant from, Instant to, String q) {
            this(status, category, source, department, from, to, q, null, null, null);
        }

        public Filter(List<IncidentStatus> status, String category, Source source, String department,
                Instant from, Instant to, String q, RequestType type) {
            this(status, category, source, department, from, to, q, type, null, null);
        }
    }

    /** A page of results and how many there are in all. */
    public record Found(List<Incident> items, long total) {}

    public Mono<Found> find(Scope scope, Filter filter, int page, int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "page must be 0 or more and size between 1 and " + MAX_PAGE_SIZE));
        }
        Query query = query(scope, filter);
        Mono<Long> total = mongo.count(Query.of(query), Incident.class);
        Mono<List<Incident>> items = mongo.find(Query.of(query).with(Sort.by(Sort.Direction.DESC, "createdAt"))
                .skip((long) page * size).limit(size), Incident.class).collectList();
        return Mono.zip(items, total).map(t -> new Found(t.getT1(), t.getT2()));
    }

    /** Every incident the filter finds that the staff member may see, newest first, as the store hands them over. */
    public reactor.core.publisher.Flux<Incident> stream(Scope scope, Filter filter) {
        return mongo.find(query(scope, filter).with(Sort.by(Sort.Direction.DESC, "createdAt")), Incident.class);
    }

    /**
     * The town's incidents (not suggestions, complaints or questions) for its open data feeds (Open311): the filter's,
     * or those of the codes when some are given, newest first, at most {@code limit}. No staff scope: the feed
     * decides what of each it shows.
     */
    public reactor.core.publisher.Flux<Incident> published(Filter filter, List<String> codes, int limit) {
        Query query = codes.isEmpty() ? query(null, new Filter(filter.status(), filter.category(), null, null,
                filter.from(), filter.to(), null, RequestType.INCIDENT))
                : Query.query(where("code").in(codes).and("type").is(null));
        return mongo.find(query.with(Sort.by(Sort.Direction.DESC, "createdAt")).limit(limit), Incident.class);
    }

    /** @param scope whose incidents; null for the town's, whoever asks */
    private Query query(Scope scope, Filter filter) {
        List<Criteria> filters = new ArrayList<>();
        if (scope == null) {
            // An open data feed: it picks the fields it shows.
        } else if (scope.supplier()) {
            filters.add(where("organisation").is(scope.organisation() == null ? "\u0000none" : scope.organisation()));
        } else if (!scope.seesAll()) {
            filters.add(new Criteria().orOperator(where("department").in(scope.departments()),
                    where("department").is(null), where("assignee").is(scope.username())));
        }
        if (filter.department() != null && !filter.department().isBlank()) {
            filters.add(where("department").is(filter.department()));
        }
        if (filter.status() != null && !filter.status().isEmpty()) {
            filters.add(where("status").in(filter.status()));
        }
        if (filter.category() != null && !filter.category().isBlank()) {
            filters.add(where("category").is(filter.category()));
        }
        if (filter.type() != null) {
            // Incidents are stored without a type (those from before there were others, too).
            filters.add(filter.type() == RequestType.INCIDENT ? where("type").is(null)
                    : where("type").is(filter.type().name()));
        }
        if (filter.priority() != null) {
            filters.add(filter.priority() == Priority.NORMAL
                    ? new Criteria().orOperator(where("priority").is(Priority.NORMAL), where("priority").is(null))
                    : where("priority").is(filter.priority()));
        }
        if (filter.overdueAt() != null) {
            filters.add(where("status").ne(IncidentStatus.CLOSED).and("dueAt").lt(filter.overdueAt()));
        }
        if (filter.source() != null) {
            filters.add(where("source").is(filter.source()));
        }
        if (filter.from() != null) {
            filters.add(where("createdAt").gte(filter.from()));
        }
        if (filter.to() != null) {
            filters.add(where("createdAt").lt(filter.to()));
        }
        if (filter.q() != null && !filter.q().isBlank()) {
            // No $text on the embedded store: a case-insensitive literal match instead.
            Pattern pattern = Pattern.compile(Pattern.quote(filter.q().strip()), Pattern.CASE_INSENSITIVE);
            filters.add(new Criteria().orOperator(where("code").regex(pattern), where("description").regex(pattern),
                    where("location.address").regex(pattern)));
        }
        return filters.isEmpty() ? new Query() : new Query(new Criteria().andOperator(filters));
    }

    /** The open incidents a conversation's citizen reported (first or again) that the staff member may see. */
    public reactor.core.publisher.Flux<Incident> openOf(Scope scope, String conversationId) {
        return mongo.find(Query.query(new Criteria().orOperator(where("conversationId").is(conversationId),
                                where("reporters").is(conversationId)).and("status").ne(IncidentStatus.CLOSED))
                        .with(Sort.by(Sort.Direction.DESC, "createdAt")).limit(5), Incident.class)
                .filter(i -> scope.canSeeIncident(i.department(), i.assignee(), i.organisation()));
    }

    /**
     * The open incidents assigned to the staff member: overdue ones first (the longest overdue first), then by how
     * soon they are due and how urgent they are, then the oldest.
     */
    public reactor.core.publisher.Flux<Incident> workOf(Scope scope, Instant now) {
        java.util.Comparator<Incident> order = java.util.Comparator
                .comparing((Incident i) -> !i.overdue(now))
                .thenComparing(i -> i.dueAt() == null ? Instant.MAX : i.dueAt())
                .thenComparing(i -> -i.urgency().ordinal())
                .thenComparing(Incident::createdAt);
        return mongo.find(Query.query(where("assignee").is(scope.username()).and("status").ne(IncidentStatus.CLOSED))
                        .limit(MAX_PAGE_SIZE), Incident.class)
                .filter(i -> scope.canSeeIncident(i.department(), i.assignee(), i.organisation()))
                .sort(order);
    }

    /** The incident, if it exists and the staff member may see it; empty otherwise. */
    public Mono<Incident> visible(Scope scope, String code) {
        return mongo.findOne(Query.query(where("code").is(code)), Incident.class)
                .filter(i -> scope.canSeeIncident(i.department(), i.assignee(), i.organisation()));
    }

    /** Of the incidents with these codes, those the staff member may see. */
    public reactor.core.publisher.Flux<Incident> visibleAmong(Scope scope, java.util.Collection<String> codes) {
        return codes.isEmpty() ? reactor.core.publisher.Flux.empty()
                : mongo.find(Query.query(where("code").in(codes)), Incident.class)
                        .filter(i -> scope.canSeeIncident(i.department(), i.assignee(), i.organisation()));
    }

    /** Whether the photo belongs to an incident or a conversation the staff member may see. */
    public Mono<Boolean> photoVisible(Scope scope, String id) {
        Mono<Boolean> viaIncident = mongo.find(Query.query(new Criteria().orOperator(where("photos.id").is(id),
                        where("attachments.id").is(id))), Incident.class)
                .any(i -> scope.canSeeIncident(i.department(), i.assignee(), i.organisation()));
        Mono<Boolean> viaConversation = mongo.find(Query.query(where("photoIds").is(id)), InboundRecord.class)
                .flatMap(r -> mongo.findById(r.conversationId(), Conversation.class))
                .any(c -> scope.canSee(c.department()));
        return viaIncident.flatMap(seen -> seen ? Mono.just(true) : viaConversation);
    }
}

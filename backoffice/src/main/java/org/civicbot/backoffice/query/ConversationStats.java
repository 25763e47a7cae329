package org.civicbot.backoffice.query;

import static org.springframework.data.mongodb.core.query.Criteria.where;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.civicbot.backoffice.staff.Scope;
import org.bson.Document;
import org.civicbot.bot.conversation.ConversationStatus;
import org.civicbot.bot.conversation.ConversationEvent;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * The conversations' figures of a period, as a staff member may see them (the conversations of their departments and
 * of none) and for one department if asked: new conversations, messages in and out (written by staff, or by the
 * bot), handoffs asked for, takeovers, and the time from asking for a person to a person taking over. What was
 * trimmed by {@code civicbot.retention.history} is no longer counted.
 */
@Service
public class ConversationStats {

    private final ReactiveMongoTemplate mongo;

    ConversationStats(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    /**
     * @param conversations conversations that began in the period
     * @param messagesIn messages citizens sent, {@code messagesInByChannel} by channel
     * @param messagesOut replies sent to citizens; {@code messagesByStaff} of them written by staff
     * @param handoffs times a citizen asked for a person; {@code takeovers} times staff took a conversation over
     * @param medianMinutesToTakeover from asking for a person to the next takeover, for those taken over
     */
    public record Figures(long conversations, long messagesIn, Map<String, Long> messagesInByChannel,
            long messagesOut, long messagesByStaff, long handoffs, long takeovers, Double medianMinutesToTakeover,
            Double p90MinutesToTakeover, long waitingNow) {}

    /** A message counted: its conversation, and its channel (in) or author (out). */
    record Counted(String conversationId, String kind) {}

    public Mono<Figures> of(Scope scope, Instant from, Instant to, String department) {
        // Only the fields counted, read as plain documents: never the messages' words in memory.
        Mono<List<Counted>> in = counted("inbound_messages", "receivedAt", "channel", from, to);
        Mono<List<Counted>> out = counted("outbox", "createdAt", "author", from, to);
        Mono<List<ConversationEvent>> events = mongo.find(period("at", from, to)
                .addCriteria(where("type").in("HANDOFF_REQUESTED", "TAKEN_OVER")), ConversationEvent.class)
                .collectList();
        return Mono.zip(in, out, events).flatMap(t -> {
            Set<String> ids = new java.util.HashSet<>();
            t.getT1().forEach(r -> ids.add(r.conversationId()));
            t.getT2().forEach(e -> ids.add(e.conversationId()));
            t.getT3().forEach(e -> ids.add(e.conversationId()));
            // In batches: one query with every id of a busy year would pass a real MongoDB's 16 MB.
            Mono<Set<String>> seen = reactor.core.publisher.Flux.fromIterable(ids).buffer(1000)
                    .concatMap(batch -> departments(Query.query(where("_id").in(batch))))
                    .filter(c -> ours(scope, department, c))
                    .map(c -> c.getString("_id"))
                    .collect(java.util.stream.Collectors.toSet());
            Mono<Long> begun = departments(period("createdAt", from, to)).filter(c -> ours(scope, department, c))
                    .count();
            Mono<Long> waiting = departments(Query.query(where("status").is(ConversationStatus.AWAITING_AGENT.name())))
                    .filter(c -> ours(scope, department, c)).count();
            return Mono.zip(seen, begun, waiting).map(s -> figures(s.getT1(), s.getT2(), s.getT3(), t.getT1(),
                    t.getT2(), t.getT3()));
        });
    }

    private Mono<List<Counted>> counted(String collection, String time, String kind, Instant from, Instant to) {
        Query query = period(time, from, to);
        query.fields().include("conversationId", kind);
        return mongo.find(query, Document.class, collection)
                .map(d -> new Counted(d.getString("conversationId"), d.getString(kind))).collectList();
    }

    /** The conversations the query finds, with their department only. */
    private reactor.core.publisher.Flux<Document> departments(Query query) {
        query.fields().include("department");
        return mongo.find(query, Document.class, "conversations");
    }

    private static boolean ours(Scope scope, String department, Document conversation) {
        String of = conversation.getString("department");
        return scope.canSee(of) && (department == null || department.equals(of));
    }

    static Figures figures(Set<String> seen, long begun, long waiting, List<Counted> in, List<Counted> out,
            List<ConversationEvent> events) {
        Map<String, Long> inByChannel = new TreeMap<>();
        long messagesIn = 0;
        for (Counted r : in) {
            if (seen.contains(r.conversationId())) {
                messagesIn++;
                inByChannel.merge(String.valueOf(r.kind()), 1L, Long::sum);
            }
        }
        long messagesOut = 0;
        long byStaff = 0;
        for (Counted e : out) {
            if (seen.contains(e.conversationId())) {
                messagesOut++;
                if ("STAFF".equals(e.kind())) {
                    byStaff++;
                }
            }
        }
        long handoffs = 0;
        long takeovers = 0;
        Map<String, Instant> asked = new HashMap<>();
        List<Double> minutes = new ArrayList<>();
        List<ConversationEvent> ordered = new ArrayList<>(events);
        ordered.sort(java.util.Comparator.comparing(ConversationEvent::at));
        for (ConversationEvent e : ordered) {
            if (!seen.contains(e.conversationId())) {
                continue;
            }
            if ("HANDOFF_REQUESTED".equals(e.type())) {
                handoffs++;
                asked.putIfAbsent(e.conversationId(), e.at());
            } else {
                takeovers++;
                Instant since = asked.remove(e.conversationId());
                if (since != null) {
                    minutes.add(Duration.between(since, e.at()).toSeconds() / 60.0);
                }
            }
        }
        return new Figures(begun, messagesIn, inByChannel, messagesOut, byStaff, handoffs, takeovers,
                IncidentStats.percentile(minutes, 50), IncidentStats.percentile(minutes, 90), waiting);
    }

    private static Query period(String field, Instant from, Instant to) {
        Criteria criteria = where(field);
        if (from == null && to == null) {
            return new Query();
        }
        if (from != null) {
            criteria = criteria.gte(from);
        }
        if (to != null) {
            criteria = criteria.lt(to);
        }
        return Query.query(criteria);
    }
}

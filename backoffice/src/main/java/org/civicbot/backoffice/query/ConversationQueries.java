package org.civicbot.backoffice.query;

import static org.springframework.data.mongodb.core.query.Criteria.where;

import java.util.List;
import org.civicbot.backoffice.staff.Scope;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.conversation.ConversationStatus;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Conversations as a staff member may see them. */
@Service
public class ConversationQueries {

    public static final int MAX_ITEMS = 500;

    private final ReactiveMongoTemplate mongo;

    private final org.civicbot.bot.privacy.AccessLog accessLog;

    ConversationQueries(ReactiveMongoTemplate mongo, org.civicbot.bot.privacy.AccessLog accessLog) {
        this.mongo = mongo;
        this.accessLog = accessLog;
    }

    /** Conversations in these statuses (all when empty), most recent first. */
    public Flux<Conversation> list(Scope scope, List<ConversationStatus> status) {
        Criteria criteria = status == null || status.isEmpty() ? new Criteria() : where("status").in(status);
        if (!scope.seesAll()) {
            criteria = new Criteria().andOperator(criteria, new Criteria().orOperator(
                    where("department").in(scope.departments()), where("department").is(null)));
        }
        return mongo.find(Query.query(criteria).with(Sort.by(Sort.Direction.DESC, "lastMessageAt")).limit(MAX_ITEMS),
                Conversation.class);
    }

    /** Every conversation in these statuses (all when empty) the staff member may see, most recent first. */
    public Flux<Conversation> stream(Scope scope, List<ConversationStatus> status) {
        Criteria criteria = status == null || status.isEmpty() ? new Criteria() : where("status").in(status);
        return mongo.find(Query.query(criteria).with(Sort.by(Sort.Direction.DESC, "lastMessageAt")),
                Conversation.class).filter(c -> scope.canSee(c.department()));
    }

    /** Which of these conversations the staff member may see. */
    public Mono<java.util.Set<String>> visibleIds(Scope scope, java.util.Collection<String> ids) {
        return mongo.find(Query.query(where("_id").in(ids)), Conversation.class)
                .filter(c -> scope.canSee(c.department()))
                .map(Conversation::id)
                .collect(java.util.stream.Collectors.toSet());
    }

    /** The conversation, if it exists and the staff member may see it; empty otherwise. */
    public Mono<Conversation> visible(Scope scope, String id) {
        return mongo.findById(id, Conversation.class).filter(c -> scope.canSee(c.department()));
    }

    /**
     * The conversation opened to be read by a staff member (its page, or its JSON with the timeline): as
     * {@link #visible}, and noted in the access log when it belongs to a sensitive department.
     *
     * @param how {@code page} or {@code api}
     */
    public Mono<Conversation> opened(Scope scope, String id, String how) {
        return visible(scope, id).flatMap(c -> accessLog.opened(scope.username(), c.id(), c.department(), how)
                .thenReturn(c));
    }
}

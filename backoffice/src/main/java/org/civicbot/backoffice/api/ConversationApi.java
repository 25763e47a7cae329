package org.civicbot.backoffice.api;

import static org.springframework.data.mongodb.core.query.Criteria.where;

import java.time.Instant;
import java.util.List;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.conversation.ConversationStatus;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

/** Conversations for staff and scripts, by status, most recent first. */
@RestController
@RequestMapping("/api/v1")
class ConversationApi {

    static final int MAX_ITEMS = 500;

    private final ReactiveMongoTemplate mongo;

    ConversationApi(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** A conversation as the JSON API shows it; the citizen's phone number or chat id is not in it. */
    record ConversationView(String id, String channel, String status, String assignee, String department,
            Contact contact, Instant lastMessageAt, Instant awaitingSince) {

        record Contact(String displayName) {}

        static ConversationView of(Conversation c) {
            return new ConversationView(c.id(), c.channel().name(), c.status().name(), c.assignee(), c.department(),
                    new Contact(c.contact() == null ? null : c.contact().displayName()), c.lastMessageAt(),
                    c.awaitingSince());
        }
    }

    @GetMapping("/conversations")
    Flux<ConversationView> list(@RequestParam(required = false) List<ConversationStatus> status) {
        Query query = status == null || status.isEmpty() ? new Query() : Query.query(where("status").in(status));
        return mongo.find(query.with(Sort.by(Sort.Direction.DESC, "lastMessageAt")).limit(MAX_ITEMS),
                        Conversation.class)
                .map(ConversationView::of);
    }
}

package org.civicbot.backoffice.api;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.civicbot.backoffice.query.ConversationQueries;
import org.civicbot.backoffice.staff.CurrentStaff;
import org.civicbot.bot.inbound.InboundRecord;
import org.civicbot.bot.outbox.DeliveryStatus;
import org.civicbot.bot.outbox.OutboxEntry;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * What kept failing on the message path, for staff to act on: citizens' messages that could not be
 * processed, and replies that failed or whose send is in doubt. Each names its conversation, where the
 * retry and resend actions are ({@code POST /api/v1/conversations/{id}/retry} and {@code .../resend}).
 */
@RestController
@RequestMapping("/api/v1/delivery-problems")
@Tag(name = "Conversations")
class DeliveryProblemsApi {

    static final int MAX_ITEMS = 200;

    private final ReactiveMongoTemplate mongo;
    private final ConversationQueries conversations;
    private final CurrentStaff staff;

    DeliveryProblemsApi(ReactiveMongoTemplate mongo, ConversationQueries conversations, CurrentStaff staff) {
        this.mongo = mongo;
        this.conversations = conversations;
        this.staff = staff;
    }

    /**
     * @param direction INBOUND (a citizen's message) or OUTBOUND (a reply)
     * @param status FAILED for an inbound message; FAILED, UNDELIVERED or UNKNOWN for a reply
     * @param reason why, without message text
     * @param action the path to POST {@code {"message": id}} to: retry (inbound) or send again (outbound)
     */
    record Problem(String direction, String id, String conversationId, String channel, String status, String reason,
            Instant at, String action) {}

    @GetMapping
    @Operation(summary = "Citizens' messages that could not be processed and replies that failed or may not have "
            + "been sent, newest first, in the caller's scope")
    Mono<List<Problem>> list() {
        Mono<List<Problem>> inbound = mongo.find(query(where("status").is(InboundRecord.Status.FAILED))
                        .with(Sort.by(Sort.Direction.DESC, "receivedAt")).limit(MAX_ITEMS), InboundRecord.class)
                .map(r -> new Problem("INBOUND", r.id(), r.conversationId(), r.channel().name(), r.status().name(),
                        r.note(), r.receivedAt(), "/api/v1/conversations/" + r.conversationId() + "/retry"))
                .collectList();
        Mono<List<Problem>> outbound = mongo.find(query(where("status").in(DeliveryStatus.FAILED,
                                DeliveryStatus.UNDELIVERED, DeliveryStatus.UNKNOWN))
                        .with(Sort.by(Sort.Direction.DESC, "statusAt")).limit(MAX_ITEMS), OutboxEntry.class)
                .map(e -> new Problem("OUTBOUND", e.id(), e.conversationId(), e.channel().name(), e.status().name(),
                        e.lastError(), e.statusAt(), "/api/v1/conversations/" + e.conversationId() + "/resend"))
                .collectList();
        return Mono.zip(inbound, outbound, staff.scope()).flatMap(t -> {
            List<Problem> all = new ArrayList<>(t.getT1());
            all.addAll(t.getT2());
            return conversations.visibleIds(t.getT3(), all.stream().map(Problem::conversationId).toList())
                    .map(visible -> all.stream().filter(p -> visible.contains(p.conversationId()))
                            .sorted(Comparator.comparing(Problem::at, Comparator.nullsLast(Comparator.reverseOrder())))
                            .limit(MAX_ITEMS).toList());
        });
    }
}

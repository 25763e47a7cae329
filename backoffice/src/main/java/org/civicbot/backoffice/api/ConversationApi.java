package org.civicbot.backoffice.api;

import static org.springframework.data.mongodb.core.query.Criteria.where;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.civicbot.backoffice.query.ConversationQueries;
import org.civicbot.bot.FlowRuntime;
import org.civicbot.backoffice.staff.CurrentStaff;
import org.civicbot.backoffice.staff.Scope;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.conversation.ConversationStatus;
import org.civicbot.bot.conversation.StaffDesk;
import org.civicbot.bot.conversation.Timeline;
import org.civicbot.bot.engine.Answer;
import org.civicbot.bot.engine.IncidentDraft;
import org.civicbot.bot.incident.Drafts;
import org.civicbot.bot.incident.PublicPages;
import org.civicbot.bot.inbound.InboundLog;
import org.civicbot.bot.outbox.Outbox;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Conversations for staff: lists by status, one with its timeline, and what staff do with them. An agent
 * sees only the conversations of their departments (and those not yet routed to one); for any other the
 * answer is 404, as if it did not exist.
 */
@RestController
@RequestMapping("/api/v1/conversations")
@Tag(name = "Conversations", description = "Live chats: the queue, takeover, replies, return to the bot")
class ConversationApi {

    static final int MAX_REPLY_LENGTH = 1600;

    private final ConversationQueries queries;
    private final StaffDesk desk;
    private final Timeline timeline;
    private final CurrentStaff staff;
    private final Idempotency idempotency;
    private final FlowRuntime flows;
    private final Outbox outbox;
    private final InboundLog inbound;
    private final Drafts drafts;
    private final PublicPages pages;

    private final java.time.Clock clock;

    ConversationApi(ConversationQueries queries, StaffDesk desk, Timeline timeline, CurrentStaff staff,
            Idempotency idempotency, FlowRuntime flows, Outbox outbox, InboundLog inbound, Drafts drafts,
            PublicPages pages, java.time.Clock clock) {
        this.clock = clock;
        this.drafts = drafts;
        this.pages = pages;
        this.outbox = outbox;
        this.inbound = inbound;
        this.queries = queries;
        this.desk = desk;
        this.timeline = timeline;
        this.staff = staff;
        this.idempotency = idempotency;
        this.flows = flows;
    }

    /**
     * A conversation as the JSON API shows it; the citizen's phone number or chat id is not in it. {@code contactId}
     * is the contact's id for {@code /api/v1/contacts}: a contact is one citizen on one channel, so it is the
     * conversation's id.
     */
    record ConversationView(String id, String channel, String status, String assignee, String department,
            Contact contact, Instant lastMessageAt, Instant awaitingSince, String contactId) {

        record Contact(String displayName) {}

        static ConversationView of(Conversation c) {
            return new ConversationView(c.id(), c.channel().name(), c.status().name(), c.assignee(), c.department(),
                    new Contact(c.contact() == null ? null : c.contact().displayName()), c.lastMessageAt(),
                    c.awaitingSince(), c.id());
        }
    }

    /**
     * A conversation with its whole timeline, and the draft of an incident the citizen had begun with the bot
     * before a person took over (null when there is none).
     */
    record ConversationDetail(ConversationView conversation, List<Timeline.Item> timeline, DraftView draft) {}

    /** What the citizen had told the bot towards an incident; staff may register it. */
    record DraftView(String category, String description, IncidentView.Location location, List<String> photos) {

        static DraftView of(IncidentDraft draft) {
            Answer.Place p = draft.place();
            return new DraftView(draft.category(), draft.description(), p == null ? null
                    : new IncidentView.Location(p.address(), p.latitude(), p.longitude(), p.origin().name()),
                    draft.photoIds().stream().map(id -> "/api/v1/photos/" + id).toList());
        }
    }

    /** Staff's registration of a draft: each field given replaces the draft's. */
    record DraftRegistration(@Size(max = 100) String category, @Size(max = Drafts.MAX_DESCRIPTION_LENGTH) String description,
            @Size(max = Drafts.MAX_ADDRESS_LENGTH) String address) {}

    /**
     * A reply. Outside WhatsApp's 24-hour window free text is refused with 409; with {@code "template": true}
     * the approved reply template goes instead and the text waits for the citizen's answer.
     */
    record Reply(@NotBlank @Size(max = MAX_REPLY_LENGTH) String text, Boolean template) {}

    /**
     * @param node where the bot takes over again ({@code flow/node}); empty: the main menu
     * @param note a short message to the citizen before the bot speaks
     */
    record Release(String node, @Size(max = MAX_REPLY_LENGTH) String note) {}

    @GetMapping
    @Operation(summary = "Conversations by status, most recent first")
    Flux<ConversationView> list(@RequestParam(required = false) List<ConversationStatus> status) {
        return staff.scope().flatMapMany(scope -> queries.list(scope, status)).map(ConversationView::of);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One conversation with its timeline")
    Mono<ConversationDetail> get(@PathVariable String id) {
        return staff.scope().flatMap(scope -> queries.opened(scope, id, "api")
                        .switchIfEmpty(Mono.error(new StaffDesk.NotFound(id))))
                .flatMap(c -> timeline.of(c.id()).map(t -> new ConversationDetail(ConversationView.of(c), t,
                Drafts.of(c, flows.get().flows()).map(DraftView::of).orElse(null))));
    }

    @PostMapping("/{id}/incident")
    @Operation(summary = "Register as an incident what the citizen had told the bot before a person took over; "
            + "fields given replace the draft's. The citizen is told the code. 409 when there is no draft")
    Mono<ResponseEntity<IncidentView>> registerDraft(@PathVariable String id,
            @Valid @RequestBody(required = false) DraftRegistration body) {
        DraftRegistration given = body == null ? new DraftRegistration(null, null, null) : body;
        return visibleWithScope(id)
                .flatMap(v -> drafts.register(id, new Drafts.Registration(given.category(), given.description(),
                        given.address()), v.scope().username()))
                .flatMap(incident -> pages.urlOf(incident).map(url -> ResponseEntity.status(HttpStatus.CREATED)
                        .body(IncidentView.of(incident, url, clock.instant()))));
    }

    @PostMapping("/{id}/takeover")
    @Operation(summary = "Take the conversation over; 409 names who has it if someone else was first")
    Mono<ConversationView> takeover(@PathVariable String id) {
        return visibleWithScope(id).flatMap(v -> desk.takeOver(id, v.scope().username())).map(ConversationView::of);
    }

    @PostMapping("/{id}/messages")
    @Operation(summary = "Reply through the citizen's channel; the same Idempotency-Key sends once")
    Mono<ResponseEntity<Object>> reply(@PathVariable String id, @Valid @RequestBody Reply reply,
            @RequestHeader(name = Idempotency.HEADER, required = false) String key) {
        return visibleWithScope(id).flatMap(v -> {
            String user = v.scope().username();
            String effectiveKey = key == null || key.isBlank() ? UUID.randomUUID().toString() : key;
            return idempotency.once(user, "POST /conversations/" + id + "/messages", key,
                    () -> desk.reply(id, user, reply.text().strip(), effectiveKey, Boolean.TRUE.equals(reply.template()))
                            .map(messageId -> ResponseEntity.status(HttpStatus.CREATED)
                                    .body(new LinkedHashMap<>(Map.of("id", messageId)))));
        });
    }

    @PostMapping("/{id}/release")
    @Operation(summary = "Hand the conversation back to the bot, at the main menu or a node")
    Mono<ConversationView> release(@PathVariable String id, @Valid @RequestBody(required = false) Release release) {
        Optional<String> node = Optional.ofNullable(release).map(Release::node).filter(n -> !n.isBlank());
        Optional<String> note = Optional.ofNullable(release).map(Release::note).filter(n -> !n.isBlank());
        // Checked here, so that the desk's IllegalArgumentException is never the only word on it.
        if (node.isPresent() && !flows.get().hasNode(node.get())) {
            return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST, "no node " + node.get() + " in the flows"));
        }
        return visibleWithScope(id)
                .flatMap(v -> desk.release(id, new StaffDesk.Actor(v.scope().username(), v.scope().seesAll()), node, note))
                .map(ConversationView::of);
    }

    @PostMapping("/{id}/close")
    @Operation(summary = "Close the conversation; the citizen's next message starts with the bot")
    Mono<ConversationView> close(@PathVariable String id) {
        return visibleWithScope(id)
                .flatMap(v -> desk.close(id, new StaffDesk.Actor(v.scope().username(), v.scope().seesAll())))
                .map(ConversationView::of);
    }

    /** Names a stored message of the conversation (its id as the timeline gives it). */
    record MessageRef(@NotBlank String message) {}

    @PostMapping("/{id}/resend")
    @Operation(summary = "Send again a reply that failed or whose send may not have happened (UNKNOWN); "
            + "the citizen may get it twice, so a person decides. 409 when it is in no such state")
    Mono<Map<String, Object>> resend(@PathVariable String id, @Valid @RequestBody MessageRef ref) {
        String entryId = ref.message();
        return visibleWithScope(id)
                .flatMap(v -> outbox.resend(id, entryId, v.scope().username()))
                .map(entry -> Map.<String, Object>of("id", entry.id(), "status", entry.status().name()))
                .switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.CONFLICT,
                        "message " + entryId + " did not fail and its send is not in doubt: nothing to send again")));
    }

    @PostMapping("/{id}/retry")
    @Operation(summary = "Process again a citizen's message that failed repeatedly; 409 when it did not fail")
    Mono<Map<String, Object>> retry(@PathVariable String id, @Valid @RequestBody MessageRef ref) {
        String inboundId = ref.message();
        return visibleWithScope(id)
                .flatMap(v -> inbound.retry(id, inboundId))
                .map(record -> Map.<String, Object>of("id", record.id(), "status", record.status().name()))
                .switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.CONFLICT,
                        "message " + inboundId + " did not fail: nothing to process again")));
    }

    private record Visible(Conversation conversation, Scope scope) {}

    private Mono<Visible> visibleWithScope(String id) {
        return staff.scope().flatMap(scope -> queries.visible(scope, id)
                .switchIfEmpty(Mono.error(new StaffDesk.NotFound(id)))
                .map(c -> new Visible(c, scope)));
    }

    private Mono<Conversation> visible(String id) {
        return visibleWithScope(id).map(Visible::conversation);
    }
}

package org.civicbot.backoffice.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.civicbot.backoffice.query.ConversationQueries;
import org.civicbot.backoffice.staff.CurrentStaff;
import org.civicbot.backoffice.staff.Department;
import org.civicbot.backoffice.staff.Departments;
import org.civicbot.backoffice.staff.Scope;
import org.civicbot.bot.FlowRuntime;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.conversation.ConversationStatus;
import org.civicbot.bot.conversation.OutboundPolicy;
import org.civicbot.bot.conversation.StaffDesk;
import org.civicbot.bot.conversation.Timeline;
import org.civicbot.bot.engine.Answer;
import org.civicbot.bot.engine.IncidentDraft;
import org.civicbot.bot.inbound.InboundLog;
import org.civicbot.bot.incident.Drafts;
import org.civicbot.bot.incident.IncidentDesk;
import org.civicbot.bot.outbox.Outbox;
import org.civicbot.bot.live.LiveFeed;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One conversation: its whole timeline, live, and what staff do with it (take over, reply, hand back to
 * the bot, close). A conversation the staff member may not see answers 404, as if it did not exist.
 */
@Controller
class ConversationPage {

    static final int MAX_TEXT_LENGTH = 1600;

    private final ConversationQueries queries;
    private final StaffDesk desk;
    private final Timeline timeline;
    private final CurrentStaff staff;
    private final Departments departments;
    private final FlowRuntime flows;
    private final LiveFeed feed;
    private final TownTime time;
    private final java.time.Clock clock;
    private final Outbox outbox;
    private final InboundLog inbound;
    private final OutboundPolicy policy;
    private final Drafts drafts;

    ConversationPage(ConversationQueries queries, StaffDesk desk, Timeline timeline, CurrentStaff staff,
            Departments departments, FlowRuntime flows, LiveFeed feed, TownTime time, java.time.Clock clock,
            Outbox outbox, InboundLog inbound, OutboundPolicy policy, Drafts drafts) {
        this.drafts = drafts;
        this.outbox = outbox;
        this.policy = policy;
        this.inbound = inbound;
        this.queries = queries;
        this.desk = desk;
        this.timeline = timeline;
        this.staff = staff;
        this.departments = departments;
        this.flows = flows;
        this.feed = feed;
        this.time = time;
        this.clock = clock;
    }

    /** The form of a reply; the key is made when the page renders, so a resubmission sends once. */
    record ReplyForm(String text, String idempotencyKey, String template) {}

    /**
     * WhatsApp's 24-hour window, as staff need it: whether free text can go, and until when (or since when not).
     *
     * @param applies false on channels without a window (Telegram)
     */
    record Window(boolean applies, boolean open, String until, String hoursLeft) {}

    record ReleaseForm(String node, String note) {}

    /**
     * What the citizen had told the bot towards an incident before a person took over, for staff to complete and
     * register.
     */
    record DraftRow(String category, String description, String address, Double latitude, Double longitude,
            List<String> photoIds) {

        static DraftRow of(IncidentDraft draft) {
            Answer.Place place = draft.place();
            return new DraftRow(draft.category(), draft.description(), place == null ? null : place.address(),
                    place == null ? null : place.latitude(), place == null ? null : place.longitude(),
                    draft.photoIds());
        }

        public boolean located() {
            return latitude != null && longitude != null;
        }
    }

    record DraftForm(String category, String description, String address) {}

    /** What the page may offer this staff member. */
    record Actions(boolean takeOver, boolean reply, boolean release, boolean close) {}

    /** One line of the timeline as the page shows it. */
    record Line(String id, String at, String author, String kind, String text, List<String> options,
            List<String> photoIds, Double latitude, Double longitude, String staffUser, String status) {

        private static final Set<String> IN_TROUBLE = Set.of("FAILED", "UNDELIVERED", "UNKNOWN");

        static Line of(Timeline.Item item, TownTime time) {
            return new Line(item.id(), time.format(item.at()), item.author(), item.kind(), item.text(),
                    item.options() == null ? List.of() : item.options(),
                    item.photoIds() == null ? List.of() : item.photoIds(), item.latitude(), item.longitude(),
                    item.staffUser(), item.status());
        }

        public boolean located() {
            return latitude != null && longitude != null;
        }

        /** A citizen's message that could not be processed: staff may have it processed again. */
        public boolean retryable() {
            return id != null && "CITIZEN".equals(author) && "FAILED".equals(status);
        }

        /** A reply that failed or may not have arrived: staff may send it again. */
        public boolean resendable() {
            return id != null && !"CITIZEN".equals(author) && IN_TROUBLE.contains(status);
        }
    }

    private record Visible(Conversation conversation, Scope scope) {}

    @GetMapping("/conversations/{id}")
    Mono<String> page(@PathVariable String id, Model model, ServerWebExchange exchange) {
        return opened(id).flatMap(v -> departmentNames().map(names -> {
            Conversation c = v.conversation();
            model.addAttribute("conversation", ConversationRow.of(c, names, time, clock.instant()));
            model.addAttribute("actions", actions(c, v.scope()));
            model.addAttribute("window", window(c));
            model.addAttribute("lines", lines(id));
            model.addAttribute("conversationId", id);
            model.addAttribute("releaseTargets", releaseTargets(staffLanguage(model)));
            model.addAttribute("draft", Drafts.of(c, flows.get().flows()).map(DraftRow::of).orElse(null));
            model.addAttribute("categories", List.copyOf(IncidentDraft.categories(flows.get().flows()).keySet()));
            model.addAttribute("idempotencyKey", UUID.randomUUID().toString());
            model.addAttribute("flash", Flash.take(exchange));
            return "conversation";
        }));
    }

    private Window window(Conversation conversation) {
        java.time.Instant now = clock.instant();
        return policy.windowClosesAt(conversation).map(closes -> new Window(true, now.isBefore(closes),
                time.format(closes), String.valueOf(Math.max(0, java.time.Duration.between(now, closes).toHours()))))
                .orElse(new Window(false, true, "", ""));
    }

    @GetMapping("/conversations/{id}/timeline")
    Mono<String> timeline(@PathVariable String id, Model model) {
        // The messages themselves: an opening, as the page is (the access log keeps one line per reader and while).
        return opened(id).map(v -> {
            model.addAttribute("lines", lines(id));
            model.addAttribute("conversationId", id);
            return "conversation-timeline :: lines";
        });
    }

    /** The header's status and assignee, refreshed with the timeline. */
    @GetMapping("/conversations/{id}/meta")
    Mono<String> meta(@PathVariable String id, Model model) {
        return visible(id).flatMap(v -> departmentNames().map(names -> {
            model.addAttribute("conversation", ConversationRow.of(v.conversation(), names, time, clock.instant()));
            return "conversation :: meta";
        }));
    }

    @GetMapping(path = "/conversations/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @ResponseBody
    Flux<ServerSentEvent<String>> events(@PathVariable String id) {
        return visible(id).flatMapMany(v -> LiveEvents.stream(
                feed.changes().filter(change -> id.equals(change.conversationId())), InboxPage.HEARTBEAT));
    }

    @PostMapping("/conversations/{id}/takeover")
    Mono<String> takeOver(@PathVariable String id, ServerWebExchange exchange) {
        return visible(id).flatMap(v -> desk.takeOver(id, v.scope().username())
                .then(back(id))
                .onErrorResume(StaffDesk.Conflict.class, e -> refused(exchange, id, e)));
    }

    @PostMapping("/conversations/{id}/messages")
    Mono<String> reply(@PathVariable String id, @ModelAttribute ReplyForm form, ServerWebExchange exchange) {
        String text = form.text() == null ? "" : form.text().strip();
        if (text.isEmpty() || text.length() > MAX_TEXT_LENGTH) {
            return visible(id).flatMap(v -> Flash.redirect(exchange,
                    Flash.error("flash.replyLength", String.valueOf(MAX_TEXT_LENGTH)), path(id)));
        }
        String key = form.idempotencyKey() == null || form.idempotencyKey().isBlank()
                ? UUID.randomUUID().toString() : form.idempotencyKey().strip();
        if (key.length() > 200) {
            return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST, "idempotencyKey too long"));
        }
        return visible(id).flatMap(v -> desk.reply(id, v.scope().username(), text, key, "on".equals(form.template()))
                .then(back(id))
                .onErrorResume(StaffDesk.OutsideWindow.class, e -> Flash.redirect(exchange,
                        Flash.error("flash.outsideWindow"), path(id)))
                .onErrorResume(StaffDesk.Conflict.class, e -> refused(exchange, id, e)));
    }

    @PostMapping("/conversations/{id}/release")
    Mono<String> release(@PathVariable String id, @ModelAttribute ReleaseForm form, ServerWebExchange exchange) {
        Optional<String> node = Optional.ofNullable(form.node()).map(String::strip).filter(n -> !n.isEmpty());
        Optional<String> note = Optional.ofNullable(form.note()).map(String::strip).filter(n -> !n.isEmpty());
        if (note.isPresent() && note.get().length() > MAX_TEXT_LENGTH) {
            return visible(id).flatMap(v -> Flash.redirect(exchange,
                    Flash.error("flash.replyLength", String.valueOf(MAX_TEXT_LENGTH)), path(id)));
        }
        if (node.isPresent() && releaseTargets(org.civicbot.flows.Language.DEFAULT).stream()
                .noneMatch(t -> t.ref().equals(node.get()))) {
            return visible(id).flatMap(v -> Flash.redirect(exchange, Flash.error("flash.unknownNode", node.get()),
                    path(id)));
        }
        return visible(id).flatMap(v -> desk.release(id, actor(v.scope()), node, note)
                .then(Flash.redirect(exchange, Flash.ok("flash.released"), path(id)))
                .onErrorResume(StaffDesk.Conflict.class, e -> refused(exchange, id, e))
                .onErrorResume(IllegalArgumentException.class, e -> Flash.redirect(exchange,
                        Flash.error("flash.unknownNode", node.orElse("")), path(id))));
    }

    @PostMapping("/conversations/{id}/close")
    Mono<String> close(@PathVariable String id, ServerWebExchange exchange) {
        return visible(id).flatMap(v -> desk.close(id, actor(v.scope()))
                .then(Flash.redirect(exchange, Flash.ok("flash.closed"), path(id)))
                .onErrorResume(StaffDesk.Conflict.class, e -> refused(exchange, id, e)));
    }

    @PostMapping("/conversations/{id}/incident")
    Mono<String> registerDraft(@PathVariable String id, @ModelAttribute DraftForm form, ServerWebExchange exchange) {
        String category = form.category() == null ? "" : form.category().strip();
        String description = form.description() == null ? "" : form.description().strip();
        if (!IncidentDraft.categories(flows.get().flows()).containsKey(category)) {
            return visible(id).flatMap(v -> Flash.redirect(exchange, Flash.error("flash.draftCategory"), path(id)));
        }
        if (description.isEmpty() || description.length() > Drafts.MAX_DESCRIPTION_LENGTH) {
            return visible(id).flatMap(v -> Flash.redirect(exchange,
                    Flash.error("flash.draftDescription", String.valueOf(Drafts.MAX_DESCRIPTION_LENGTH)), path(id)));
        }
        return visible(id).flatMap(v -> drafts.register(id, new Drafts.Registration(category, description,
                        form.address()), v.scope().username())
                .flatMap(incident -> Flash.redirect(exchange, Flash.ok("flash.draftRegistered", incident.code()),
                        "/incidents/" + incident.code()))
                .onErrorResume(IncidentDesk.Refused.class, e -> Flash.redirect(exchange, Flash.error("flash.noDraft"),
                        path(id)))
                .onErrorResume(Drafts.Invalid.class, e -> Flash.redirect(exchange, Flash.error("flash.refused",
                        e.getMessage()), path(id))));
    }

    /** A stored message of the conversation, named by a form. */
    record MessageForm(String message) {}

    @PostMapping("/conversations/{id}/resend")
    Mono<String> resend(@PathVariable String id, @ModelAttribute MessageForm form, ServerWebExchange exchange) {
        return visible(id).flatMap(v -> outbox.resend(id, String.valueOf(form.message()), v.scope().username())
                .map(entry -> Flash.ok("flash.resent"))
                .defaultIfEmpty(Flash.error("flash.nothingToResend"))
                .flatMap(flash -> Flash.redirect(exchange, flash, path(id))));
    }

    @PostMapping("/conversations/{id}/retry")
    Mono<String> retry(@PathVariable String id, @ModelAttribute MessageForm form, ServerWebExchange exchange) {
        return visible(id).flatMap(v -> inbound.retry(id, String.valueOf(form.message()))
                .map(record -> Flash.ok("flash.retried"))
                .defaultIfEmpty(Flash.error("flash.nothingToRetry"))
                .flatMap(flash -> Flash.redirect(exchange, flash, path(id))));
    }

    /**
     * Where staff may hand a conversation back to the bot: the questions that start something (a menu, the
     * language, the notices), named by what they ask in the staff's language. A question in the middle of an
     * errand (its address, its photo) is not offered: the bot would go on without what came before it.
     */
    record ReleaseTarget(String ref, String label) {}

    List<ReleaseTarget> releaseTargets(org.civicbot.flows.Language language) {
        var bundle = flows.get().flows();
        return bundle.flows().values().stream()
                .flatMap(flow -> flow.nodes().stream()
                        .filter(n -> n.kind() == org.civicbot.flows.NodeKind.MENU
                                || n.kind() == org.civicbot.flows.NodeKind.LANGUAGE
                                || n.kind() == org.civicbot.flows.NodeKind.NOTICES)
                        .map(n -> new ReleaseTarget(flow.id() + "/" + n.id(), label(n, bundle, language))))
                .filter(t -> !t.ref().equals(bundle.entry().id() + "/" + bundle.entry().start()))
                .sorted(java.util.Comparator.comparing(ReleaseTarget::label))
                .toList();
    }

    private static String label(org.civicbot.flows.Node node, org.civicbot.flows.FlowBundle bundle,
            org.civicbot.flows.Language language) {
        String text;
        if (node instanceof org.civicbot.flows.Node.Menu menu) {
            text = menu.text().in(language);
        } else if (node instanceof org.civicbot.flows.Node.ChooseLanguage choose) {
            text = choose.text().in(language);
        } else {
            text = bundle.commands().texts().noticesTopic().in(language);
        }
        String first = text.strip().split("\n", 2)[0].replace("*", "");
        return first.length() > 80 ? first.substring(0, 79) + "…" : first;
    }

    private static org.civicbot.flows.Language staffLanguage(Model model) {
        Object lang = model.getAttribute("lang");
        return org.civicbot.flows.Language.fromCode(lang == null ? null : lang.toString())
                .orElse(org.civicbot.flows.Language.DEFAULT);
    }

    private static Actions actions(Conversation c, Scope scope) {
        boolean mine = c.status() == ConversationStatus.AGENT && scope.username().equals(c.assignee());
        boolean owned = c.status() == ConversationStatus.AGENT && (mine || scope.seesAll());
        return new Actions(!mine, mine, owned,
                c.status() != ConversationStatus.CLOSED && (c.status() != ConversationStatus.AGENT || owned));
    }

    private static StaffDesk.Actor actor(Scope scope) {
        return new StaffDesk.Actor(scope.username(), scope.seesAll());
    }

    private Mono<String> refused(ServerWebExchange exchange, String id, StaffDesk.Conflict conflict) {
        Flash flash = conflict.owner() == null ? Flash.error("flash.takeOverFirst")
                : Flash.error("flash.takenBy", conflict.owner());
        return Flash.redirect(exchange, flash, path(id));
    }

    /** The timeline's lines; a request for a person names the department as staff know it, not by its id. */
    private Mono<List<Line>> lines(String id) {
        return timeline.of(id).zipWith(departmentNames()).map(t -> t.getT1().stream().map(item -> {
            Line line = Line.of(item, time);
            if ("HANDOFF_REQUESTED".equals(line.kind()) && t.getT2().containsKey(line.text())) {
                return new Line(line.id(), line.at(), line.author(), line.kind(), t.getT2().get(line.text()),
                        line.options(), line.photoIds(), line.latitude(), line.longitude(), line.staffUser(),
                        line.status());
            }
            return line;
        }).toList());
    }

    private Mono<Visible> visible(String id) {
        return staff.scope().flatMap(scope -> queries.visible(scope, id).map(c -> new Visible(c, scope)))
                .switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND)));
    }

    /** As {@link #visible}, for what shows the messages: noted in the access log of sensitive departments. */
    private Mono<Visible> opened(String id) {
        return staff.scope().flatMap(scope -> queries.opened(scope, id, "page").map(c -> new Visible(c, scope)))
                .switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND)));
    }

    private Mono<Map<String, String>> departmentNames() {
        return departments.all().collectMap(Department::id, Department::name);
    }

    private static Mono<String> back(String id) {
        return Mono.just("redirect:" + path(id));
    }

    private static String path(String id) {
        return "/conversations/" + org.springframework.web.util.UriUtils.encodePathSegment(id,
                java.nio.charset.StandardCharsets.UTF_8);
    }
}

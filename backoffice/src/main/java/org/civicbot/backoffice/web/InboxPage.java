package org.civicbot.backoffice.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.civicbot.backoffice.mail.Mentions;
import org.civicbot.backoffice.query.ConversationQueries;
import org.civicbot.backoffice.staff.CurrentStaff;
import org.civicbot.backoffice.staff.Department;
import org.civicbot.backoffice.staff.Departments;
import org.civicbot.backoffice.staff.Scope;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.conversation.ConversationStatus;
import org.civicbot.bot.live.LiveFeed;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The live inbox: the queue of citizens waiting for a person, my conversations, my colleagues', and the
 * recent ones the bot is having; refreshed by server-sent events when any visible conversation changes. Above
 * them, the incidents whose notes mentioned me and that I have not marked read (shown as the page loads).
 */
@Controller
class InboxPage {

    /** How many of the bot's most recent conversations the inbox lists. */
    static final int RECENT_BOT_CONVERSATIONS = 50;
    static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final ConversationQueries queries;
    private final CurrentStaff staff;
    private final Departments departments;
    private final LiveFeed feed;
    private final TownTime time;
    private final Clock clock;
    private final Mentions mentions;
    private final org.civicbot.backoffice.staff.StaffUsers users;

    private final org.civicbot.bot.conversation.Timeline timeline;
    private final org.civicbot.backoffice.query.IncidentQueries incidents;

    InboxPage(ConversationQueries queries, CurrentStaff staff, Departments departments, LiveFeed feed, TownTime time,
            Clock clock, Mentions mentions, org.civicbot.backoffice.staff.StaffUsers users,
            org.civicbot.bot.conversation.Timeline timeline, org.civicbot.backoffice.query.IncidentQueries incidents) {
        this.timeline = timeline;
        this.incidents = incidents;
        this.mentions = mentions;
        this.users = users;
        this.queries = queries;
        this.staff = staff;
        this.departments = departments;
        this.feed = feed;
        this.time = time;
        this.clock = clock;
    }

    /** The four lists of the inbox. */
    record Lists(List<ConversationRow> queue, List<ConversationRow> mine, List<ConversationRow> colleagues,
            List<ConversationRow> bot) {}

    /** An unread mention: the incident, who wrote the note (by name), when. */
    record MentionRow(String id, String code, String by, String at) {}

    @GetMapping("/inbox")
    String inbox(Model model, ServerWebExchange exchange) {
        model.addAttribute("lists", lists());
        model.addAttribute("mentions", staff.scope().flatMapMany(scope -> mentions.unread(scope.username()))
                .concatMap(m -> users.find(m.by()).map(u -> u.displayName()).defaultIfEmpty(m.by())
                        .map(by -> new MentionRow(m.id(), m.code(), by, time.format(m.at()))))
                .collectList());
        model.addAttribute("flash", Flash.take(exchange));
        return "inbox";
    }

    record MentionForm(String id) {}

    /** Marks one of my mentions read; opening the incident does not (yet). */
    @PostMapping("/inbox/mentions/read")
    Mono<String> markRead(@ModelAttribute MentionForm form) {
        String id = form.id() == null ? "" : form.id();
        return staff.scope().flatMap(scope -> mentions.markRead(scope.username(), id))
                .thenReturn("redirect:/inbox");
    }

    @GetMapping("/inbox/lists")
    String fragment(Model model) {
        model.addAttribute("lists", lists());
        return "inbox-lists :: lists";
    }

    @GetMapping(path = "/inbox/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @ResponseBody
    Flux<ServerSentEvent<String>> events() {
        return staff.scope().flatMapMany(scope -> LiveEvents.stream(feed.changes()
                .concatMap(change -> queries.visible(scope, change.conversationId()).map(c -> change)), HEARTBEAT));
    }

    private Mono<Lists> lists() {
        Instant now = clock.instant();
        return staff.scope().flatMap(scope -> departmentNames().flatMap(names -> queries.list(scope,
                        List.of(ConversationStatus.AWAITING_AGENT, ConversationStatus.AGENT, ConversationStatus.BOT))
                .collectList()
                .map(all -> lists(scope, all, names, now))
                // The lines staff act on say what they are about; the bot's (up to 50) stay light.
                .flatMap(lists -> Mono.zip(enriched(scope, lists.queue()), enriched(scope, lists.mine()),
                                enriched(scope, lists.colleagues()))
                        .map(t -> new Lists(t.getT1(), t.getT2(), t.getT3(), lists.bot())))));
    }

    /** Each line with what the citizen last wrote (cut) and their open incidents, so staff see what it is about. */
    private Mono<List<ConversationRow>> enriched(Scope scope, List<ConversationRow> rows) {
        return Flux.fromIterable(rows).flatMapSequential(row -> Mono.zip(
                        timeline.lastFromCitizen(row.id()).map(java.util.Optional::of)
                                .defaultIfEmpty(java.util.Optional.empty()),
                        incidents.openOf(scope, row.id()).map(org.civicbot.bot.incident.Incident::code).collectList())
                .map(t -> row.with(t.getT1().map(item -> preview(item.text())).orElse(null),
                        t.getT1().map(org.civicbot.bot.conversation.Timeline.Item::kind).orElse(null), t.getT2())), 4)
                .collectList();
    }

    /** A message as one line of the inbox: its first 90 characters. */
    static String preview(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() <= 90 ? line : line.substring(0, 89) + "…";
    }

    private Lists lists(Scope scope, List<Conversation> all, Map<String, String> names, Instant now) {
        List<ConversationRow> queue = all.stream().filter(c -> c.status() == ConversationStatus.AWAITING_AGENT)
                .sorted(Comparator.comparing(InboxPage::waitingSince))
                .map(c -> ConversationRow.of(c, names, time, now)).toList();
        List<ConversationRow> mine = all.stream()
                .filter(c -> c.status() == ConversationStatus.AGENT && scope.username().equals(c.assignee()))
                .map(c -> ConversationRow.of(c, names, time, now)).toList();
        List<ConversationRow> colleagues = all.stream()
                .filter(c -> c.status() == ConversationStatus.AGENT && !scope.username().equals(c.assignee()))
                .map(c -> ConversationRow.of(c, names, time, now)).toList();
        List<ConversationRow> bot = all.stream().filter(c -> c.status() == ConversationStatus.BOT)
                .limit(RECENT_BOT_CONVERSATIONS).map(c -> ConversationRow.of(c, names, time, now)).toList();
        return new Lists(queue, mine, colleagues, bot);
    }

    /** The longest waiting first. */
    private static Instant waitingSince(Conversation c) {
        if (c.awaitingSince() != null) {
            return c.awaitingSince();
        }
        return c.lastMessageAt() == null ? Instant.EPOCH : c.lastMessageAt();
    }

    private Mono<Map<String, String>> departmentNames() {
        return departments.all().collectMap(Department::id, Department::name);
    }
}

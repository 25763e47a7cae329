package org.civicbot.backoffice.web;

import java.util.List;
import java.util.Map;
import org.civicbot.backoffice.staff.CurrentStaff;
import org.civicbot.bot.privacy.AccessLog;
import org.civicbot.bot.privacy.ContactRecords;
import org.civicbot.bot.privacy.PrivacyRequests;
import org.civicbot.bot.privacy.PrivacyRetention;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The data-protection officer's page (and admins'): find a citizen by number or chat id, export or erase what is held
 * about them, read the retention policy and its last pass, the audit of requests and the access log of sensitive
 * departments' conversations.
 */
@Controller
class PrivacyPage {

    static final String PAGE = "/privacy";
    static final int AUDIT_LINES = 50;
    static final int MAX_REASON = 500;

    private final ContactRecords records;
    private final PrivacyRequests audit;
    private final PrivacyRetention retention;
    private final AccessLog accessLog;
    private final CurrentStaff staff;
    private final TownTime time;

    PrivacyPage(ContactRecords records, PrivacyRequests audit, PrivacyRetention retention, AccessLog accessLog,
            CurrentStaff staff, TownTime time) {
        this.records = records;
        this.audit = audit;
        this.retention = retention;
        this.accessLog = accessLog;
        this.staff = staff;
        this.time = time;
    }

    /** A contact found, as the page lists it. */
    public record Found(String id, String channel, String name, String firstSeen, String lastMessage, long incidents,
            long appointments, long subscriptions) {}

    /** A line of the audit. */
    public record AuditLine(String at, String kind, String by, String contactId, String reason, String counts) {}

    /** An opening of a sensitive conversation. */
    public record AccessLine(String at, String username, String conversationId, String department, String how) {}

    /** A class of data and how long it is kept, in days. */
    public record Period(String key, long days) {}

    @GetMapping(PAGE)
    Mono<String> page(Model model, ServerWebExchange exchange) {
        model.addAttribute("flash", Flash.take(exchange));
        return render(null, model);
    }

    /** What is searched for. */
    record Search(String q) {}

    /** A search is posted: a phone number in a URL would reach logs, the history and the saved-page cookie. */
    @PostMapping(PAGE)
    Mono<String> search(@ModelAttribute Search search, Model model) {
        return render(search.q(), model);
    }

    private Mono<String> render(String q, Model model) {
        model.addAttribute("q", q == null ? "" : q);
        model.addAttribute("searched", q != null && !q.isBlank());
        model.addAttribute("periods", retention.policy().periods().entrySet().stream()
                .map(e -> new Period(e.getKey(), e.getValue().toDays())).toList());
        model.addAttribute("sensitive", List.copyOf(accessLog.sensitive()));
        Mono<List<Found>> found = q == null || q.isBlank() ? Mono.just(List.of())
                : records.find(q).map(s -> new Found(s.contactId(), s.channel().name(), s.displayName(),
                        s.firstSeen() == null ? "—" : time.format(s.firstSeen()),
                        s.lastMessageAt() == null ? "—" : time.format(s.lastMessageAt()), s.incidents(),
                        s.appointments(), s.subscriptions())).collectList();
        return Mono.zip(found,
                        audit.latest(AUDIT_LINES).map(r -> new AuditLine(time.format(r.at()), r.kind().name(), r.by(),
                                r.contactId(), r.reason(), counts(r.counts()))).collectList(),
                        accessLog.latest(AUDIT_LINES).map(a -> new AccessLine(time.format(a.at()), a.username(),
                                a.conversationId(), a.department(), a.how())).collectList(),
                        audit.lastRetention().map(r -> List.of(new AuditLine(time.format(r.at()), r.kind().name(),
                                r.by(), null, null, counts(r.counts())))).defaultIfEmpty(List.of()))
                .map(t -> {
                    model.addAttribute("found", t.getT1());
                    model.addAttribute("audit", t.getT2());
                    model.addAttribute("accesses", t.getT3());
                    model.addAttribute("lastPass", t.getT4().isEmpty() ? null : t.getT4().get(0));
                    return "privacy";
                });
    }

    /** What a pass or a request removed, in a line: the kinds it touched and how many. */
    private static String counts(Map<String, Long> counts) {
        if (counts == null) {
            return "";
        }
        StringBuilder line = new StringBuilder();
        counts.forEach((kind, n) -> {
            if (n != null && n > 0) {
                line.append(line.isEmpty() ? "" : " · ").append(kind).append(' ').append(n);
            }
        });
        return line.toString();
    }

    /** The erase form. */
    record EraseForm(String reason, String confirm) {}

    @PostMapping(PAGE + "/{id}/erase")
    Mono<String> erase(@PathVariable String id, @ModelAttribute EraseForm form, ServerWebExchange exchange) {
        String reason = form.reason() == null ? "" : form.reason().strip();
        if (reason.isEmpty() || reason.length() > MAX_REASON) {
            return Flash.redirect(exchange, Flash.error("privacy.reasonNeeded"), PAGE);
        }
        if (!"yes".equals(form.confirm())) {
            return Flash.redirect(exchange, Flash.error("privacy.confirmNeeded"), PAGE);
        }
        return staff.scope().flatMap(me -> records.erase(id)
                .flatMap(erasure -> audit.record(PrivacyRequests.Kind.ERASE, id, me.username(), reason,
                                erasure.counts())
                        .then(Flash.redirect(exchange, Flash.ok("privacy.erased",
                                String.valueOf(erasure.messages() + erasure.replies()),
                                String.valueOf(erasure.incidentsAnonymised()), String.valueOf(erasure.photos())),
                                PAGE)))
                .switchIfEmpty(Mono.defer(() -> Flash.redirect(exchange, Flash.error("privacy.unknown"), PAGE))));
    }
}

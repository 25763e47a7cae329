package org.civicbot.backoffice.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.civicbot.backoffice.query.ConversationQueries;
import org.civicbot.backoffice.staff.CurrentStaff;
import org.civicbot.backoffice.staff.Department;
import org.civicbot.backoffice.staff.Departments;
import org.civicbot.bot.conversation.ConversationStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The conversations as CSV ({@link Csv}), every one in the statuses asked for that the staff member may see: what
 * happened when, on which channel, with whom; never the citizen's number, chat id, name or words.
 */
@RestController
@RequestMapping("/api/v1/conversations")
@Tag(name = "Conversations")
class ConversationCsvApi {

    static final List<String> COLUMNS = List.of("id", "channel", "status", "department", "assignee", "createdAt",
            "lastMessageAt", "lastInboundAt", "awaitingSince");

    private final ConversationQueries queries;
    private final Departments departments;
    private final CurrentStaff staff;
    private final Clock clock;
    private final ZoneId zone;

    ConversationCsvApi(ConversationQueries queries, Departments departments, CurrentStaff staff, Clock clock,
            @Value("${civicbot.time-zone:Europe/Madrid}") ZoneId zone) {
        this.queries = queries;
        this.departments = departments;
        this.staff = staff;
        this.clock = clock;
        this.zone = zone;
    }

    @GetMapping(params = "format=csv")
    @Operation(summary = "The conversations in these statuses, as CSV (UTF-8 with a byte-order mark, for spreadsheets)")
    Mono<ResponseEntity<Flux<String>>> csv(@RequestParam(required = false) List<ConversationStatus> status) {
        Instant now = clock.instant();
        return staff.scope().zipWith(departments.all().collectMap(Department::id, Department::name))
                .map(t -> Csv.download("conversations", COLUMNS, queries.stream(t.getT1(), status)
                        .map(c -> Csv.line(List.of(c.id(), c.channel().name(), c.status().name(),
                                c.department() == null ? "" : t.getT2().getOrDefault(c.department(), c.department()),
                                Csv.text(c.assignee()), Csv.time(c.createdAt(), zone),
                                Csv.time(c.lastMessageAt(), zone), Csv.time(c.lastInboundAt(), zone),
                                Csv.time(c.awaitingSince(), zone)))), zone, now));
    }
}

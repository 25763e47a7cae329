package org.civicbot.backoffice.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import org.civicbot.backoffice.query.IncidentQueries;
import org.civicbot.backoffice.query.IncidentStats;
import org.civicbot.backoffice.staff.CurrentStaff;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/** The incident figures for a period and a department, as the staff member may see them. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Statistics", description = "Incident figures: counts, times to act and to close, overdue, satisfaction")
class StatsApi {

    private final IncidentStats stats;
    private final org.civicbot.backoffice.query.ConversationStats conversations;
    private final CurrentStaff staff;
    private final Clock clock;
    private final ZoneId zone;

    StatsApi(IncidentStats stats, org.civicbot.backoffice.query.ConversationStats conversations, CurrentStaff staff,
            Clock clock,
            @Value("${civicbot.time-zone:Europe/Madrid}") ZoneId zone) {
        this.stats = stats;
        this.conversations = conversations;
        this.staff = staff;
        this.clock = clock;
        this.zone = zone;
    }

    /**
     * @param from reported at or after: an ISO instant, or a date (from its start, in the town's time)
     * @param to reported before: an ISO instant, or a date (to its end)
     */
    @GetMapping("/stats")
    @Operation(summary = "Figures of the incidents reported in a period (and a department): the same incidents the "
            + "list finds with these filters")
    Mono<IncidentStats.Stats> of(@RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(required = false) String department) {
        Instant start = ApiDates.instant(from, "from", false, zone);
        Instant end = ApiDates.instant(to, "to", true, zone);
        IncidentQueries.Filter filter = new IncidentQueries.Filter(null, null, null,
                department == null || department.isBlank() ? null : department.strip(), start, end, null);
        return staff.scope().flatMap(scope -> stats.of(scope, filter, clock.instant())
                .zipWith(conversations.of(scope, start, end, filter.department()), IncidentStats.Stats::with));
    }
}

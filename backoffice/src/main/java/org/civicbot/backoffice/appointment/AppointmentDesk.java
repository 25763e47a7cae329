package org.civicbot.backoffice.appointment;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.civicbot.bot.FlowRuntime;
import org.civicbot.bot.appointment.Appointment;
import org.civicbot.bot.appointment.Appointments;
import org.civicbot.bot.conversation.CitizenNotices;
import org.civicbot.bot.conversation.OutboundPolicy;
import org.civicbot.flows.Commands;
import org.civicbot.flows.Language;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * What staff do to an appointment that the citizen must hear of: a cancellation by the town hall goes to the chat it
 * was booked in, in the citizen's language and the flows' words ({@code commands.appointments.cancelled_by_town}),
 * with the staff member's message, through the outbound policy like every message.
 */
@Component
public class AppointmentDesk {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

    private final Appointments appointments;
    private final CitizenNotices notices;
    private final FlowRuntime flows;
    private final ZoneId zone;

    AppointmentDesk(Appointments appointments, CitizenNotices notices, FlowRuntime flows,
            @Value("${civicbot.time-zone:Europe/Madrid}") ZoneId zone) {
        this.appointments = appointments;
        this.notices = notices;
        this.flows = flows;
        this.zone = zone;
    }

    /** Cancels the appointment and tells the citizen who booked it in the chat, with {@code message} if any. */
    public Mono<Appointment> cancel(String code, String by, String message) {
        return appointments.byCode(code).flatMap(before -> appointments.cancel(code, by).flatMap(after ->
                before.status() == Appointment.Status.BOOKED && after.conversationId() != null
                        ? tell(after, message).thenReturn(after) : Mono.just(after)));
    }

    private Mono<Void> tell(Appointment a, String message) {
        Commands.AppointmentTexts texts = flows.get().flows().commands().appointments();
        if (texts == null) {
            return Mono.empty();
        }
        return appointments.service(a.service()).zipWith(appointments.office(a.office())).flatMap(t -> {
            Language language = Language.fromCode(a.language()).orElse(Language.DEFAULT);
            ZonedDateTime start = a.start().atZone(zone);
            Map<String, String> values = new HashMap<>();
            values.put("code", a.code());
            values.put("service", t.getT1().name(language.code()));
            values.put("date", start.getDayOfWeek().getDisplayName(TextStyle.FULL,
                    Locale.forLanguageTag(language.code())) + " " + DATE.format(start));
            values.put("time", TIME.format(start));
            values.put("office", t.getT2().name());
            values.put("message", message == null ? "" : message.strip());
            String text = texts.get("cancelled_by_town").in(language, values).replace(" \n", "\n").strip();
            return notices.send(a.conversationId(), "appointment-cancelled:" + a.id(), OutboundPolicy.REPLY, Map.of(),
                    (n, l) -> text).then();
        }).onErrorResume(Appointments.NotFound.class, e -> Mono.empty());
    }
}

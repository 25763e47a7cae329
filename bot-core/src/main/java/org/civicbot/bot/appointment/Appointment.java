package org.civicbot.bot.appointment;

import java.time.Instant;
import org.springframework.data.annotation.Id;

/**
 * A booking. Its id is the request's own (a turn's, or a staff request's idempotency key), so a request made twice
 * books once; its {@code code} ({@code CITA-2026-000045}) is what citizens and staff use.
 *
 * @param seat the seat of its slot it holds while booked (see {@link Appointments})
 * @param channel where it was booked: {@code WHATSAPP}, {@code TELEGRAM} or {@code STAFF}
 * @param language the citizen's language, for the reminder
 */
@org.springframework.data.mongodb.core.mapping.Document("appointments")
public record Appointment(@Id String id, String code, String service, String office, Instant start, Instant end,
        String name, String phone, Status status, String channel, String conversationId, String language, String seat,
        Instant createdAt, String createdBy, Instant cancelledAt, String cancelledBy, Instant remindedAt,
        Instant markedAt, String markedBy) {

    public enum Status { BOOKED, CANCELLED, ATTENDED, NO_SHOW }
}

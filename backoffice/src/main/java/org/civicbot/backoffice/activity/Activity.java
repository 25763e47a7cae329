package org.civicbot.backoffice.activity;

import java.time.Instant;
import org.springframework.data.annotation.Id;

/**
 * One occurrence of a planned activity on an incident (seed 003: "planificar activitats"): a task with a time and a
 * person, e.g. "check the repaired lamp", once or every Monday for 8 weeks. A recurring activity is stored as all its
 * occurrences, made when it is planned, so each can be done, moved or cancelled on its own and every reminder is
 * counted once.
 *
 * @param id {@code <series>-<number>}
 * @param series what the occurrences of one plan share
 * @param number its place in the series, from 1
 * @param of how many occurrences the series has
 * @param incident the code of the incident it is for
 * @param at when it is due
 * @param repeat how the series repeats; null for a one-off
 * @param remindedAt when its assignee was reminded (null: not yet)
 */
@org.springframework.data.mongodb.core.mapping.Document("activities")
public record Activity(@Id String id, String series, int number, int of, String incident, String title, Instant at,
        String assignee, Repeat repeat, Instant createdAt, String createdBy, Instant doneAt, String doneBy,
        Instant cancelledAt, String cancelledBy, Instant remindedAt) {

    /** How often: every {@code interval} days, weeks or months, {@code count} times in all. */
    public record Repeat(Every every, int interval, int count) {}

    public enum Every { DAY, WEEK, MONTH }

    public boolean done() {
        return doneAt != null;
    }

    public boolean cancelled() {
        return cancelledAt != null;
    }

    /** Still to do: neither done nor cancelled. */
    public boolean open() {
        return !done() && !cancelled();
    }

    /** Whether it is still to do after its time. */
    public boolean overdue(Instant now) {
        return open() && at.isBefore(now);
    }
}

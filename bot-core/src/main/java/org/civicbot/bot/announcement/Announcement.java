package org.civicbot.bot.announcement;

import java.time.Instant;
import java.util.Map;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A notice staff send to the subscribers of a topic (in an area, or all of them).
 *
 * @param area an area's id; null: every subscriber of the topic
 * @param text by language code; every language is required
 * @param link an address the notice points to, if any
 * @param validUntil after this it is not sent (a scheduled one that came too late, a held one)
 * @param sendAt when it goes
 * @param status SCHEDULED, SENDING (being put in the outbox), SENT, CANCELLED
 * @param recipients the contacts it was for, once it was sent (opted-out contacts are not counted)
 */
@Document("announcements")
public record Announcement(@Id String id, String topic, String area, Map<String, String> text, String link,
        Instant validUntil, Instant sendAt, String status, String createdBy, Instant createdAt, Integer recipients,
        Instant sendingSince) {

    public static final String SCHEDULED = "SCHEDULED";
    public static final String SENDING = "SENDING";
    public static final String SENT = "SENT";
    public static final String CANCELLED = "CANCELLED";

    public Announcement {
        text = text == null ? Map.of() : Map.copyOf(text);
    }
}

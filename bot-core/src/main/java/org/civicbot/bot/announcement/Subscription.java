package org.civicbot.bot.announcement;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A contact wants the notices of a topic, in an area or in the whole town.
 *
 * @param id {@code conversationId|topic|area} ({@code *} for the whole town): a subscription once
 * @param area an area's id; null for the whole town
 */
@Document("subscriptions")
public record Subscription(@Id String id, String conversationId, String topic, String area, Instant createdAt) {

    static final String WHOLE_TOWN = "*";

    public static String idOf(String conversationId, String topic, String area) {
        return conversationId + "|" + topic + "|" + (area == null ? WHOLE_TOWN : area);
    }
}

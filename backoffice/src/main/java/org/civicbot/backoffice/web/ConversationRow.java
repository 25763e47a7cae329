package org.civicbot.backoffice.web;

import java.time.Instant;
import java.util.Map;
import org.civicbot.bot.conversation.Conversation;

/**
 * A conversation as a page lists it; the citizen's address on the channel is not in it.
 *
 * @param department the department's name, or its id when unknown; empty for none
 */
record ConversationRow(String id, String contactName, String channel, String status, String assignee,
        String department, String lastMessageAt, String awaitingSince, String lastMessage, String lastKind,
        java.util.List<String> openIncidents) {

    /** The same row with the citizen's last message (its kind: TEXT, PHOTO, LOCATION, CHOICE) and open incidents. */
    ConversationRow with(String message, String kind, java.util.List<String> incidents) {
        return new ConversationRow(id, contactName, channel, status, assignee, department, lastMessageAt,
                awaitingSince, message, kind, incidents);
    }

    static ConversationRow of(Conversation c, Map<String, String> departmentNames, TownTime time, Instant now) {
        String name = c.contact() == null ? null : c.contact().displayName();
        String department = c.department() == null ? "" : departmentNames.getOrDefault(c.department(), c.department());
        return new ConversationRow(c.id(), name == null || name.isBlank() ? null : name, c.channel().name(),
                c.status().name(), c.assignee(), department, time.brief(c.lastMessageAt(), now),
                time.brief(c.awaitingSince(), now), null, null, java.util.List.of());
    }
}

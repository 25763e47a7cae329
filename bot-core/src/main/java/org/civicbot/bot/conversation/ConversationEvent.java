package org.civicbot.bot.conversation;

import java.time.Instant;
import org.springframework.data.annotation.Id;

/**
 * Something that happened to a conversation besides its messages: a handoff asked for, a takeover, a
 * return to the bot, a close, a notice the platform sent. Kept for the conversation's timeline.
 *
 * @param id derived from what caused it, so recording it twice keeps one
 * @param type HANDOFF_REQUESTED, TAKEN_OVER, RELEASED, CLOSED, NOTICE_SENT, NOTICE_HELD
 * @param actor a staff username, {@code citizen} or {@code system}
 */
@org.springframework.data.mongodb.core.mapping.Document("conversation_events")
public record ConversationEvent(@Id String id, String conversationId, Instant at, String type, String actor,
        String text) {}

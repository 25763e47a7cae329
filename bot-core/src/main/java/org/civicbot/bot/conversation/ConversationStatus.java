package org.civicbot.bot.conversation;

/**
 * Who a conversation is with. The bot speaks only in {@link #BOT}; in every other status it says
 * nothing, whatever arrives.
 */
public enum ConversationStatus {
    /** The bot answers. */
    BOT,
    /** The citizen asked for a person and waits in the queue; the bot is silent. */
    AWAITING_AGENT,
    /** A staff member owns it; the bot is silent until they hand it back or close it. */
    AGENT,
    /** Staff closed it; the citizen's next message opens it again with the bot. */
    CLOSED
}

package org.civicbot.bot.conversation;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.civicbot.bot.Channel;

/**
 * Conversation ids derived from channel and address: the same contact always lands in the same
 * conversation, with no lookup, and the id shows no phone number in a log or a URL.
 */
public final class ConversationIds {

    private ConversationIds() {}

    public static String of(Channel channel, String address) {
        return UUID.nameUUIDFromBytes((channel.name() + ":" + address).getBytes(StandardCharsets.UTF_8)).toString();
    }
}

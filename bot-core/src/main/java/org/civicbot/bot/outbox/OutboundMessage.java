package org.civicbot.bot.outbox;

import java.util.List;
import java.util.Map;
import org.civicbot.bot.Channel;

/**
 * A message to send to a citizen, as the dispatcher hands it to a {@link ChannelSender}.
 *
 * @param entryId the outbox entry's id, stable across retries
 * @param channel the channel to send on
 * @param address the citizen's address on that channel (personal data, never logged)
 * @param text the text, already in the citizen's language
 * @param options the labels of a menu's options, in order; empty when the message is no menu. A
 *     channel shows them its own way (numbered text on WhatsApp, buttons on Telegram) and a press or a
 *     number comes back as the option's 1-based position
 * @param menu the menu node ({@code flow/node}) the options belong to, if any: a channel with buttons
 *     puts it in the button's data, so that a press on an older menu's button is recognised as such
 * @param contentSid an approved WhatsApp template to send instead of the text, if any
 * @param contentVariables its variables
 */
public record OutboundMessage(String entryId, Channel channel, String address, String text, List<String> options,
        String menu, String contentSid, Map<String, String> contentVariables) {

    public OutboundMessage {
        options = List.copyOf(options);
        contentVariables = contentVariables == null ? Map.of() : Map.copyOf(contentVariables);
    }

    public OutboundMessage(String entryId, Channel channel, String address, String text, List<String> options,
            String menu) {
        this(entryId, channel, address, text, options, menu, null, Map.of());
    }

    public OutboundMessage(String entryId, Channel channel, String address, String text, List<String> options) {
        this(entryId, channel, address, text, options, null);
    }
}

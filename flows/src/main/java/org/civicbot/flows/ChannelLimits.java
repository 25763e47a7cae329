package org.civicbot.flows;

import java.util.List;

/**
 * The sizes a flow must fit so that every channel shows it whole; the strictest channel sets each one.
 */
public final class ChannelLimits {

    /**
     * Options in one menu. A WhatsApp interactive list holds at most 10 rows
     * (https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-list-messages), and
     * past ten a numbered text menu is too long to read on a phone anyway.
     */
    public static final int MAX_MENU_OPTIONS = 10;

    /**
     * Characters in one option label. Telegram accepts longer button texts, but past about 40 characters
     * a reply-keyboard button is cut on a phone screen; WhatsApp list rows stop at 24, so the numbered
     * text form is what long labels get there.
     */
    public static final int MAX_OPTION_LABEL_LENGTH = 40;

    /**
     * Characters in one message body. Twilio refuses WhatsApp bodies over 1600 characters
     * (https://www.twilio.com/docs/whatsapp/key-concepts); Telegram allows 4096, so Twilio sets the limit.
     */
    public static final int MAX_TEXT_LENGTH = 1600;

    private ChannelLimits() {}

    /**
     * How long a menu is once rendered as one message: its text, a blank line, then one
     * {@code "1. label\n"} line per option. The validator refuses a menu over {@link #MAX_TEXT_LENGTH}.
     */
    public static int renderedMenuLength(String text, List<String> labels) {
        int length = length(text) + 2;
        for (int i = 0; i < labels.size(); i++) {
            length += length((i + 1) + ". " + labels.get(i) + "\n");
        }
        return length;
    }

    /** Characters as a person counts them: an accented letter or an emoji is one. */
    static int length(String text) {
        return text.codePointCount(0, text.length());
    }
}

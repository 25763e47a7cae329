package org.civicbot.flows;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a citizen may ask for at any point, whatever the bot just asked: each has exact words
 * ({@code commands.<name>} in the entry flow, where it has them) and example phrases
 * ({@code commands.examples.<name>}) for when it is said in a sentence.
 */
public enum Command {
    /** Talk to a person. */
    HUMAN,
    /** How are my requests going. */
    STATUS,
    /** Thanks, an acknowledgement, a thumbs-up: answered briefly, never a misunderstanding. */
    THANKS,
    /** A greeting on its own. */
    GREETING,
    /** No more messages. */
    STOP,
    /** Back to the main menu. */
    RESTART,
    /** Speak to me in a language the sentence names. */
    LANGUAGE,
    /**
     * Something a town hall's chat does not handle (the weather, football, a restaurant): answered with what the
     * bot can help with, never as a misunderstanding.
     */
    OUT_OF_SCOPE;

    /** The target id an intent of this command has, e.g. {@code command:human}. */
    public String target() {
        return "command:" + wireName();
    }

    /** The name in flow files, e.g. {@code human}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Command> fromWireName(String name) {
        return Arrays.stream(values()).filter(c -> c.wireName().equals(name)).findFirst();
    }
}

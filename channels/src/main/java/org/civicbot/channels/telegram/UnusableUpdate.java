package org.civicbot.channels.telegram;

/** An update we cannot turn into a message; the reason names what is missing, never its content. */
final class UnusableUpdate extends RuntimeException {

    UnusableUpdate(String reason) {
        super(reason, null, false, false);
    }
}

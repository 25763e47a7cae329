package org.civicbot.bot;

/** A messaging channel a citizen writes on. */
public enum Channel {
    WHATSAPP,
    TELEGRAM
}

package org.civicbot.bot.conversation;

/**
 * The citizen on the other side of a conversation, as staff may see them.
 *
 * @param displayName the name the provider gave for them, if any
 */
public record Contact(String displayName) {}

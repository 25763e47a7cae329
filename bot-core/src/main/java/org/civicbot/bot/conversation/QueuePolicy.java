package org.civicbot.bot.conversation;

import java.time.Duration;

/**
 * How the queue for a person treats a citizen who waits: when the office answers, and after how long
 * without a takeover the citizen is told they are still in the queue.
 */
public record QueuePolicy(OfficeHours officeHours, Duration waitNoticeAfter) {}

/**
 * Telegram: the webhook (secret-token checked, poison updates set aside), the sender with inline
 * keyboards, callback answers and the file fetcher. On when {@code civicbot.telegram.bot-token} is set.
 */
package org.civicbot.channels.telegram;

/**
 * The conversation side of civicbot: the pure engine ({@code engine}), and the host around it that
 * logs inbound messages, advances one conversation at a time, keeps incidents, and sends replies
 * through an outbox. Provider adapters plug in through {@link org.civicbot.bot.outbox.ChannelSender}
 * and {@link org.civicbot.bot.media.MediaFetcher}, and hand messages in through
 * {@link org.civicbot.bot.inbound.Intake}.
 */
package org.civicbot.bot;

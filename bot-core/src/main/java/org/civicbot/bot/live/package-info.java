/**
 * The live feed: what changed, for screens to refresh. {@link org.civicbot.bot.live.LiveFeed} is what the rest
 * of the bot publishes to and the back-office listens to; {@link org.civicbot.bot.live.StoreChanges} adds other
 * instances' changes from the store's change streams.
 */
package org.civicbot.bot.live;

/**
 * What the message path keeps after it is done with a message, and for how long: processed history is
 * trimmed by age, so the store holds what the town hall's policy says and no more.
 */
package org.civicbot.bot.history;

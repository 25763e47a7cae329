/**
 * "Notify me when": the notice topics and areas staff keep ({@link org.civicbot.bot.announcement.Catalogue}), the
 * contacts' subscriptions ({@link org.civicbot.bot.announcement.Subscriptions}), and the announcements staff send to
 * them ({@link org.civicbot.bot.announcement.Announcements}), through the outbound policy like every other notice.
 */
package org.civicbot.bot.announcement;

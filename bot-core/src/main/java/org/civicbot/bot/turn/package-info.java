/**
 * The host's side of a turn: one conversation at a time, messages in arrival order, the engine called
 * with a stored session, and the result saved in one version-checked update before anything is sent.
 */
package org.civicbot.bot.turn;

package org.civicbot.bot.engine;

import java.time.Instant;

/**
 * What the host tells the engine about the turn: its id, from which the engine derives every id it
 * creates (so that the same turn computed twice gives the same ids), and the time.
 */
public record TurnContext(String turnId, Instant now) {}

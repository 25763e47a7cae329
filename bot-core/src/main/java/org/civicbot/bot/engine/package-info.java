/**
 * The conversation engine: {@code (session, input) -> (session', events)}, and nothing else. It never
 * stores, sends or reads a clock: the host gives it a {@link org.civicbot.bot.engine.TurnContext} with
 * the time and the turn's id, stores the new session and acts on the events. No Spring, Reactor,
 * MongoDB or HTTP may be imported here; {@code EnginePurityTests} enforces it.
 */
package org.civicbot.bot.engine;

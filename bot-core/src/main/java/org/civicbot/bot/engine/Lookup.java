package org.civicbot.bot.engine;

/**
 * Something the engine needs from outside to finish a turn: it does no I/O itself, so it asks, the host finds
 * the answer ({@link Found}) and runs the turn again with it in the {@link TurnContext}.
 */
public sealed interface Lookup {

    /** Where the map puts an address typed at a location question. */
    record Address(String query) implements Lookup {}

    /** The closest open incident of a category near a place, reported recently: the same problem, maybe. */
    record Nearby(String category, double latitude, double longitude) implements Lookup {}

    /** The notice topics and areas the town hall keeps, and the contact's subscriptions to them. */
    record Notices() implements Lookup {}

    /** The town's areas a place lies in (a pin sent to choose one). */
    record AreasAt(double latitude, double longitude) implements Lookup {}
}

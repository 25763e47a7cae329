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

    /**
     * Items of a live information source, as a news, agenda or pharmacies node shows them.
     *
     * @param kind the node's kind, by its wire name ({@code news}, {@code agenda}, {@code pharmacies})
     * @param period an agenda's days ({@code today}, {@code weekend}, {@code week}); null for the others
     * @param latitude where the citizen is, for the nearest pharmacies first; null when not asked
     * @param count at most this many items
     */
    record Live(String kind, String source, String period, Double latitude, Double longitude, int count)
            implements Lookup {}

    /** The services one may book, with their offices, and the contact's appointments still to come. */
    record Appointments() implements Lookup {}

    /** The next days a service has free times at an office, for citizens. */
    record FreeDays(String service, String office) implements Lookup {}

    /** The free times of a service at an office on a day ({@code date}: {@code YYYY-MM-DD}, the town's). */
    record FreeTimes(String service, String office, String date) implements Lookup {}

    /**
     * Books an appointment: the one lookup that changes something, made once however often the turn runs, since
     * {@code ref} comes from the turn's id.
     *
     * @param start the town's date and time, {@code 2026-12-03T09:30}
     */
    record Book(String ref, String service, String office, String start, String name, String language)
            implements Lookup {}

    /** Moves the contact's appointment {@code code} to {@code start} (the town's time); done once. */
    record MoveAppointment(String code, String start) implements Lookup {}

    /** Cancels the contact's appointment {@code code}; cancelling it again changes nothing. */
    record CancelAppointment(String code) implements Lookup {}

    /** The town's areas a place lies in (a pin sent to choose one). */
    record AreasAt(double latitude, double longitude) implements Lookup {}
}

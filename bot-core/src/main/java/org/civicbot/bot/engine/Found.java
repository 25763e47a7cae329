package org.civicbot.bot.engine;

/** What the host found for a {@link Lookup}. */
public sealed interface Found {

    /**
     * A typed address on the map.
     *
     * @param name the place as the map names it, for the citizen to recognise
     */
    record Place(double latitude, double longitude, String name) implements Found {}

    /**
     * An open incident near the place being reported, of the same category.
     *
     * @param date when it was reported, as the town reads it ("30/11/2026")
     * @param address where it is, as its reporter or the map gave it
     * @param status its status ({@code NEW}, {@code IN_PROGRESS})
     */
    record Incident(String code, String date, String address, String status) implements Found {}
}

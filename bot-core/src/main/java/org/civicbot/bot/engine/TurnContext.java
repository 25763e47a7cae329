package org.civicbot.bot.engine;

import java.time.Instant;
import java.util.Optional;

/**
 * What the host tells the engine about the turn: its id, from which the engine derives every id it
 * creates (so that the same turn computed twice gives the same ids), the time, and what the host looked up
 * for it beforehand.
 *
 * @param mapped where the map puts the address the engine asked the host to look up for this input
 *     ({@link Engine#addressToLookUp}); empty when it was not asked, or the map knows no such place
 */
public record TurnContext(String turnId, Instant now, Optional<MapPlace> mapped) {

    public TurnContext(String turnId, Instant now) {
        this(turnId, now, Optional.empty());
    }

    /**
     * A typed address found on the map.
     *
     * @param query the address as the engine asked for it
     * @param name the place's name as the map gives it, for the citizen to recognise
     */
    public record MapPlace(String query, double latitude, double longitude, String name) {}
}

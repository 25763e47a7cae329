package org.civicbot.bot.engine;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the host tells the engine about the turn: its id, from which the engine derives every id it
 * creates (so that the same turn computed twice gives the same ids), the time, and the answers to what the
 * engine asked to look up ({@link Turn#needs()}).
 *
 * @param found each lookup asked for, with what was found (empty: nothing)
 * @param offline whether the host cannot look anything up for this turn (staff handing a conversation back):
 *     every lookup then finds nothing
 */
public record TurnContext(String turnId, Instant now, Map<Lookup, Optional<Found>> found, boolean offline) {

    public TurnContext {
        found = Map.copyOf(found);
    }

    public TurnContext(String turnId, Instant now) {
        this(turnId, now, Map.of(), false);
    }

    /** This context with the answer to one more lookup. */
    public TurnContext with(Lookup lookup, Optional<Found> answer) {
        Map<Lookup, Optional<Found>> next = new HashMap<>(found);
        next.put(lookup, answer);
        return new TurnContext(turnId, now, next, offline);
    }

    /** This context, for a turn the host cannot look anything up for. */
    public TurnContext withoutLookups() {
        return new TurnContext(turnId, now, found, true);
    }
}

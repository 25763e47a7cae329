package org.civicbot.bot.engine;

import java.util.List;
import java.util.Optional;

/**
 * The result of one turn: the session to store and the events to act on; or, when the engine needs something
 * looked up first, that need, and the host runs the turn again with the answer (the session and events are
 * then the ones it was given, and nothing is to be stored).
 */
public record Turn(Session session, List<Event> events, Optional<Lookup> needs) {

    public Turn {
        events = List.copyOf(events);
    }

    public Turn(Session session, List<Event> events) {
        this(session, events, Optional.empty());
    }

    public <T extends Event> List<T> eventsOf(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
}

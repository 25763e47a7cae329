package org.civicbot.bot.engine;

import java.util.List;

/** The result of one turn: the session to store and the events to act on. */
public record Turn(Session session, List<Event> events) {

    public Turn {
        events = List.copyOf(events);
    }

    public <T extends Event> List<T> eventsOf(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
}

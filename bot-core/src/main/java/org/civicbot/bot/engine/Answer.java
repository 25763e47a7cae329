package org.civicbot.bot.engine;

import java.util.List;

/** Something a citizen answered at a node, kept in the session under the node's variable. */
public sealed interface Answer {

    /** Free text. */
    record Text(String value) implements Answer {}

    /** A menu option: its value (or its position when the option has no value) and its label as shown. */
    record Choice(String value, String label) implements Answer {}

    /**
     * A place: a typed address, or a pin with coordinates (and whatever address the provider sent).
     */
    record Place(String address, Double latitude, Double longitude, Origin origin) implements Answer {
        public enum Origin {
            /** A location pin. */
            PIN,
            /** A typed address, with the coordinates the map gave it once the citizen confirmed them, if any. */
            ADDRESS,
            /** A typed address kept as written: the citizen said the map's places for it were wrong. */
            WRITTEN
        }
    }

    /** Photos, by the ids the host stored them under. */
    record Photos(List<String> ids) implements Answer {
        public Photos {
            ids = List.copyOf(ids);
        }
    }

    /** The citizen skipped an optional step. */
    record Skipped() implements Answer {}
}

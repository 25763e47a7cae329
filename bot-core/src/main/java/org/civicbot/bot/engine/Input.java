package org.civicbot.bot.engine;

import java.util.List;

/** What resumes a session: what the citizen sent, already stripped of anything channel-specific. */
public sealed interface Input {

    record Text(String text) implements Input {}

    record Location(double latitude, double longitude, String address) implements Input {}

    /** Photos the host has already fetched and stored; {@code caption} is what was typed with them. */
    record Photos(List<String> ids, String caption) implements Input {
        public Photos {
            ids = List.copyOf(ids);
        }
    }

    /** A button pressed: the data is the option's 1-based position. */
    record Choice(String data) implements Input {}
}

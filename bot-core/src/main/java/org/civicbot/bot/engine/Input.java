package org.civicbot.bot.engine;

import java.util.List;

/** What resumes a session: what the citizen sent, already stripped of anything channel-specific. */
public sealed interface Input {

    record Text(String text) implements Input {}

    record Location(double latitude, double longitude, String address) implements Input {}

    /** Photos the host has already fetched and stored; {@code caption} is what was typed with them. */
    /**
     * Photos, stored (without their metadata) under {@code ids}.
     *
     * @param latitude where the first photo that said so was taken (its EXIF GPS, read before it was dropped); the
     *     engine may offer it as the report's location, and keeps it no longer than that
     */
    record Photos(List<String> ids, String caption, Double latitude, Double longitude) implements Input {
        public Photos {
            ids = List.copyOf(ids);
        }

        public Photos(List<String> ids, String caption) {
            this(ids, caption, null, null);
        }

        public boolean located() {
            return latitude != null && longitude != null;
        }
    }

    /** Something the bot cannot take: a voice note, a video, a sticker, a document, a contact card. */
    record Unsupported(String kind) implements Input {}

    /**
     * A button pressed: the data is the option's 1-based position, after the menu it belongs to and
     * {@value #SEPARATOR} when the channel could carry it ({@code incident/category|3}).
     */
    record Choice(String data) implements Input {
        public static final String SEPARATOR = "|";

        /** The menu the button belongs to, if the data names one. */
        public String menu() {
            int at = data.lastIndexOf(SEPARATOR);
            return at < 0 ? null : data.substring(0, at);
        }

        /** The option's position as the button carries it. */
        public String position() {
            int at = data.lastIndexOf(SEPARATOR);
            return at < 0 ? data : data.substring(at + 1);
        }
    }
}

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

    /**
     * The notice topics (labels by language code), the areas, and the contact's subscriptions ({@code area} null:
     * the whole town).
     */
    record Notices(java.util.List<Topic> topics, java.util.List<Area> areas, java.util.List<Subscription> mine)
            implements Found {

        public Notices {
            topics = java.util.List.copyOf(topics);
            areas = java.util.List.copyOf(areas);
            mine = java.util.List.copyOf(mine);
        }

        public record Topic(String id, java.util.Map<String, String> labels) {}

        public record Area(String id, String name) {}

        public record Subscription(String topic, String area) {}
    }

    /** The ids of the areas a place lies in. */
    record Areas(java.util.List<String> ids) implements Found {}
}

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

    /**
     * A live source's items, each as the fields a node's {@code item} text names ({@code {title}}, {@code {date}},
     * ...), already written as the town reads them.
     *
     * @param asOf when the items were read, as the town reads it; set when the last read failed, so the citizen
     *     is told the items may be out of date, null when they are fresh
     * @param unavailable the source has never answered, or answered nothing before it failed
     */
    record Items(java.util.List<java.util.Map<String, String>> items, String asOf, boolean unavailable)
            implements Found {

        public Items {
            items = items.stream().map(java.util.Map::copyOf).toList();
        }
    }

    /** The ids of the areas a place lies in. */
    record Areas(java.util.List<String> ids) implements Found {}
}

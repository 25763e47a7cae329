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

    /**
     * The services one may book (names and what to bring by language code) and the contact's appointments to come.
     */
    record Appointments(java.util.List<Service> services, java.util.List<Mine> mine) implements Found {

        public Appointments {
            services = java.util.List.copyOf(services);
            mine = java.util.List.copyOf(mine);
        }

        public record Service(String id, java.util.Map<String, String> names, java.util.Map<String, String> bring,
                java.util.List<Office> offices) {}

        public record Office(String id, String name, String address) {}

        /** An appointment of the contact: {@code start} is the town's date and time ({@code 2026-12-03T09:30}). */
        public record Mine(String code, String service, String office, String start) {}
    }

    /** Days ({@code YYYY-MM-DD}) or times ({@code HH:MM}) that are free, earliest first. */
    record Free(java.util.List<String> values) implements Found {

        public Free {
            values = java.util.List.copyOf(values);
        }
    }

    /** A booking (or a move) made: its code and time ({@code 2026-12-03T09:30}, the town's). */
    record Booked(String code, String start) implements Found {}

    /** The time was taken meanwhile: the nearest free ones, the town's date and time each. */
    record Taken(java.util.List<String> nearest) implements Found {

        public Taken {
            nearest = java.util.List.copyOf(nearest);
        }
    }

    /** Done, with nothing to tell (an appointment cancelled). */
    record Done() implements Found {}

    /** The ids of the areas a place lies in. */
    record Areas(java.util.List<String> ids) implements Found {}
}

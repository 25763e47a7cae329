package org.civicbot.bot.turn;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import org.civicbot.bot.engine.Found;
import org.civicbot.bot.engine.Lookup;
import org.civicbot.bot.announcement.Catalogue;
import org.civicbot.bot.announcement.Subscriptions;
import org.civicbot.bot.appointment.Appointments;
import org.civicbot.bot.content.sources.ContentSources;
import org.civicbot.bot.content.sources.LiveItems;
import org.civicbot.bot.incident.Geocoder;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.Incidents;
import reactor.core.publisher.Mono;

/**
 * Finds what the engine asks for before it can finish a turn: a typed address on the map (the geocoder), an open
 * incident of the same category nearby (the store, within {@link Duplicates}), a live source's items (news, agenda,
 * pharmacies on duty). A failure finds nothing: the
 * citizen is never held up by a lookup.
 */
public class Lookups {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy");

    private final Geocoder geocoder;
    private final Incidents incidents;
    private final Duplicates duplicates;
    private final ZoneId zone;
    private final Clock clock;

    private final Catalogue catalogue;
    private final Subscriptions subscriptions;

    private final ContentSources sources;
    private final Appointments appointments;

    public Lookups(Geocoder geocoder, Incidents incidents, Duplicates duplicates, ZoneId zone, Clock clock,
            Catalogue catalogue, Subscriptions subscriptions, ContentSources sources, Appointments appointments) {
        this.sources = sources;
        this.appointments = appointments;
        this.catalogue = catalogue;
        this.subscriptions = subscriptions;
        this.geocoder = geocoder;
        this.incidents = incidents;
        this.duplicates = duplicates;
        this.zone = zone;
        this.clock = clock;
    }

    /**
     * How near, and how recent, an open incident of the same category must be to be offered as the same problem.
     *
     * @param radiusMeters the distance within which it counts, by default
     * @param window how long ago it may have been reported, by default
     * @param radiusByCategory a category's own distance (a fallen tree is seen from further than a pothole)
     * @param windowByCategory a category's own time
     */
    public record Duplicates(double radiusMeters, Duration window, Map<String, Double> radiusByCategory,
            Map<String, Duration> windowByCategory) {

        public static final Duplicates DEFAULTS = new Duplicates(50, Duration.ofDays(30), Map.of(), Map.of());

        public Duplicates {
            radiusByCategory = Map.copyOf(radiusByCategory);
            windowByCategory = Map.copyOf(windowByCategory);
        }

        double radius(String category) {
            return radiusByCategory.getOrDefault(category, radiusMeters);
        }

        Duration window(String category) {
            return windowByCategory.getOrDefault(category, window);
        }
    }

    /** What the engine asked for, for the contact of {@code conversationId}, who writes on {@code channel}. */
    public Mono<Optional<Found>> find(Lookup lookup, String conversationId, org.civicbot.bot.Channel channel) {
        Mono<Optional<Found>> found;
        if (lookup instanceof Lookup.Book || lookup instanceof Lookup.MoveAppointment
                || lookup instanceof Lookup.CancelAppointment) {
            // What changes something is not swallowed: a failed booking fails the turn, which runs again.
            return AppointmentLookups.change(appointments, lookup, conversationId, channel, zone);
        }
        if (lookup instanceof Lookup.Appointments || lookup instanceof Lookup.FreeDays
                || lookup instanceof Lookup.FreeTimes) {
            found = AppointmentLookups.read(appointments, lookup, conversationId, zone);
        } else if (lookup instanceof Lookup.Notices) {
            found = Mono.zip(catalogue.topics().map(t -> new Found.Notices.Topic(t.id(), t.labels())).collectList(),
                            catalogue.areas().map(a -> new Found.Notices.Area(a.id(), a.name())).collectList(),
                            subscriptions.of(conversationId)
                                    .map(s -> new Found.Notices.Subscription(s.topic(), s.area())).collectList())
                    .map(t -> Optional.of(new Found.Notices(t.getT1(), t.getT2(), t.getT3())));
        } else if (lookup instanceof Lookup.Live live) {
            found = live(sources, live, clock.instant(), zone);
        } else if (lookup instanceof Lookup.AreasAt at) {
            found = catalogue.areasAt(at.latitude(), at.longitude()).map(a -> a.id()).collectList()
                    .map(ids -> Optional.of(new Found.Areas(ids)));
        } else if (lookup instanceof Lookup.Address address) {
            found = geocoder.geocode(address.query()).map(place -> place.map(c -> (Found) new Found.Place(
                    c.latitude(), c.longitude(), c.displayName() == null || c.displayName().isBlank()
                            ? address.query() : c.displayName())));
        } else {
            Lookup.Nearby nearby = (Lookup.Nearby) lookup;
            if (duplicates.radius(nearby.category()) <= 0) {
                return Mono.just(Optional.empty());
            }
            found = incidents.nearby(nearby.category(), nearby.latitude(), nearby.longitude(),
                            duplicates.radius(nearby.category()), clock.instant().minus(duplicates.window(nearby.category())))
                    .map(incident -> incident.map(this::same));
        }
        return found.onErrorResume(e -> Mono.just(Optional.empty())).defaultIfEmpty(Optional.empty());
    }

    /** A live source's items as a node shows them; an unknown or never read source has none. */
    public static Mono<Optional<Found>> live(ContentSources sources, Lookup.Live live, java.time.Instant now,
            ZoneId zone) {
        return sources.content(live.source()).map(Optional::of).defaultIfEmpty(Optional.empty())
                .map(state -> Optional.of(LiveItems.select(state.orElse(null), live, now, zone)));
    }

    private Found same(Incident incident) {
        Incident.Location location = incident.location();
        String place = location == null ? null : location.address();
        if ((place == null || place.isBlank()) && location != null && location.latitude() != null) {
            place = String.format(java.util.Locale.ROOT, "%.5f, %.5f", location.latitude(), location.longitude());
        }
        return new Found.Incident(incident.code(), DATE.format(incident.createdAt().atZone(zone)), place,
                incident.status().name());
    }
}

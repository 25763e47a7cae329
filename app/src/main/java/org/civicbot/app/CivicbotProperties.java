package org.civicbot.app;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * civicbot's own settings (see README.md for each). Provider credentials live with their channel
 * ({@code civicbot.twilio.*}, {@code civicbot.telegram.*}) and staff settings with the back-office.
 *
 * @param publicBaseUrl the URL providers call us on
 * @param dataDir where the embedded store keeps its files
 * @param flowsDir a folder of flow files to run instead of the built-in ones; unset: built-in flows
 * @param timeZone the town hall's zone: incident codes take the local year
 * @param geocoder a Nominatim-compatible geocoder
 * @param outbox how replies are retried
 * @param handoff how a citizen waiting for a person is kept informed
 * @param sweeper how stalled work is found and driven again
 * @param retention how long the message path's history and each class of personal data are kept
 * @param privacy the departments whose conversations are access-logged, and the privacy terms' version
 * @param devices devices seeded at start for the device bridge
 * @param incidentRouting category to department, for new incidents (e.g. {@code street_lighting: public_works})
 * @param duplicates how near and how recent an open incident must be to be offered as the same problem
 * @param announcements how often announcements due are looked for
 * @param serviceDays the service time, in days, of the categories the first start creates from the flows
 *     ({@code service-days.street_lighting: 7}); afterwards admins set it per category
 */
@ConfigurationProperties("civicbot")
public record CivicbotProperties(@DefaultValue("http://localhost:8080") String publicBaseUrl,
        @DefaultValue("./data") Path dataDir, Path flowsDir, @DefaultValue("Europe/Madrid") ZoneId timeZone,
        @DefaultValue Geocoder geocoder, @DefaultValue OutboxSettings outbox, @DefaultValue Handoff handoff, @DefaultValue Sweeper sweeper, @DefaultValue Retention retention,
        List<Device> devices, Map<String, String> incidentRouting, @DefaultValue Duplicates duplicates,
        @DefaultValue AnnouncementSettings announcements, Map<String, Integer> serviceDays,
        @DefaultValue Content content, @DefaultValue Town town, @DefaultValue Privacy privacy) {

    public CivicbotProperties {
        serviceDays = serviceDays == null ? Map.of() : Map.copyOf(serviceDays);
        devices = devices == null ? List.of() : List.copyOf(devices);
        incidentRouting = incidentRouting == null ? Map.of() : Map.copyOf(incidentRouting);
    }

    /**
     * The town hall as the bot names it: the flows write {@code {town.name}}, {@code {town.website}},
     * {@code {town.phone}}, {@code {town.address}}, {@code {town.privacy}} (from {@code privacy-url}) and the
     * engine fills them in.
     *
     * @param logoUrl the back-office header's logo, an address the browser loads
     */
    public record Town(String name, String logoUrl, String website, String phone, String address,
            String privacyUrl) {

        /** The values the flows' placeholders stand for, by the name they are written with; unset ones left out. */
        public Map<String, String> placeholders() {
            Map<String, String> values = new java.util.LinkedHashMap<>();
            java.util.function.BiConsumer<String, String> put = (key, value) -> {
                if (value != null && !value.isBlank()) {
                    values.put(key, value.strip());
                }
            };
            put.accept("name", name);
            put.accept("website", website);
            put.accept("phone", phone);
            put.accept("address", address);
            put.accept("privacy", privacyUrl);
            return values;
        }
    }

    /** The live information sources, by name ({@code civicbot.content.sources.news.url}). */
    public record Content(Map<String, SourceSettings> sources) {
        public Content {
            sources = sources == null ? Map.of() : Map.copyOf(sources);
        }
    }

    /**
     * @param kind {@code rss}, {@code atom}, {@code ical} or {@code csv}
     * @param refresh how often it is read ({@code 10m} or {@code PT10M})
     * @param timeout how long a read may take
     */
    public record SourceSettings(String url, String kind, @DefaultValue("10m") java.time.Duration refresh,
            @DefaultValue("10s") java.time.Duration timeout) {}

    /**
     * @param baseUrl e.g. {@code https://nominatim.openstreetmap.org}; unset: addresses stay text
     * @param countryCodes restricts results, e.g. {@code es}
     * @param city the town's name, added to a typed address that does not name it
     */
    public record Geocoder(String baseUrl, @DefaultValue("3s") Duration timeout, String countryCodes, String city) {}

    /**
     * @param pollInterval how often the dispatcher looks for due messages when not woken
     * @param retryInitial the first retry's delay, doubled each time up to {@code retryMax}
     * @param maxAttempts sends tried before a message is marked failed
     * @param sendTimeout one send's limit
     */
    public record OutboxSettings(@DefaultValue("500ms") Duration pollInterval,
            @DefaultValue("2s") Duration retryInitial, @DefaultValue("5m") Duration retryMax,
            @DefaultValue("10") int maxAttempts, @DefaultValue("30s") Duration sendTimeout) {}

    public record Device(String id, String token) {}

    /** @param checkEvery how often scheduled announcements are looked for (one due now goes at once) */
    public record AnnouncementSettings(@DefaultValue("30s") Duration checkEvery) {}

    /**
     * @param radius in metres, around the place being reported; 0 turns the offer off
     * @param window how long ago the open incident may have been reported
     * @param categories a category's own radius or window ({@code categories.fallen_trees.radius: 150})
     */
    public record Duplicates(@DefaultValue("50") double radius, @DefaultValue("30d") Duration window,
            Map<String, Category> categories) {

        public Duplicates {
            categories = categories == null ? Map.of() : Map.copyOf(categories);
        }

        public record Category(Double radius, Duration window) {}
    }

    /**
     * @param history how long processed messages, sent replies and timeline events are kept (the classes below
     *     keep personal data for less)
     * @param messageBodies how long what citizens wrote and were sent is kept; then the words are blanked
     * @param photos how long the photos and files of a closed incident are kept after its last change
     * @param preciseLocations how long a closed incident keeps its exact place (then rounded, house number dropped)
     * @param contacts how long an inactive contact with nothing open keeps its identity (then erased)
     * @param audit how long the privacy audit and the access log are kept
     */
    public record Retention(@DefaultValue("365d") Duration history, @DefaultValue("180d") Duration messageBodies,
            @DefaultValue("365d") Duration photos, @DefaultValue("365d") Duration preciseLocations,
            @DefaultValue("730d") Duration contacts, @DefaultValue("1825d") Duration audit) {

        org.civicbot.bot.privacy.PrivacyRetention.Policy policy() {
            return new org.civicbot.bot.privacy.PrivacyRetention.Policy(messageBodies, photos, preciseLocations,
                    contacts, audit);
        }
    }

    /**
     * @param sensitiveDepartments the departments whose conversations get an access log: who opened which, when
     * @param termsVersion the version of the privacy terms in force: a contact who accepted an earlier one is shown
     *     the notice again
     */
    public record Privacy(@DefaultValue("social_services") java.util.Set<String> sensitiveDepartments,
            @DefaultValue("1") String termsVersion) {}

    /**
     * @param every how often to look for stalled work
     * @param stalledAfter how long a queued message or a saved turn may wait before it is driven again
     * @param unqueuedEvery how often to look for stored messages that never reached their conversation
     *     (this reads the whole inbound log; the start-up sweep always looks)
     */
    public record Sweeper(@DefaultValue("30s") Duration every, @DefaultValue("1m") Duration stalledAfter,
            @DefaultValue("1h") Duration unqueuedEvery) {}

    /**
     * @param officeHours when staff answer, e.g. {@code MON-FRI 09:00-14:00; TUE,THU 16:00-18:30}; empty: always
     * @param waitNoticeAfter how long a citizen waits in the queue before being told they are still in it
     * @param checkEvery how often the queue is checked for that
     */
    public record Handoff(@DefaultValue("MON-FRI 09:00-14:00") String officeHours,
            @DefaultValue("10m") Duration waitNoticeAfter, @DefaultValue("30s") Duration checkEvery) {}
}

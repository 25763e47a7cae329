package org.civicbot.bot.incident;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.civicbot.bot.engine.Area;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Geocodes through a Nominatim-compatible service ({@code /search?format=jsonv2&q=...}), with a cache and
 * a timeout; any failure is an empty answer, so a citizen is never held up by the geocoder.
 *
 * @see <a href="https://nominatim.org/release-docs/latest/api/Search/">Nominatim search API</a>
 */
public class NominatimGeocoder implements Geocoder {

    private static final Logger log = LoggerFactory.getLogger(NominatimGeocoder.class);
    private static final ParameterizedTypeReference<List<Map<String, Object>>> RESULTS =
            new ParameterizedTypeReference<>() {};

    private final WebClient client;
    private final Duration timeout;
    private final String countryCodes;
    private final String city;
    private final Area area;
    private final AsyncCache<String, Optional<Coordinates>> cache;

    public NominatimGeocoder(WebClient.Builder builder, String baseUrl, Duration timeout, String countryCodes) {
        this(builder, baseUrl, timeout, countryCodes, null, Area.EVERYWHERE);
    }

    /**
     * @param countryCodes ISO codes to restrict the search to (e.g. {@code es}), or null
     * @param city the town, added to an address that does not name it ("Carrer del Born 5" is in many towns)
     * @param area the municipality: the search is bounded to its box, and a result outside it is no result
     */
    public NominatimGeocoder(WebClient.Builder builder, String baseUrl, Duration timeout, String countryCodes,
            String city, Area area) {
        this.city = city == null || city.isBlank() ? null : city.strip();
        this.area = area;
        // Nominatim's usage policy asks for an identifying User-Agent.
        this.client = builder.baseUrl(baseUrl).defaultHeader("User-Agent", "civicbot").build();
        this.timeout = timeout;
        this.countryCodes = countryCodes;
        this.cache = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofDays(1)).buildAsync();
    }

    @Override
    public Mono<Optional<Coordinates>> geocode(String address) {
        if (address == null || address.isBlank()) {
            return Mono.just(Optional.empty());
        }
        String key = address.strip().toLowerCase(Locale.ROOT);
        return Mono.defer(() -> {
            CompletableFuture<Optional<Coordinates>> lookup =
                    cache.get(key, (k, executor) -> lookup(address.strip()).toFuture());
            return Mono.fromFuture(lookup).onErrorResume(e -> {
                // A failed lookup is not cached: the next report tries again. Caffeine drops a failed future
                // too, but only after this callback has run, so a call right after it would get the failure.
                cache.asMap().remove(key, lookup);
                log.info("Geocoding failed, address kept as text: {}", e.toString());
                return Mono.just(Optional.empty());
            });
        });
    }

    private Mono<Optional<Coordinates>> lookup(String address) {
        return client.get()
                .uri(b -> {
                    b.path("/search").queryParam("format", "jsonv2").queryParam("limit", 1).queryParam("addressdetails", 1)
                            .queryParam("q", inTown(address));
                    if (countryCodes != null && !countryCodes.isBlank()) {
                        b.queryParam("countrycodes", countryCodes);
                    }
                    area.bounds().ifPresent(box -> b.queryParam("viewbox", box.west() + "," + box.north() + ","
                            + box.east() + "," + box.south()).queryParam("bounded", 1));
                    return b.build();
                })
                .retrieve()
                .bodyToMono(RESULTS)
                .timeout(timeout)
                // A place outside the town is not where the citizen means: the address stays as text.
                .map(results -> results.stream().findFirst().map(NominatimGeocoder::coordinates)
                        .filter(c -> area.contains(c.latitude(), c.longitude())));
    }

    /** The address with the town's name, unless it names it already. */
    String inTown(String address) {
        if (city == null || address.toLowerCase(Locale.ROOT).contains(city.toLowerCase(Locale.ROOT))) {
            return address;
        }
        return address + ", " + city;
    }

    @Override
    public Mono<Optional<String>> reverse(double latitude, double longitude) {
        return client.get()
                .uri(b -> b.path("/reverse").queryParam("format", "jsonv2").queryParam("lat", latitude)
                        .queryParam("lon", longitude).build())
                .retrieve()
                .bodyToMono(new ParameterizedTypeReference<Map<String, Object>>() {})
                .timeout(timeout)
                .map(result -> Optional.ofNullable((String) result.get("display_name")).filter(n -> !n.isBlank()))
                .onErrorResume(e -> {
                    log.info("Reverse geocoding failed, the pin is kept without an address: {}", e.toString());
                    return Mono.just(Optional.empty());
                })
                .defaultIfEmpty(Optional.empty());
    }

    private static Coordinates coordinates(Map<String, Object> result) {
        return new Coordinates(Double.parseDouble(String.valueOf(result.get("lat"))),
                Double.parseDouble(String.valueOf(result.get("lon"))), shortName(result));
    }

    /**
     * The place as a citizen would say it, "Carrer del Born, 5, Manresa", from the result's address details;
     * Nominatim's full display name ("5, Carrer del Born, el Born, Manresa, Bages, ..., 08241, España") otherwise.
     */
    static String shortName(Map<String, Object> result) {
        String full = (String) result.get("display_name");
        if (!(result.get("address") instanceof Map<?, ?> address)) {
            return full;
        }
        Object street = first(address, "road", "pedestrian", "square", "footway", "path");
        if (street == null) {
            return full;
        }
        StringBuilder name = new StringBuilder(street.toString());
        Object number = address.get("house_number");
        if (number != null) {
            name.append(", ").append(number);
        }
        Object town = first(address, "city", "town", "village", "municipality");
        if (town != null) {
            name.append(", ").append(town);
        }
        return name.toString();
    }

    private static Object first(Map<?, ?> address, String... keys) {
        for (String key : keys) {
            if (address.get(key) != null) {
                return address.get(key);
            }
        }
        return null;
    }
}

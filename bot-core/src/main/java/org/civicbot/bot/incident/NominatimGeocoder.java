package org.civicbot.bot.incident;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
    private final AsyncCache<String, Optional<Coordinates>> cache;

    /**
     * @param countryCodes ISO codes to restrict the search to (e.g. {@code es}), or null
     */
    public NominatimGeocoder(WebClient.Builder builder, String baseUrl, Duration timeout, String countryCodes) {
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
                    b.path("/search").queryParam("format", "jsonv2").queryParam("limit", 1).queryParam("q", address);
                    if (countryCodes != null && !countryCodes.isBlank()) {
                        b.queryParam("countrycodes", countryCodes);
                    }
                    return b.build();
                })
                .retrieve()
                .bodyToMono(RESULTS)
                .timeout(timeout)
                .map(results -> results.stream().findFirst().map(NominatimGeocoder::coordinates));
    }

    private static Coordinates coordinates(Map<String, Object> result) {
        return new Coordinates(Double.parseDouble(String.valueOf(result.get("lat"))),
                Double.parseDouble(String.valueOf(result.get("lon"))), (String) result.get("display_name"));
    }
}

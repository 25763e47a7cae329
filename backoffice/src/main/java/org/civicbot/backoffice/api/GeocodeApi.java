package org.civicbot.backoffice.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.civicbot.bot.incident.Geocoder;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/** The address at a point of the map, for the pin staff place on a request. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Incidents")
class GeocodeApi {

    private final Geocoder geocoder;

    GeocodeApi(Geocoder geocoder) {
        this.geocoder = geocoder;
    }

    /** @param address null when the geocoder knows none there, or none is configured */
    record Place(String address, double latitude, double longitude) {}

    @GetMapping("/geocode/reverse")
    @Operation(summary = "The address the geocoder knows at a point (null when none, or no geocoder is set)")
    Mono<Place> reverse(@RequestParam double latitude, @RequestParam double longitude) {
        if (!Double.isFinite(latitude) || !Double.isFinite(longitude) || Math.abs(latitude) > 90
                || Math.abs(longitude) > 180) {
            return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "latitude must be between -90 and 90 and longitude between -180 and 180"));
        }
        return geocoder.reverse(latitude, longitude)
                .onErrorResume(e -> Mono.just(java.util.Optional.empty()))
                .defaultIfEmpty(java.util.Optional.empty())
                .map(found -> new Place(found.orElse(null), latitude, longitude));
    }
}

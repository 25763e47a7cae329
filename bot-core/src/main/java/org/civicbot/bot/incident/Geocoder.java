package org.civicbot.bot.incident;

import java.util.Optional;
import reactor.core.publisher.Mono;

/** Turns an address a citizen typed into coordinates, when it can; never fails the caller. */
public interface Geocoder {

    /** Empty when the address is unknown, the service is down or slow, or none is configured. */
    Mono<Optional<Coordinates>> geocode(String address);

    record Coordinates(double latitude, double longitude, String displayName) {}

    /** A readable address for a location pin, for staff; empty when there is none or no geocoder. */
    default Mono<Optional<String>> reverse(double latitude, double longitude) {
        return Mono.just(Optional.empty());
    }

    /** For a deployment with no geocoder: addresses are kept as text. */
    static Geocoder none() {
        return address -> Mono.just(Optional.empty());
    }
}

package org.civicbot.bot.incident;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.civicbot.bot.Channel;
import org.civicbot.bot.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class IncidentsTests {

    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    static final Geocoder.Coordinates MAJOR_12 = new Geocoder.Coordinates(41.7234, 1.8265, "Carrer Major, 12");

    TestStore store = TestStore.start();
    AtomicInteger geocoderCalls = new AtomicInteger();

    @AfterEach
    void close() {
        store.close();
    }

    Incidents incidents(Geocoder geocoder) {
        return new Incidents(store.template(), new IncidentCodes(store.template(), ZoneId.of("Europe/Madrid")),
                address -> {
                    geocoderCalls.incrementAndGet();
                    return geocoder.geocode(address);
                }, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static Incidents.Report report(String ref, Incident.Location location) {
        return new Incidents.Report(ref, "street_lighting", "La farola no s'encén", location, List.of(),
                Source.WHATSAPP, "Anna", Channel.WHATSAPP, "conversation-1", null, null,
                new Incident.TimelineEntry(NOW, "CREATED", "citizen", "Reported on WHATSAPP"));
    }

    static Incident.Location typed(String address) {
        return new Incident.Location(address, null, null, "ADDRESS");
    }

    long stored() {
        return store.template().count(new org.springframework.data.mongodb.core.query.Query(), Incident.class).block();
    }

    @Test
    void routesANewIncidentToTheDepartmentOfItsCategoryUnlessTheReportNamesOne() {
        Incidents routed = new Incidents(store.template(), new IncidentCodes(store.template(), ZoneId.of("Europe/Madrid")),
                Geocoder.none(), Clock.fixed(NOW, ZoneOffset.UTC), java.util.Map.of("street_lighting", "public_works"));

        Incident byCategory = routed.report(report("routed-1", null)).block();
        Incidents.Report named = report("routed-2", null);
        Incident byReport = routed.report(new Incidents.Report(named.ref(), named.category(), named.description(), null,
                List.of(), named.source(), null, null, null, null, "parks", named.firstEntry())).block();

        assertThat(byCategory.department()).isEqualTo("public_works");
        assertThat(byReport.department()).isEqualTo("parks");
    }

    @Test
    void storesOneIncidentWithOneCodeForTheSameRefReportedTwice() {
        Incidents incidents = incidents(Geocoder.none());

        Incident first = incidents.report(report("turn-1-incident-1", typed("Carrer Major 12"))).block();
        Incident second = incidents.report(report("turn-1-incident-1", typed("Carrer Major 12"))).block();

        assertThat(first.code()).isEqualTo("INC-2026-000001");
        assertThat(second.code()).isEqualTo(first.code());
        assertThat(stored()).isEqualTo(1);
    }

    @Test
    void storesOneIncidentForTheSameRefReportedTwiceAtOnce() {
        Incidents incidents = incidents(Geocoder.none());

        List<String> codes = Flux.merge(incidents.report(report("ref-1", typed("Carrer Major 12"))),
                        incidents.report(report("ref-1", typed("Carrer Major 12"))))
                .map(Incident::code).collectList().block();

        assertThat(codes).hasSize(2);
        assertThat(codes.get(1)).isEqualTo(codes.get(0));
        assertThat(stored()).isEqualTo(1);
    }

    @Test
    void createsANewIncidentWithItsReport() {
        StepVerifier.create(incidents(Geocoder.none()).report(report("ref-1", typed("Carrer Major 12"))))
                .assertNext(incident -> {
                    assertThat(incident.status()).isEqualTo(IncidentStatus.NEW);
                    assertThat(incident.category()).isEqualTo("street_lighting");
                    assertThat(incident.createdAt()).isEqualTo(NOW);
                    assertThat(incident.timeline()).extracting(Incident.TimelineEntry::type).containsExactly("CREATED");
                })
                .verifyComplete();
        StepVerifier.create(incidents(Geocoder.none()).byCode("INC-2026-000001"))
                .expectNextMatches(incident -> incident.id().equals("ref-1"))
                .verifyComplete();
    }

    @Test
    void geocodesATypedAddress() {
        Incident incident = incidents(address -> Mono.just(Optional.of(MAJOR_12)))
                .report(report("ref-1", typed("Carrer Major 12"))).block();

        assertThat(incident.location()).isEqualTo(new Incident.Location("Carrer Major 12", 41.7234, 1.8265, "ADDRESS"));
    }

    @Test
    void keepsTheAddressAsTextWhenTheGeocoderKnowsNothing() {
        Incident incident = incidents(address -> Mono.just(Optional.empty()))
                .report(report("ref-1", typed("Carrer Major 12"))).block();

        assertThat(incident.location()).isEqualTo(typed("Carrer Major 12"));
    }

    @Test
    void keepsTheAddressAsTextWhenTheGeocoderFails() {
        Incident incident = incidents(address -> Mono.error(new IllegalStateException("geocoder down")))
                .report(report("ref-1", typed("Carrer Major 12"))).block();

        assertThat(incident).isNotNull();
        assertThat(incident.location()).isEqualTo(typed("Carrer Major 12"));
    }

    @Test
    void keepsTheAddressAsTextWhenTheGeocoderAnswersNothingAtAll() {
        Incident incident = incidents(address -> Mono.empty())
                .report(report("ref-1", typed("Carrer Major 12"))).block();

        assertThat(incident).isNotNull();
        assertThat(incident.location()).isEqualTo(typed("Carrer Major 12"));
    }

    @Test
    void doesNotGeocodeAPin() {
        Incident.Location pin = new Incident.Location("Plaça Major", 41.7, 1.8, "PIN");

        Incident incident = incidents(address -> Mono.just(Optional.of(MAJOR_12))).report(report("ref-1", pin)).block();

        assertThat(incident.location()).isEqualTo(pin);
        assertThat(geocoderCalls).hasValue(0);
    }

    /** A pin comes without an address: the geocoder gives staff a readable one; without a geocoder it stays a pin. */
    @Test
    void givesAPinAReadableAddress() {
        Geocoder reverse = new Geocoder() {
            @Override
            public reactor.core.publisher.Mono<java.util.Optional<Coordinates>> geocode(String address) {
                return reactor.core.publisher.Mono.just(java.util.Optional.empty());
            }

            @Override
            public reactor.core.publisher.Mono<java.util.Optional<String>> reverse(double latitude, double longitude) {
                return reactor.core.publisher.Mono.just(java.util.Optional.of("Parc de la Seu, Manresa"));
            }
        };
        Incidents withReverse = new Incidents(store.template(), new IncidentCodes(store.template(),
                ZoneId.of("Europe/Madrid")), reverse, Clock.fixed(NOW, ZoneOffset.UTC));
        Incident.Location pin = new Incident.Location(null, 41.7251, 1.8266, "PIN");

        Incident located = withReverse.report(report("pin-1", pin)).block();
        Incident kept = incidents(Geocoder.none()).report(report("pin-2", pin)).block();

        assertThat(located.location()).isEqualTo(new Incident.Location("Parc de la Seu, Manresa", 41.7251, 1.8266, "PIN"));
        assertThat(kept.location()).isEqualTo(pin);
    }
}

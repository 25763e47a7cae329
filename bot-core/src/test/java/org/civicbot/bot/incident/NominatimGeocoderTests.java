package org.civicbot.bot.incident;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.test.StepVerifier;

class NominatimGeocoderTests {

    static final String FOUND = """
            [{"lat": "41.7234", "lon": "1.8265", "display_name": "Carrer Major, 12, Manresa"}]""";

    WireMockServer nominatim;

    @BeforeEach
    void start() {
        nominatim = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        nominatim.start();
    }

    @AfterEach
    void stop() {
        nominatim.stop();
    }

    NominatimGeocoder geocoder(Duration timeout, String countryCodes) {
        return new NominatimGeocoder(WebClient.builder(), nominatim.baseUrl(), timeout, countryCodes);
    }

    NominatimGeocoder geocoder() {
        return geocoder(Duration.ofSeconds(2), "es");
    }

    @Test
    void givesTheCoordinatesOfAFoundAddress() {
        nominatim.stubFor(get(urlPathEqualTo("/search")).willReturn(okJson(FOUND)));

        StepVerifier.create(geocoder().geocode("Carrer Major 12, Manresa"))
                .expectNext(Optional.of(new Geocoder.Coordinates(41.7234, 1.8265, "Carrer Major, 12, Manresa")))
                .verifyComplete();

        nominatim.verify(1, getRequestedFor(urlPathEqualTo("/search"))
                .withQueryParam("format", equalTo("jsonv2"))
                .withQueryParam("q", equalTo("Carrer Major 12, Manresa"))
                .withQueryParam("limit", equalTo("1"))
                .withQueryParam("countrycodes", equalTo("es"))
                .withHeader("User-Agent", matching(".*civicbot.*")));
    }

    @Test
    void namesThePlaceAsACitizenWouldFromItsAddressDetails() {
        nominatim.stubFor(get(urlPathEqualTo("/search")).withQueryParam("addressdetails", equalTo("1"))
                .willReturn(okJson("""
                        [{"lat": "41.7251", "lon": "1.8266",
                          "display_name": "5, Carrer del Born, el Born, Manresa, Bages, Barcelona, Catalunya, 08241, España",
                          "address": {"house_number": "5", "road": "Carrer del Born", "neighbourhood": "el Born",
                                      "city": "Manresa", "postcode": "08241", "country": "España"}}]""")));

        StepVerifier.create(geocoder().geocode("Carrer del Born 5"))
                .expectNext(Optional.of(new Geocoder.Coordinates(41.7251, 1.8266, "Carrer del Born, 5, Manresa")))
                .verifyComplete();
    }

    @Test
    void sendsNoCountryCodesWhenNoneAreConfigured() {
        nominatim.stubFor(get(urlPathEqualTo("/search")).willReturn(okJson(FOUND)));

        StepVerifier.create(geocoder(Duration.ofSeconds(2), null).geocode("Carrer Major 12"))
                .expectNextMatches(Optional::isPresent)
                .verifyComplete();

        assertThat(nominatim.getAllServeEvents()).singleElement()
                .satisfies(e -> assertThat(e.getRequest().getUrl()).doesNotContain("countrycodes"));
    }

    @Test
    void givesNothingForAnAddressNobodyKnows() {
        nominatim.stubFor(get(urlPathEqualTo("/search")).willReturn(okJson("[]")));

        StepVerifier.create(geocoder().geocode("Carrer de Ningú 999"))
                .expectNext(Optional.empty())
                .verifyComplete();
    }

    @Test
    void givesNothingWhenTheServiceFails() {
        nominatim.stubFor(get(urlPathEqualTo("/search")).willReturn(aResponse().withStatus(500)));

        StepVerifier.create(geocoder().geocode("Carrer Major 12"))
                .expectNext(Optional.empty())
                .verifyComplete();
    }

    @Test
    void givesNothingWhenTheServiceIsSlowerThanTheTimeout() {
        nominatim.stubFor(get(urlPathEqualTo("/search")).willReturn(okJson(FOUND).withFixedDelay(2_000)));

        StepVerifier.create(geocoder(Duration.ofMillis(200), "es").geocode("Carrer Major 12"))
                .expectNext(Optional.empty())
                .expectComplete()
                .verify(Duration.ofSeconds(1));
    }

    @Test
    void asksOnceForTheSameAddressWrittenTwoWays() {
        nominatim.stubFor(get(urlPathEqualTo("/search")).willReturn(okJson(FOUND)));
        NominatimGeocoder geocoder = geocoder();

        Optional<Geocoder.Coordinates> first = geocoder.geocode("Carrer Major 12").block();
        Optional<Geocoder.Coordinates> second = geocoder.geocode("  carrer MAJOR 12 ").block();

        assertThat(second).isEqualTo(first).isPresent();
        nominatim.verify(1, getRequestedFor(urlPathEqualTo("/search")));
    }

    @Test
    void triesAgainAfterAFailure() {
        nominatim.stubFor(get(urlPathEqualTo("/search")).willReturn(aResponse().withStatus(503)));
        NominatimGeocoder geocoder = geocoder();
        assertThat(geocoder.geocode("Carrer Major 12").block()).isEmpty();

        nominatim.resetMappings();
        nominatim.stubFor(get(urlPathEqualTo("/search")).willReturn(okJson(FOUND)));

        assertThat(geocoder.geocode("Carrer Major 12").block()).isPresent();
        nominatim.verify(2, getRequestedFor(urlPathEqualTo("/search")));
    }

    @Test
    void givesNothingForABlankAddressWithoutAsking() {
        StepVerifier.create(geocoder().geocode("   ")).expectNext(Optional.empty()).verifyComplete();

        assertThat(nominatim.getAllServeEvents()).isEmpty();
    }

    /** Manresa's box, roughly. */
    static final org.civicbot.bot.engine.Area.Box TOWN = new org.civicbot.bot.engine.Area.Box(41.69, 1.78, 41.76, 1.87);

    /** "Carrer del Born 5" is in many towns: the search names the town and stays inside its box. */
    @Test
    void searchesWithinTheTownAndDropsAPlaceOutsideIt() {
        NominatimGeocoder inTown = new NominatimGeocoder(WebClient.builder(), nominatim.baseUrl(), Duration.ofSeconds(2),
                "es", "Manresa", TOWN);
        nominatim.stubFor(get(urlPathEqualTo("/search")).withQueryParam("q", equalTo("Carrer del Born 5, Manresa"))
                .willReturn(okJson(FOUND)));
        nominatim.stubFor(get(urlPathEqualTo("/search")).withQueryParam("q", equalTo("Passeig de Gràcia 1, Manresa"))
                .willReturn(okJson("[{\"lat\": \"41.3917\", \"lon\": \"2.1649\", \"display_name\": \"Barcelona\"}]")));

        StepVerifier.create(inTown.geocode("Carrer del Born 5")).expectNextMatches(Optional::isPresent).verifyComplete();
        StepVerifier.create(inTown.geocode("Passeig de Gràcia 1")).expectNext(Optional.empty()).verifyComplete();
        assertThat(inTown.inTown("Carrer Major 3, manresa")).isEqualTo("Carrer Major 3, manresa");

        nominatim.verify(getRequestedFor(urlPathEqualTo("/search"))
                .withQueryParam("q", equalTo("Carrer del Born 5, Manresa"))
                .withQueryParam("viewbox", equalTo("1.78,41.76,1.87,41.69"))
                .withQueryParam("bounded", equalTo("1")));
    }

    @Test
    void givesAPinAReadableAddressAndNothingWhenTheServiceFails() {
        nominatim.stubFor(get(urlPathEqualTo("/reverse")).withQueryParam("lat", equalTo("41.7251"))
                .willReturn(okJson("{\"display_name\": \"Parc de la Seu, Manresa\"}")));
        nominatim.stubFor(get(urlPathEqualTo("/reverse")).withQueryParam("lat", equalTo("41.0"))
                .willReturn(aResponse().withStatus(500)));

        StepVerifier.create(geocoder().reverse(41.7251, 1.8266)).expectNext(Optional.of("Parc de la Seu, Manresa"))
                .verifyComplete();
        StepVerifier.create(geocoder().reverse(41.0, 1.0)).expectNext(Optional.empty()).verifyComplete();
    }
}

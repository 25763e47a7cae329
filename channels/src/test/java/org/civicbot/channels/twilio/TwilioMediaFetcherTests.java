package org.civicbot.channels.twilio;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.client.BasicCredentials;
import java.net.URI;
import java.util.List;
import org.civicbot.bot.inbound.InboundContent.MediaRef;
import org.civicbot.bot.media.MediaFetcher.MediaRejected;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

class TwilioMediaFetcherTests {

    static final String MEDIA = "/2010-04-01/Accounts/ACtest/Messages/SM1/Media/ME1";
    static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3, 4};

    /** Started once per class, reset before each test. */
    @RegisterExtension
    static WireMockExtension wireMock = WireMockExtension.newInstance().options(options().dynamicPort()).build();
    TwilioMediaFetcher fetcher;

    @BeforeEach
    void reset() {
        fetcher = new TwilioMediaFetcher(URI.create(wireMock.baseUrl()), "ACtest", "twilio-auth-token", 1024);
    }

    @Test
    void fetchesFromTheApiHostWithTheAccountsBasicAuth() {
        wireMock.stubFor(get(urlPathEqualTo(MEDIA)).willReturn(aResponse()
                .withHeader("Content-Type", "image/jpeg").withBody(JPEG)));

        StepVerifier.create(fetcher.fetch(new MediaRef(wireMock.baseUrl() + MEDIA, "image/jpeg")))
                .assertNext(media -> {
                    assertThat(media.bytes()).isEqualTo(JPEG);
                    assertThat(media.contentType()).isEqualTo("image/jpeg");
                })
                .verifyComplete();

        wireMock.verify(getRequestedFor(urlPathEqualTo(MEDIA))
                .withBasicAuth(new BasicCredentials("ACtest", "twilio-auth-token")));
    }

    @Test
    void followsARedirectWithoutSendingTheCredentialsOn() {
        wireMock.stubFor(get(urlPathEqualTo(MEDIA)).willReturn(aResponse().withStatus(307)
                .withHeader("Location", "/cdn/presigned/ME1?sig=abc")));
        wireMock.stubFor(get(urlPathEqualTo("/cdn/presigned/ME1")).willReturn(aResponse()
                .withHeader("Content-Type", "image/jpeg").withBody(JPEG)));

        StepVerifier.create(fetcher.fetch(new MediaRef(wireMock.baseUrl() + MEDIA, "image/jpeg")))
                .assertNext(media -> assertThat(media.bytes()).isEqualTo(JPEG))
                .verifyComplete();

        wireMock.verify(getRequestedFor(urlPathEqualTo("/cdn/presigned/ME1")).withoutHeader("Authorization"));
    }

    @Test
    void refusesAUrlOffTwiliosHostsWithoutMakingARequest() {
        // 127.0.0.1 reaches the same server, but it is not the configured host
        for (String url : List.of("https://evil.example.com/media.jpg",
                "http://127.0.0.1:" + wireMock.getPort() + MEDIA, "not a url")) {
            StepVerifier.create(fetcher.fetch(new MediaRef(url, "image/jpeg")))
                    .expectError(MediaRejected.class)
                    .verify();
        }

        wireMock.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void refusesARedirectOffTwiliosHosts() {
        wireMock.stubFor(get(urlPathEqualTo(MEDIA)).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "http://127.0.0.1:" + wireMock.getPort() + "/elsewhere")));

        StepVerifier.create(fetcher.fetch(new MediaRef(wireMock.baseUrl() + MEDIA, "image/jpeg")))
                .expectError(MediaRejected.class)
                .verify();

        wireMock.verify(0, getRequestedFor(urlPathEqualTo("/elsewhere")));
    }

    @Test
    void rejectsAFileLargerThanTheLimit() {
        wireMock.stubFor(get(urlPathEqualTo(MEDIA)).willReturn(aResponse()
                .withHeader("Content-Type", "image/jpeg").withBody(new byte[2048])));

        StepVerifier.create(fetcher.fetch(new MediaRef(wireMock.baseUrl() + MEDIA, "image/jpeg")))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(MediaRejected.class).hasMessageContaining("larger"))
                .verify();
    }

    @Test
    void rejectsAFileLargerThanTheLimitWhileReadingWhenNoLengthIsAnnounced() {
        wireMock.stubFor(get(urlPathEqualTo(MEDIA)).willReturn(aResponse()
                .withHeader("Content-Type", "image/jpeg").withHeader("Transfer-Encoding", "chunked")
                .withBody(new byte[4096])));

        StepVerifier.create(fetcher.fetch(new MediaRef(wireMock.baseUrl() + MEDIA, "image/jpeg")))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(MediaRejected.class).hasMessageContaining("larger"))
                .verify();
    }

    @Test
    void rejectsATypeOtherThanAPhoto() {
        wireMock.stubFor(get(urlPathEqualTo(MEDIA)).willReturn(aResponse()
                .withHeader("Content-Type", "application/pdf").withBody(JPEG)));

        StepVerifier.create(fetcher.fetch(new MediaRef(wireMock.baseUrl() + MEDIA, "application/pdf")))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(MediaRejected.class).hasMessageContaining("type"))
                .verify();
    }

    record HostCase(String url, boolean allowed) {}

    @Test
    void allowsOnlyTwiliosHostsOverHttpsAndTheConfiguredApiHost() {
        TwilioMediaFetcher production = new TwilioMediaFetcher(URI.create("https://api.twilio.com"), "AC", "t");
        List<HostCase> cases = List.of(
                new HostCase("https://api.twilio.com/2010-04-01/x", true),
                new HostCase("https://media.twiliocdn.com/x", true),
                new HostCase("https://mcs.us1.twilio.com/x", true),
                new HostCase("http://api.twilio.com/x", false),
                new HostCase("https://eviltwilio.com/x", false),
                new HostCase("https://api.twilio.com.evil.org/x", false),
                new HostCase("https://169.254.169.254/latest", false),
                new HostCase("file:///etc/passwd", false));
        for (HostCase c : cases) {
            assertThat(production.isAllowed(URI.create(c.url()))).as(c.url()).isEqualTo(c.allowed());
        }
    }


    /** The media deleted at Twilio through the SDK's Media resource; one Twilio no longer has counts as deleted. */
    @Test
    void erasesTheMediaAtTwilioThroughTheSdk() {
        com.twilio.http.TwilioRestClient client = new com.twilio.http.TwilioRestClient.Builder("ACtest",
                "twilio-auth-token").httpClient(new RewritingHttpClient(URI.create(wireMock.baseUrl()))).build();
        TwilioMediaFetcher erasing = new TwilioMediaFetcher(URI.create(wireMock.baseUrl()), "ACtest",
                "twilio-auth-token", client);
        wireMock.stubFor(com.github.tomakehurst.wiremock.client.WireMock.delete(urlPathEqualTo(MEDIA + ".json"))
                .willReturn(aResponse().withStatus(204)));

        StepVerifier.create(erasing.erase(new MediaRef(wireMock.baseUrl() + MEDIA, "image/jpeg")))
                .expectNext(true).verifyComplete();
        wireMock.verify(com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor(
                urlPathEqualTo(MEDIA + ".json")).withBasicAuth(new BasicCredentials("ACtest", "twilio-auth-token")));

        String gone = "/2010-04-01/Accounts/ACtest/Messages/SM2/Media/ME2";
        wireMock.stubFor(com.github.tomakehurst.wiremock.client.WireMock.delete(urlPathEqualTo(gone + ".json"))
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                        .withBody("{\"code\": 20404, \"message\": \"not found\", \"status\": 404}")));
        StepVerifier.create(erasing.erase(new MediaRef(wireMock.baseUrl() + gone, "image/jpeg")))
                .expectNext(true).verifyComplete();

        // Not Twilio's, not a media resource, not a URL: nothing is asked of anyone.
        for (String ref : java.util.List.of("https://evil.example.com/2010-04-01/Accounts/ACtest/Messages/SM1/Media/ME1",
                wireMock.baseUrl() + "/elsewhere", "not a url at all")) {
            StepVerifier.create(erasing.erase(new MediaRef(ref, null))).expectNext(false).verifyComplete();
        }
        // Without a client (a fetcher made only to fetch) it cannot delete.
        StepVerifier.create(fetcher.erase(new MediaRef(wireMock.baseUrl() + MEDIA, null))).expectNext(false)
                .verifyComplete();
    }
}

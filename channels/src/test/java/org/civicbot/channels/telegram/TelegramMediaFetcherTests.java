package org.civicbot.channels.telegram;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.URI;
import java.util.Optional;
import org.civicbot.bot.inbound.InboundContent.MediaRef;
import org.civicbot.bot.media.MediaFetcher.MediaRejected;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.MediaType;
import reactor.test.StepVerifier;

class TelegramMediaFetcherTests {

    static final String TOKEN = "123456:test-token";
    static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3, 4};
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0};

    /** Started once per class, reset before each test. */
    @RegisterExtension
    static WireMockExtension wireMock = WireMockExtension.newInstance().options(options().dynamicPort()).build();
    TelegramMediaFetcher fetcher;

    @BeforeEach
    void setUp() {
        URI base = URI.create(wireMock.baseUrl());
        fetcher = new TelegramMediaFetcher(TelegramClients.create(TOKEN, base), base, TOKEN, 1024);
    }

    private static void fileOfSize(long size) {
        wireMock.stubFor(post(urlPathEqualTo("/bot" + TOKEN + "/getFile")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody("{\"ok\": true, \"result\": {\"file_id\": \"large\", \"file_unique_id\": \"l\","
                        + " \"file_size\": " + size + ", \"file_path\": \"photos/file_7.jpg\"}}")));
    }

    @Test
    void getsTheFileThenDownloadsItFromTheConfiguredBaseUrl() {
        fileOfSize(JPEG.length);
        wireMock.stubFor(get(urlPathEqualTo("/file/bot" + TOKEN + "/photos/file_7.jpg")).willReturn(aResponse()
                .withHeader("Content-Type", "application/octet-stream").withBody(JPEG)));

        StepVerifier.create(fetcher.fetch(new MediaRef("large", "image/jpeg")))
                .assertNext(media -> {
                    assertThat(media.bytes()).isEqualTo(JPEG);
                    assertThat(media.contentType()).isEqualTo("image/jpeg");
                })
                .verifyComplete();

        wireMock.verify(postRequestedFor(urlPathEqualTo("/bot" + TOKEN + "/getFile"))
                .withRequestBody(matchingJsonPath("$.file_id", equalTo("large"))));
    }

    @Test
    void rejectsAFileTelegramSaysIsTooLargeWithoutDownloadingIt() {
        fileOfSize(4096);

        StepVerifier.create(fetcher.fetch(new MediaRef("large", "image/jpeg")))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(MediaRejected.class).hasMessageContaining("larger"))
                .verify();

        wireMock.verify(0, getRequestedFor(urlPathMatching("/file/.*")));
    }

    @Test
    void rejectsADownloadLargerThanAnnounced() {
        fileOfSize(10);
        wireMock.stubFor(get(urlPathEqualTo("/file/bot" + TOKEN + "/photos/file_7.jpg")).willReturn(aResponse()
                .withHeader("Content-Type", "image/jpeg").withBody(new byte[2048])));

        StepVerifier.create(fetcher.fetch(new MediaRef("large", "image/jpeg")))
                .expectError(MediaRejected.class)
                .verify();
    }

    @Test
    void rejectsAFileThatIsNoPhoto() {
        fileOfSize(4);
        wireMock.stubFor(get(urlPathEqualTo("/file/bot" + TOKEN + "/photos/file_7.jpg")).willReturn(aResponse()
                .withHeader("Content-Type", "application/pdf").withBody("%PDF")));

        StepVerifier.create(fetcher.fetch(new MediaRef("large", null)))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(MediaRejected.class).hasMessageContaining("type"))
                .verify();
    }

    @Test
    void namesAnOctetStreamByTheAnnouncedTypeOrItsMagicBytes() {
        Optional<MediaType> octets = Optional.of(MediaType.APPLICATION_OCTET_STREAM);
        assertThat(TelegramMediaFetcher.contentType(octets, new MediaRef("f", "image/webp"), JPEG)).isEqualTo("image/webp");
        assertThat(TelegramMediaFetcher.contentType(octets, new MediaRef("f", null), JPEG)).isEqualTo("image/jpeg");
        assertThat(TelegramMediaFetcher.contentType(Optional.empty(), new MediaRef("f", null), PNG)).isEqualTo("image/png");
        assertThat(TelegramMediaFetcher.contentType(octets, new MediaRef("f", null), new byte[] {1, 2, 3}))
                .isEqualTo("application/octet-stream");
        assertThat(TelegramMediaFetcher.contentType(Optional.of(MediaType.IMAGE_PNG), new MediaRef("f", "image/jpeg"), JPEG))
                .isEqualTo("image/png");
    }
}

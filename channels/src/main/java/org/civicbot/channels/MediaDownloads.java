package org.civicbot.channels;

import java.util.Optional;
import java.util.function.BiFunction;
import org.civicbot.bot.media.MediaFetcher.FetchedMedia;
import org.civicbot.bot.media.MediaFetcher.MediaRejected;
import org.civicbot.bot.media.MediaPolicy;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Reading a media file from a provider's answer, the same way for every channel: a 4xx is a rejection
 * (asking again will not help), any other failure is worth another try later, and neither the announced
 * nor the actual size may pass the limit.
 */
public final class MediaDownloads {

    private MediaDownloads() {}

    /** A client whose codec stops reading a body past {@code maxBytes}, with or without a Content-Length. */
    public static WebClient client(long maxBytes) {
        return WebClient.builder()
                .codecs(c -> c.defaultCodecs().maxInMemorySize((int) Math.min(Integer.MAX_VALUE, maxBytes)))
                .build();
    }

    /**
     * @param provider the provider's name, for messages
     * @param typeOf the file's type from what the server said and the bytes
     */
    public static Mono<FetchedMedia> read(ClientResponse response, String provider, long maxBytes,
            BiFunction<Optional<MediaType>, byte[], String> typeOf) {
        int status = response.statusCode().value();
        if (status >= 400 && status < 500) {
            return response.releaseBody().then(Mono.error(new MediaRejected(provider + " answered HTTP " + status)));
        }
        if (!response.statusCode().is2xxSuccessful()) {
            return response.releaseBody().then(Mono.error(
                    new IllegalStateException(provider + " media download failed with HTTP " + status)));
        }
        if (response.headers().contentLength().orElse(0) > maxBytes) {
            return response.releaseBody().then(Mono.error(tooLarge(maxBytes)));
        }
        Optional<MediaType> served = response.headers().contentType();
        return response.bodyToMono(byte[].class)
                .onErrorMap(DataBufferLimitException.class, e -> tooLarge(maxBytes))
                .switchIfEmpty(Mono.error(() -> new MediaRejected("the file is empty")))
                .flatMap(bytes -> {
                    if (bytes.length > maxBytes) {
                        return Mono.error(tooLarge(maxBytes));
                    }
                    String type = typeOf.apply(served, bytes);
                    if (!MediaPolicy.allowsType(type)) {
                        return Mono.error(new MediaRejected("media type not accepted: " + type));
                    }
                    return Mono.just(new FetchedMedia(bytes, MediaType.parseMediaType(type).getType() + "/"
                            + MediaType.parseMediaType(type).getSubtype()));
                });
    }

    private static MediaRejected tooLarge(long maxBytes) {
        return new MediaRejected("the file is larger than " + maxBytes + " bytes");
    }
}

package org.civicbot.bot.media;

import org.civicbot.bot.Channel;
import org.civicbot.bot.inbound.InboundContent.MediaRef;
import reactor.core.publisher.Mono;

/**
 * Fetches a media file a citizen sent from the provider. Implementations check where they fetch from,
 * and the size and type against {@link MediaPolicy}, and fail with {@link MediaRejected} when it
 * does not fit.
 */
public interface MediaFetcher {

    Channel channel();

    Mono<FetchedMedia> fetch(MediaRef ref);

    /**
     * Deletes the file at the provider, where its API allows (a citizen's erasure): true when the provider deleted
     * it or no longer has it, false when this channel cannot delete media (Telegram keeps files it serves).
     */
    default Mono<Boolean> erase(MediaRef ref) {
        return Mono.just(false);
    }

    /** The bytes of a fetched file and its type. */
    record FetchedMedia(byte[] bytes, String contentType) {}

    /** A file we will not take: the reason is safe to log and to show staff. */
    final class MediaRejected extends RuntimeException {
        public MediaRejected(String reason) {
            super(reason);
        }
    }
}

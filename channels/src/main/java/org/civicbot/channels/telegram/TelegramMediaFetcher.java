package org.civicbot.channels.telegram;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.civicbot.bot.Channel;
import org.civicbot.channels.MediaDownloads;
import org.civicbot.bot.inbound.InboundContent.MediaRef;
import org.civicbot.bot.media.MediaFetcher;
import org.civicbot.bot.media.MediaPolicy;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.telegram.telegrambots.meta.api.methods.GetFile;
import org.telegram.telegrambots.meta.api.objects.File;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;
import org.telegram.telegrambots.meta.generics.TelegramClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Fetches a file a citizen sent on Telegram: {@code getFile} through the Bot API, then the download from
 * {@code {api-base-url}/file/bot{token}/{file_path}}. We download it ourselves because telegrambots
 * 10.2.0's downloadFile ignores a custom base URL. The download URL holds the bot token: it is never
 * logged, and errors carry only the status.
 */
final class TelegramMediaFetcher implements MediaFetcher {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final TelegramClient client;
    private final WebClient webClient;
    private final URI apiBaseUrl;
    private final String botToken;
    private final long maxBytes;

    TelegramMediaFetcher(TelegramClient client, URI apiBaseUrl, String botToken) {
        this(client, apiBaseUrl, botToken, MediaPolicy.MAX_BYTES);
    }

    TelegramMediaFetcher(TelegramClient client, URI apiBaseUrl, String botToken, long maxBytes) {
        this.client = client;
        this.apiBaseUrl = apiBaseUrl;
        this.botToken = botToken;
        this.maxBytes = maxBytes;
        this.webClient = MediaDownloads.client(maxBytes);
    }

    @Override
    public Channel channel() {
        return Channel.TELEGRAM;
    }

    @Override
    public Mono<FetchedMedia> fetch(MediaRef ref) {
        return Mono.fromCallable(() -> client.execute(GetFile.builder().fileId(ref.ref()).build()))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(TelegramApiRequestException.class, e -> e.getErrorCode() != null && e.getErrorCode() == 400
                        ? new MediaRejected("Telegram does not know this file (error 400)")
                        : new IllegalStateException("getFile failed: " + e.getClass().getSimpleName()))
                .flatMap(file -> download(file, ref))
                .timeout(TIMEOUT);
    }

    private Mono<FetchedMedia> download(File file, MediaRef ref) {
        if (file.getFileSize() != null && file.getFileSize() > maxBytes) {
            return Mono.error(tooLarge());
        }
        if (file.getFilePath() == null) {
            // Telegram gives no path for files over its 20 MB bot download limit
            return Mono.error(new MediaRejected("Telegram offers no download for this file"));
        }
        String base = apiBaseUrl.toString().replaceAll("/+$", "");
        URI uri = URI.create(base + "/file/bot" + botToken + "/" + file.getFilePath());
        return webClient.get().uri(uri).exchangeToMono(response -> MediaDownloads.read(response, "Telegram", maxBytes,
                (served, bytes) -> contentType(served, ref, bytes)));
    }

    /**
     * The file server often answers {@code application/octet-stream}; then the type announced with the
     * update counts, or failing that the file's magic bytes.
     */
    static String contentType(Optional<MediaType> served, MediaRef ref, byte[] bytes) {
        if (served.isPresent() && !served.get().isCompatibleWith(MediaType.APPLICATION_OCTET_STREAM)) {
            return served.get().getType() + "/" + served.get().getSubtype();
        }
        if (ref.contentType() != null) {
            return ref.contentType();
        }
        if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8 && (bytes[2] & 0xFF) == 0xFF) {
            return "image/jpeg";
        }
        if (bytes.length >= 8 && (bytes[0] & 0xFF) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G') {
            return "image/png";
        }
        return "application/octet-stream";
    }

    private MediaRejected tooLarge() {
        return new MediaRejected("the file is larger than " + maxBytes + " bytes");
    }
}

package org.civicbot.channels.twilio;

import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.message.Media;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.civicbot.bot.Channel;
import org.civicbot.channels.MediaDownloads;
import org.civicbot.bot.inbound.InboundContent.MediaRef;
import org.civicbot.bot.media.MediaFetcher;
import org.civicbot.bot.media.MediaPolicy;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Fetches the media a citizen sent on WhatsApp from Twilio, with the account's Basic auth, and only from
 * Twilio's hosts or the configured API host: a MediaUrl is data from a webhook, and we never fetch
 * arbitrary URLs with our credentials.
 */
final class TwilioMediaFetcher implements MediaFetcher {

    private static final int MAX_REDIRECTS = 3;
    /** A media resource's path: {@code /Accounts/{AC...}/Messages/{MM...}/Media/{ME...}}. */
    private static final Pattern MEDIA_PATH = Pattern.compile(
            "/Accounts/([A-Za-z0-9]+)/Messages/([A-Za-z0-9-]+)/Media/([A-Za-z0-9-]+)(?:\\.json)?$");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final WebClient webClient;
    private final URI apiBase;
    private final String accountSid;
    private final String authToken;
    private final long maxBytes;
    private final TwilioRestClient client;

    TwilioMediaFetcher(URI apiBase, String accountSid, String authToken) {
        this(apiBase, accountSid, authToken, MediaPolicy.MAX_BYTES, null);
    }

    TwilioMediaFetcher(URI apiBase, String accountSid, String authToken, TwilioRestClient client) {
        this(apiBase, accountSid, authToken, MediaPolicy.MAX_BYTES, client);
    }

    TwilioMediaFetcher(URI apiBase, String accountSid, String authToken, long maxBytes) {
        this(apiBase, accountSid, authToken, maxBytes, null);
    }

    TwilioMediaFetcher(URI apiBase, String accountSid, String authToken, long maxBytes, TwilioRestClient client) {
        this.client = client;
        this.apiBase = apiBase;
        this.accountSid = accountSid;
        this.authToken = authToken;
        this.maxBytes = maxBytes;
        this.webClient = MediaDownloads.client(maxBytes);
    }

    @Override
    public Channel channel() {
        return Channel.WHATSAPP;
    }

    @Override
    public Mono<FetchedMedia> fetch(MediaRef ref) {
        URI uri;
        try {
            uri = URI.create(ref.ref());
        } catch (IllegalArgumentException e) {
            return Mono.error(new MediaRejected("the media URL is not a valid URL"));
        }
        if (!isAllowed(uri)) {
            return Mono.error(new MediaRejected("the media URL is not on a Twilio host"));
        }
        return get(uri, ref, true, 0).timeout(TIMEOUT);
    }

    /**
     * Deletes the media at Twilio (its Media resource, through the SDK), which otherwise keeps what a citizen sent
     * until the account deletes it. A media Twilio no longer has counts as deleted.
     */
    @Override
    public Mono<Boolean> erase(MediaRef ref) {
        Matcher m = MEDIA_PATH.matcher(ref.ref() == null ? "" : ref.ref());
        URI uri;
        try {
            uri = ref.ref() == null ? null : URI.create(ref.ref());
        } catch (IllegalArgumentException e) {
            return Mono.just(false);
        }
        if (client == null || uri == null || !m.find() || !isAllowed(uri)) {
            return Mono.just(false);
        }
        return Mono.fromCallable(() -> {
                    try {
                        return Media.deleter(m.group(1), m.group(2), m.group(3)).delete(client);
                    } catch (ApiException e) {
                        if (e.getStatusCode() != null && e.getStatusCode() == 404) {
                            return true;
                        }
                        throw e;
                    }
                })
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(TIMEOUT);
    }

    /**
     * Twilio answers a media URL with a redirect to a pre-signed CDN URL
     * (https://www.twilio.com/docs/messaging/api/media-resource): we follow it ourselves, only to
     * allowed hosts, and send the credentials to the first host only.
     */
    private Mono<FetchedMedia> get(URI uri, MediaRef ref, boolean withAuth, int redirects) {
        return webClient.get()
                .uri(uri)
                .headers(h -> {
                    if (withAuth) {
                        h.setBasicAuth(accountSid, authToken);
                    }
                })
                .exchangeToMono(response -> {
                    if (response.statusCode().is3xxRedirection()) {
                        URI location = response.headers().asHttpHeaders().getLocation();
                        return response.releaseBody().then(Mono.defer(() -> follow(uri, location, ref, redirects)));
                    }
                    return MediaDownloads.read(response, "Twilio", maxBytes, (served, bytes) -> served
                            .map(MediaType::toString).or(() -> Optional.ofNullable(ref.contentType())).orElse(null));
                });
    }

    private Mono<FetchedMedia> follow(URI from, URI location, MediaRef ref, int redirects) {
        if (location == null || redirects >= MAX_REDIRECTS) {
            return Mono.error(new MediaRejected("Twilio redirected the media download too often or nowhere"));
        }
        URI next = from.resolve(location);
        if (!isAllowed(next)) {
            return Mono.error(new MediaRejected("Twilio redirected the media download to a host that is not Twilio's"));
        }
        return get(next, ref, false, redirects + 1);
    }

    /** Twilio's own hosts over HTTPS, or exactly the configured API host (a proxy, or a mock in tests). */
    boolean isAllowed(URI uri) {
        String host = uri.getHost();
        if (host == null || uri.getScheme() == null) {
            return false;
        }
        host = host.toLowerCase(Locale.ROOT);
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (host.equalsIgnoreCase(apiBase.getHost()) && scheme.equalsIgnoreCase(apiBase.getScheme())
                && port(uri) == port(apiBase)) {
            return true;
        }
        return scheme.equals("https")
                && (host.equals("api.twilio.com") || host.endsWith(".twilio.com") || host.endsWith(".twiliocdn.com"));
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}

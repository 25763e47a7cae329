package org.civicbot.backoffice.supplier;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.civicbot.bot.Hashes;
import org.civicbot.bot.Secrets;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The signed links of the supplier page ({@code /supplier/{token}}): a token names a forward and when it expires,
 * signed (HMAC-SHA256) with a key the platform keeps in the store. A token changed in any way, or signed with
 * another key, is refused; so is one past its time. Signatures are compared in constant time.
 */
@Component
public class SupplierLinks {

    static final String KEY = "supplier-links";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final Secrets secrets;

    SupplierLinks(Secrets secrets) {
        this.secrets = secrets;
    }

    /** What a token says once checked. */
    public sealed interface Checked permits Valid, Expired, Invalid {}

    /** A good token: the forward it names. */
    public record Valid(String forwardId, Instant expiresAt) implements Checked {}

    /** A genuine token past its time. */
    public record Expired(String forwardId) implements Checked {}

    /** Not a token this platform signed. */
    public record Invalid() implements Checked {}

    /** The token for a forward, good until {@code expiresAt}. */
    public Mono<String> sign(String forwardId, Instant expiresAt) {
        String payload = ENCODER.encodeToString((forwardId + ":" + expiresAt.getEpochSecond())
                .getBytes(StandardCharsets.UTF_8));
        return secrets.key(KEY).map(key -> Hashes.signed(key, payload));
    }

    /** Checks a token at {@code now}. */
    public Mono<Checked> check(String token, Instant now) {
        if (token == null || token.length() > 300) {
            return Mono.just(new Invalid());
        }
        return secrets.key(KEY).map(key -> Hashes.verified(key, token).map(payload -> {
            String[] parts;
            long expires;
            try {
                parts = new String(DECODER.decode(payload), StandardCharsets.UTF_8).split(":");
                expires = parts.length == 2 ? Long.parseLong(parts[1]) : -1;
            } catch (IllegalArgumentException e) {
                return (Checked) new Invalid();
            }
            if (expires < 0) {
                return new Invalid();
            }
            Instant expiresAt = Instant.ofEpochSecond(expires);
            return now.isAfter(expiresAt) ? new Expired(parts[0]) : new Valid(parts[0], expiresAt);
        }).orElseGet(Invalid::new));
    }
}

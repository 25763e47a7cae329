package org.civicbot.backoffice.supplier;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
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
        return secrets.key(KEY).map(key -> payload + "." + ENCODER.encodeToString(mac(key, payload)));
    }

    /** Checks a token at {@code now}. */
    public Mono<Checked> check(String token, Instant now) {
        int dot = token == null ? -1 : token.indexOf('.');
        if (dot <= 0 || dot == token.length() - 1 || token.length() > 300) {
            return Mono.just(new Invalid());
        }
        String payload = token.substring(0, dot);
        byte[] signature;
        String[] parts;
        try {
            signature = DECODER.decode(token.substring(dot + 1));
            parts = new String(DECODER.decode(payload), StandardCharsets.UTF_8).split(":");
        } catch (IllegalArgumentException e) {
            return Mono.just(new Invalid());
        }
        return secrets.key(KEY).map(key -> {
            if (!MessageDigest.isEqual(mac(key, payload), signature) || parts.length != 2) {
                return new Invalid();
            }
            long expires;
            try {
                expires = Long.parseLong(parts[1]);
            } catch (NumberFormatException e) {
                return new Invalid();
            }
            Instant expiresAt = Instant.ofEpochSecond(expires);
            return now.isAfter(expiresAt) ? new Expired(parts[0]) : new Valid(parts[0], expiresAt);
        });
    }

    private static byte[] mac(byte[] key, String payload) {
        return org.civicbot.bot.Hashes.hmacSha256(key, payload);
    }
}

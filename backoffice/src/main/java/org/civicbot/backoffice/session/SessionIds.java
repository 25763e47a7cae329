package org.civicbot.backoffice.session;

import java.security.SecureRandom;
import java.util.Base64;

/** Session ids: 256 random bits for the cookie, and the SHA-256 the store keeps instead of the id. */
final class SessionIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    private SessionIds() {}

    static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return BASE64.encodeToString(bytes);
    }

    /**
     * What a session is stored under. The id has 256 random bits, so a plain hash cannot be reversed and
     * needs no salt or stretching: a copy of the store gives no id a browser could present.
     */
    static String hash(String id) {
        return BASE64.encodeToString(org.civicbot.bot.Hashes.sha256(id));
    }
}

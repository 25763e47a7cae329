package org.civicbot.bot.incident;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * The tokens of incidents' public status pages: 128 random bits, URL-safe. Knowing one incident's page says
 * nothing about another's, unlike its code, which counts up.
 */
public final class PublicTokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private PublicTokens() {}

    public static String next() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether {@code token} has the shape of one: a cheap refusal before any store read. */
    public static boolean wellFormed(String token) {
        return token != null && token.matches("[A-Za-z0-9_-]{22}");
    }
}

package org.civicbot.bot;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 of a text, for the keys and fingerprints kept instead of what they stand for. */
public final class Hashes {

    private static final java.util.Base64.Encoder SIGNATURE = java.util.Base64.getUrlEncoder().withoutPadding();

    private Hashes() {}

    /** The HMAC-SHA256 of the text's UTF-8 bytes under {@code key}. */
    public static byte[] hmacSha256(byte[] key, String text) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** {@code text + "." + base64url(HMAC-SHA256(key, text))}: a token that says it came from us. */
    public static String signed(byte[] key, String text) {
        return text + "." + SIGNATURE.encodeToString(hmacSha256(key, text));
    }

    /**
     * The text of a token made by {@link #signed}, if its signature is ours. The signature is compared as text, in
     * constant time, so a signature that decodes to the same bytes but is spelled differently (base64's unused low
     * bits) is refused too: a token changed in any character is not ours.
     */
    public static java.util.Optional<String> verified(byte[] key, String token) {
        int dot = token == null ? -1 : token.lastIndexOf('.');
        if (dot <= 0) {
            return java.util.Optional.empty();
        }
        String text = token.substring(0, dot);
        return MessageDigest.isEqual(signed(key, text).getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8)) ? java.util.Optional.of(text) : java.util.Optional.empty();
    }

    /** The SHA-256 of the text's UTF-8 bytes. */
    public static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}

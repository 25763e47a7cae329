package org.civicbot.bot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HashesTests {

    static final byte[] KEY = "a key of this platform".getBytes(StandardCharsets.UTF_8);
    static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    @Test
    void aSignedTokenGivesItsTextBack() {
        String token = Hashes.signed(KEY, "forward-1:1790000000");
        assertThat(Hashes.verified(KEY, token)).contains("forward-1:1790000000");
        assertThat(Hashes.verified("another key".getBytes(StandardCharsets.UTF_8), token)).isEmpty();
    }

    /**
     * A SHA-256 signature is 43 base64 characters whose last one carries two unused bits: 'A' and 'B' there decode to
     * the same bytes. A token is refused whatever character changes, the last one included.
     */
    @Test
    void everyOneCharacterChangeIsRefused() {
        String token = Hashes.signed(KEY, "forward-1:1790000000");
        for (int at = 0; at < token.length(); at++) {
            for (char c : ALPHABET.toCharArray()) {
                if (c != token.charAt(at)) {
                    String changed = token.substring(0, at) + c + token.substring(at + 1);
                    assertThat(Hashes.verified(KEY, changed)).as(changed).isEmpty();
                }
            }
        }
        assertThat(Hashes.verified(KEY, token + "A")).isEmpty();
        assertThat(Hashes.verified(KEY, token.substring(0, token.length() - 1))).isEmpty();
        assertThat(Hashes.verified(KEY, "no signature")).isEmpty();
        assertThat(Hashes.verified(KEY, null)).isEmpty();
    }
}

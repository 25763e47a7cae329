package org.civicbot.bot.conversation;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.civicbot.bot.Channel;
import org.civicbot.bot.Hashes;

/**
 * Conversation ids derived from channel and address: the same contact always lands in the same conversation, with
 * no lookup, and the id shows no phone number in a log or a URL.
 *
 * <p>The id is a keyed hash (HMAC-SHA256 with a secret the platform made at its first start and keeps in the store),
 * written as a UUID of version 8. Without the key nobody can tell whose number an id stands for, even by trying
 * every phone number. The ids before were unkeyed ({@link #legacy}: a name-based UUID of version 3, which anyone can
 * compute for a number); {@link ConversationIdMigration} moves them over at start.
 */
public final class ConversationIds {

    /** The name of the key in the store's secrets. */
    public static final String KEY = "conversation-ids";

    private final byte[] key;

    public ConversationIds(byte[] key) {
        if (key == null || key.length < 16) {
            throw new IllegalArgumentException("the conversation id key needs at least 16 bytes");
        }
        this.key = key.clone();
    }

    public String of(Channel channel, String address) {
        ByteBuffer mac = ByteBuffer.wrap(Hashes.hmacSha256(key, channel.name() + ":" + address));
        long high = (mac.getLong() & ~0xF000L) | 0x8000L; // version 8: custom
        long low = (mac.getLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // the RFC 9562 variant
        return new UUID(high, low).toString();
    }

    /** The id this contact had before ids were keyed. */
    public static String legacy(Channel channel, String address) {
        return UUID.nameUUIDFromBytes((channel.name() + ":" + address).getBytes(StandardCharsets.UTF_8)).toString();
    }
}

package org.civicbot.bot.media;

import java.util.Locale;
import java.util.Set;

/** Which media files we keep: photos only, and no larger than Telegram's bot download limit. */
public final class MediaPolicy {

    /** Telegram bots cannot download files over 20 MB; WhatsApp images are capped at 5 MB. */
    public static final long MAX_BYTES = 20L * 1024 * 1024;

    public static final Set<String> ALLOWED_TYPES = Set.of("image/jpeg", "image/png", "image/webp", "image/gif");

    private MediaPolicy() {}

    public static boolean allowsType(String contentType) {
        if (contentType == null) {
            return false;
        }
        String base = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return ALLOWED_TYPES.contains(base);
    }
}

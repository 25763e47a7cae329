package org.civicbot.bot.inbound;

import java.util.List;

/** What a citizen sent: text, a location pin, media (photos), or a press on a button. */
public sealed interface InboundContent {

    record Text(String text) implements InboundContent {}

    /** A location pin; {@code address} and {@code label} are what the provider sent with it, if anything. */
    record Location(double latitude, double longitude, String address, String label) implements InboundContent {}

    /** One or more media files, not yet fetched, and the caption typed with them. */
    record Media(List<MediaRef> media, String caption) implements InboundContent {
        public Media {
            media = List.copyOf(media);
        }
    }

    /**
     * A button the citizen pressed (a Telegram callback query).
     *
     * @param data the callback data we put on the button
     * @param callbackId the provider's id to acknowledge the press with
     */
    record Choice(String data, String callbackId) implements InboundContent {}

    /**
     * Something the bot cannot take (yet): a voice note, an audio, a video, a sticker, a document, a contact card.
     * It is answered, never silently dropped.
     *
     * @param kind {@code voice}, {@code audio}, {@code video}, {@code sticker}, {@code document}, {@code contact}
     *     or {@code other}
     */
    record Unsupported(String kind) implements InboundContent {}

    /**
     * A reference to a media file at the provider, fetched later by the channel's
     * {@link org.civicbot.bot.media.MediaFetcher} (never on the webhook path).
     *
     * @param ref a URL (Twilio) or a file id (Telegram)
     * @param contentType the type the provider announced, if any
     */
    record MediaRef(String ref, String contentType) {}
}

package org.civicbot.channels.telegram;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.civicbot.bot.Channel;
import org.civicbot.bot.inbound.InboundContent;
import org.civicbot.bot.inbound.InboundMessage;
import org.telegram.telegrambots.meta.api.objects.CallbackQuery;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.api.objects.Venue;
import org.telegram.telegrambots.meta.api.objects.location.Location;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.api.objects.photo.PhotoSize;

/** Turns a Telegram {@link Update} into an {@link InboundMessage}, or says why it cannot. */
final class TelegramUpdates {

    /** Telegram sends every photo in several sizes; we keep the largest (https://core.telegram.org/bots/api#photosize). */
    static final Comparator<PhotoSize> BY_SIZE = Comparator
            .comparingLong((PhotoSize p) -> (long) nullToZero(p.getWidth()) * nullToZero(p.getHeight()))
            .thenComparingLong(p -> nullToZero(p.getFileSize()));

    private TelegramUpdates() {}

    static InboundMessage toMessage(Update update, Instant receivedAt) {
        String providerId = String.valueOf(update.getUpdateId());
        if (update.getCallbackQuery() != null) {
            CallbackQuery query = update.getCallbackQuery();
            if (query.getMessage() == null || query.getMessage().getChatId() == null) {
                throw new UnusableUpdate("callback query without the chat it came from");
            }
            refuseGroups(query.getMessage().getChat());
            if (query.getData() == null) {
                throw new UnusableUpdate("callback query without data");
            }
            return new InboundMessage(Channel.TELEGRAM, providerId, String.valueOf(query.getMessage().getChatId()),
                    displayName(query.getFrom()), new InboundContent.Choice(query.getData(), query.getId()), receivedAt,
                    languageOf(query.getFrom()));
        }
        Message message = update.getMessage();
        if (message == null) {
            throw new UnusableUpdate("update without a message or callback query");
        }
        if (message.getChatId() == null) {
            throw new UnusableUpdate("message without a chat");
        }
        refuseGroups(message.getChat());
        return new InboundMessage(Channel.TELEGRAM, providerId, String.valueOf(message.getChatId()),
                displayName(message.getFrom()), content(message), receivedAt, languageOf(message.getFrom()));
    }

    /** The language of the citizen's Telegram app ({@code es}, {@code en-GB} becomes {@code en}), if it says. */
    private static String languageOf(org.telegram.telegrambots.meta.api.objects.User user) {
        if (user == null || user.getLanguageCode() == null || user.getLanguageCode().isBlank()) {
            return null;
        }
        return user.getLanguageCode().split("[-_]")[0].toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * civicbot talks to each citizen one to one: a bot added to a group or channel would otherwise share
     * one conversation (and its personal data) among everyone in it.
     */
    private static void refuseGroups(org.telegram.telegrambots.meta.api.objects.chat.Chat chat) {
        if (chat != null && chat.getType() != null && !"private".equals(chat.getType())) {
            throw new UnusableUpdate("a " + chat.getType() + " chat: civicbot answers private chats only");
        }
    }

    /** Commands such as /start arrive as text; the flow decides what they mean. */
    private static InboundContent content(Message message) {
        if (message.getText() != null) {
            return new InboundContent.Text(message.getText());
        }
        Venue venue = message.getVenue();
        if (venue != null && venue.getLocation() != null) {
            Location at = venue.getLocation();
            return location(at, venue.getAddress(), venue.getTitle());
        }
        if (message.getLocation() != null) {
            return location(message.getLocation(), null, null);
        }
        List<PhotoSize> photo = message.getPhoto();
        if (photo != null && !photo.isEmpty()) {
            PhotoSize largest = photo.stream().max(BY_SIZE).orElseThrow();
            // Telegram re-encodes every photo as JPEG
            return new InboundContent.Media(List.of(new InboundContent.MediaRef(largest.getFileId(), "image/jpeg")),
                    message.getCaption());
        }
        return new InboundContent.Unsupported(unsupportedKind(message));
    }

    /** What a message the bot cannot take is, so that its answer can say so. */
    private static String unsupportedKind(Message message) {
        if (message.getVoice() != null) {
            return "voice";
        }
        if (message.getAudio() != null) {
            return "audio";
        }
        if (message.getVideo() != null || message.getVideoNote() != null || message.getAnimation() != null) {
            return "video";
        }
        if (message.getSticker() != null) {
            return "sticker";
        }
        if (message.getDocument() != null) {
            return "document";
        }
        if (message.getContact() != null) {
            return "contact";
        }
        return "other";
    }

    private static InboundContent.Location location(Location at, String address, String label) {
        if (at.getLatitude() == null || at.getLongitude() == null) {
            throw new UnusableUpdate("location without latitude or longitude");
        }
        return new InboundContent.Location(at.getLatitude(), at.getLongitude(), address, label);
    }

    private static String displayName(User user) {
        if (user == null) {
            return null;
        }
        String first = user.getFirstName() == null ? "" : user.getFirstName();
        String last = user.getLastName() == null ? "" : user.getLastName();
        String name = (first + " " + last).trim();
        return name.isEmpty() ? null : name;
    }

    private static long nullToZero(Number number) {
        return number == null ? 0 : number.longValue();
    }
}

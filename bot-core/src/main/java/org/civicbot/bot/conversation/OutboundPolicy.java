package org.civicbot.bot.conversation;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.civicbot.bot.Channel;
import org.civicbot.flows.Language;

/**
 * What may go out to a conversation now, in one place: WhatsApp lets a business send free text only within 24
 * hours of the citizen's last message, and outside that window only a template Meta approved (sent through
 * Twilio's Content API); Telegram has no such window. Everything that leaves on the platform's or staff's own
 * initiative (notices, staff replies, a conversation handed back to the bot) asks here first; the bot's replies
 * to a message are inside the window by definition.
 */
public final class OutboundPolicy {

    /** WhatsApp's customer-service window: https://www.twilio.com/docs/whatsapp/key-concepts */
    public static final Duration WHATSAPP_WINDOW = Duration.ofHours(24);

    /** The template purpose of an incident's update ("you have an update on {code}, reply to read it"). */
    public static final String UPDATE = "update";
    /** The template purpose of a staff reply outside the window ("we have answered you, reply to read it"). */
    public static final String REPLY = "reply";

    private final Templates templates;

    public OutboundPolicy(Templates templates) {
        this.templates = templates;
    }

    /** How a message goes out: as free text, as a template (the full text then waits), or not yet. */
    public sealed interface Way {
        record FreeText() implements Way {}

        record Template(String contentSid) implements Way {}

        record Hold(String reason) implements Way {}
    }

    /** When the window for free text closes (closed) on this conversation; empty on channels without one. */
    public Optional<Instant> windowClosesAt(Conversation conversation) {
        if (conversation.channel() != Channel.WHATSAPP) {
            return Optional.empty();
        }
        Instant last = conversation.lastInboundAt() != null ? conversation.lastInboundAt() : conversation.createdAt();
        return Optional.of(last == null ? Instant.EPOCH : last.plus(WHATSAPP_WINDOW));
    }

    /** Whether free text may go to this conversation at {@code now}. */
    public boolean windowOpen(Conversation conversation, Instant now) {
        return windowClosesAt(conversation).map(closes -> now.isBefore(closes)).orElse(true);
    }

    /** How a message of {@code purpose} may go to this conversation now, in {@code language}. */
    public Way way(Conversation conversation, Instant now, String purpose, Language language) {
        if (windowOpen(conversation, now)) {
            return new Way.FreeText();
        }
        return templates.contentSid(purpose, language).<Way>map(Way.Template::new)
                .orElseGet(() -> new Way.Hold("outside WhatsApp's 24-hour window, and no template is configured for "
                        + purpose + " in " + language.code() + " (civicbot.twilio.templates." + purpose + "."
                        + language.code() + ")"));
    }

    /** The approved WhatsApp templates, by purpose and language: Twilio Content SIDs ({@code HX...}). */
    public interface Templates {
        Optional<String> contentSid(String purpose, Language language);

        static Templates of(Map<String, Map<String, String>> byPurposeAndLanguage) {
            Map<String, Map<String, String>> copy = Map.copyOf(byPurposeAndLanguage);
            return (purpose, language) -> Optional.ofNullable(copy.get(purpose))
                    .map(byLanguage -> byLanguage.get(language.code()))
                    .filter(sid -> !sid.isBlank());
        }

        static Templates none() {
            return (purpose, language) -> Optional.empty();
        }
    }
}

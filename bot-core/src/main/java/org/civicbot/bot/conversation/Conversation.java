package org.civicbot.bot.conversation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.civicbot.bot.Channel;
import org.civicbot.bot.engine.Answer;
import org.civicbot.bot.engine.Event;
import org.civicbot.bot.engine.Turn;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Field;

/**
 * One contact's conversation on one channel, with the engine's session and who owns it. Every change
 * goes through a version-checked update, so two app instances never both advance it.
 *
 * @param id derived from channel and address ({@link ConversationIds}), so that it names no phone number
 * @param address the citizen's address on the channel; personal data, never logged
 * @param session the engine's session, in {@link SessionCodec}'s form
 * @param version grows by one with every change
 * @param inbox the stored inbound messages waiting for their turn, in the order the store queued them
 *     (this array is the conversation's arrival order: one atomic update appends each, whatever the
 *     clocks of the instances that received them say)
 * @param inboxAt when a message was last queued, so a sweeper can tell a lane that stalled
 * @param pendingTurn what the last turn decided and is not yet fully carried out (outbox, incidents);
 *     null once done
 * @param assignee the staff user who owns it (status AGENT)
 * @param department the department a handoff asked for; kept after release and close, so the chat stays
 *     within that department's scope
 * @param awaitingSince when the citizen started waiting for a person (AWAITING_AGENT)
 * @param waitNoticeAt when the citizen was told they are still in the queue, if they were
 * @param lastInboundAt when the citizen last wrote: WhatsApp lets a business send free text for 24 hours after
 * @param held messages that could not go out when they were made (outside WhatsApp's 24-hour window, or while
 *     staff owned the conversation), delivered first as soon as they can
 * @param consent the privacy terms the contact was shown, and when they accepted them; null before the first notice
 */
@org.springframework.data.mongodb.core.mapping.Document("conversations")
public record Conversation(@Id String id, Channel channel, String address, Contact contact,
        ConversationStatus status, String assignee, String department, Document session,
        @Field("version") long version, List<String> inbox, Instant inboxAt, PendingTurn pendingTurn, Instant createdAt,
        Instant lastMessageAt, Instant awaitingSince, Instant waitNoticeAt, Instant lastInboundAt,
        List<HeldMessage> held, Consent consent) {

    /**
     * The contact's consent to the privacy terms (GDPR Arts. 7 and 13): which version of the terms they were shown
     * and when, and when and how they accepted them.
     *
     * @param termsVersion {@code civicbot.privacy.terms-version} when the notice was shown
     * @param how {@code continued use}: they wrote again after reading the notice, as the default notice says
     */
    public record Consent(String termsVersion, Instant shownAt, Instant acceptedAt, String how) {

        /** Whether the contact read the terms in force: {@code version}. */
        public boolean shown(String version) {
            return version.equals(termsVersion);
        }
    }

    /** The messages waiting to go out, oldest first. */
    public List<HeldMessage> heldMessages() {
        return held == null ? List.of() : held;
    }

    /**
     * A message kept back, and until when.
     *
     * @param key what it is (a notice's key, a staff reply's turn), unique within the conversation
     * @param author BOT, STAFF or SYSTEM
     * @param release {@link Release#CITIZEN_WRITES} when only the citizen's next message opens the way (WhatsApp's
     *     window), {@link Release#BOT_SPEAKS} when it waits for the bot to have the conversation back
     * @param reason why it was kept back, for staff
     */
    public record HeldMessage(String key, String text, String author, String staffUser, Instant heldAt,
            Release release, String reason) {}

    /** What lets a held message go. */
    public enum Release { CITIZEN_WRITES, BOT_SPEAKS }

    /**
     * The version a change computed from this state is saved at ({@link ConversationStore#update} moves it
     * on by one): a turn saved there takes it as its place in the conversation's order.
     */
    public long nextVersion() {
        return version + 1;
    }

    /** This conversation once its pending turn is carried out and cleared. */
    public Conversation withoutPendingTurn() {
        return new Conversation(id, channel, address, contact, status, assignee, department, session, version, inbox,
                inboxAt, null, createdAt, lastMessageAt, awaitingSince, waitNoticeAt, lastInboundAt, held, consent);
    }

    /** The stored messages still waiting for their turn, oldest first. */
    public List<String> queued() {
        return inbox == null ? List.of() : inbox;
    }

    /**
     * The effects of a turn, saved with the session in one atomic update and carried out after it. A crash
     * in between leaves them here, and whoever next loads the conversation carries them out.
     *
     * @param order the conversation's version this turn was saved at: its messages are ordered after
     *     everything saved before, in the store's order rather than any clock's
     * @param inboundId the inbound message this turn answered, marked processed when the turn is carried
     *     out; null for a turn of staff or of the platform
     */
    public record PendingTurn(String turnId, List<PendingMessage> messages, List<PendingIncident> incidents,
            long order, String inboundId, Instant savedAt) {

        public PendingTurn withMessages(List<PendingMessage> replaced) {
            return new PendingTurn(turnId, replaced, incidents, order, inboundId, savedAt);
        }

        /** A turn of staff or of the platform: messages only, answering no inbound message. */
        public static PendingTurn of(String turnId, List<PendingMessage> messages, long order, Instant savedAt) {
            return new PendingTurn(turnId, messages, List.of(), order, null, savedAt);
        }

        /** The effects of an engine turn: its messages (authored by the bot) and its incidents. */
        public static PendingTurn of(String turnId, Turn turn, long order, String inboundId, Instant savedAt) {
            List<PendingMessage> messages = new ArrayList<>();
            List<PendingIncident> incidents = new ArrayList<>();
            for (Event event : turn.events()) {
                if (event instanceof Event.MessageCreated m) {
                    messages.add(new PendingMessage(m.text(), m.options(), "BOT", null, m.menu()));
                } else if (event instanceof Event.IncidentReported r) {
                    incidents.add(PendingIncident.reported(r));
                } else if (event instanceof Event.PhotosAdded p) {
                    incidents.add(PendingIncident.photos(p));
                } else if (event instanceof Event.IncidentJoined j) {
                    incidents.add(PendingIncident.joined(j));
                }
            }
            return new PendingTurn(turnId, messages, incidents, order, inboundId, savedAt);
        }
    }

    /**
     * A message to put in the outbox; {@code author} is BOT, STAFF or SYSTEM; {@code menu} names the menu
     * node whose options these are, if any.
     */
    public record PendingMessage(String text, List<String> options, String author, String staffUser, String menu,
            String contentSid) {

        public PendingMessage(String text, List<String> options, String author, String staffUser, String menu) {
            this(text, options, author, staffUser, menu, null);
        }

        public PendingMessage(String text, List<String> options, String author, String staffUser) {
            this(text, options, author, staffUser, null);
        }
    }

    /**
     * What a turn does to incidents: create one (the ref is its id, derived from the turn); with
     * {@code photosOnly}, add photos to the incident {@code ref} made in an earlier turn; with {@code joins}, make
     * the contact a reporter of the incident of that code (the same problem, reported again).
     */
    public record PendingIncident(String ref, String category, String description, String address, Double latitude,
            Double longitude, String origin, List<String> photoIds, Boolean photosOnly, String possibleDuplicateOf,
            String joins, String type) {

        static PendingIncident reported(Event.IncidentReported r) {
            Answer.Place place = r.place().orElse(null);
            return new PendingIncident(r.ref(), r.category(), r.description(), place == null ? null : place.address(),
                    place == null ? null : place.latitude(), place == null ? null : place.longitude(),
                    place == null ? null : place.origin().name(), r.photoIds(), false,
                    r.possibleDuplicateOf().orElse(null), null, r.type().name());
        }

        static PendingIncident photos(Event.PhotosAdded p) {
            return new PendingIncident(p.ref(), null, null, null, null, null, null, p.photoIds(), true, null, null,
                    null);
        }

        static PendingIncident joined(Event.IncidentJoined j) {
            return new PendingIncident(null, null, null, null, null, null, null, j.photoIds(), false, null, j.code(),
                    null);
        }

        public boolean addsPhotos() {
            return Boolean.TRUE.equals(photosOnly);
        }
    }
}

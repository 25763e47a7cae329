package org.civicbot.flows;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of node a flow may use; the wire name is what a flow file writes in {@code kind}. */
public enum NodeKind {
    /** Says a text and goes on to {@code next} without waiting. */
    MESSAGE("message"),
    /** Offers numbered options and waits for a choice; may store the chosen value in a variable. */
    MENU("menu"),
    /** Asks for free text within length bounds and stores it. */
    TEXT("text"),
    /** Asks for a typed address or a location pin and stores it. */
    LOCATION("location"),
    /** Asks for an optional photo (the skip command goes on without one) and stores it. */
    PHOTO("photo"),
    /** Shows a page of static content (title, body, optional link) and goes on. */
    INFO("info"),
    /** Creates an incident from what was collected and answers with its code. */
    INCIDENT("incident"),
    /** Asks for a person of a department; the bot falls silent until staff hand it back. */
    HANDOFF("handoff"),
    /** Lets the citizen choose the language, remembered for the contact. */
    LANGUAGE("language"),
    /**
     * "Notify me when": lists the contact's subscriptions to the town hall's notice topics and lets them add one
     * (a topic, then an area or the whole town), remove one or all; then goes on to {@code next}.
     */
    NOTICES("notices"),
    /** The latest items of a news source (RSS or Atom), a line each, and goes on. */
    NEWS("news"),
    /** The events of an agenda source (iCalendar or RSS) today, this weekend or in the next 7 days, and goes on. */
    AGENDA("agenda"),
    /** The pharmacies of a source on duty now, the nearest first when a location was given, and goes on. */
    PHARMACIES("pharmacies"),
    /** Asks for a word and answers with the entries of the town's directory it names ("policia"), then goes on. */
    DIRECTORY("directory"),
    /**
     * Cita prèvia: lists the contact's appointments; books one (a service, an office, a day with free times, a time,
     * a name, a confirmation and a code), moves or cancels one; then goes on to {@code next}. Its words are
     * {@code commands.appointments}.
     */
    APPOINTMENTS("appointments"),
    /** Ends the conversation; the next message starts again at the main menu. */
    END("end");

    private final String wireName;

    NodeKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /**
     * Whether a node of this kind waits for the citizen's answer (a turn stops there, and staff may
     * hand a conversation back to it); the others act and go on, or end the turn.
     */
    public boolean waits() {
        return switch (this) {
            case MENU, TEXT, LOCATION, PHOTO, LANGUAGE, NOTICES, DIRECTORY, APPOINTMENTS -> true;
            case MESSAGE, INFO, INCIDENT, HANDOFF, NEWS, AGENDA, PHARMACIES, END -> false;
        };
    }

    /** Whether a node of this kind answers from a live information source ({@link Node.Live}). */
    public boolean live() {
        return this == NEWS || this == AGENDA || this == PHARMACIES;
    }

    public static Optional<NodeKind> fromWireName(String name) {
        return Arrays.stream(values()).filter(k -> k.wireName.equals(name)).findFirst();
    }
}

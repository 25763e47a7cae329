package org.civicbot.flows;

/**
 * The stable ids of the rules a flow is checked against, as they appear in {@link Issue#rule()}; editors and
 * tests may rely on them, so an id never changes meaning.
 */
public final class Rules {

    /** The file is not well-formed YAML. */
    public static final String YAML_SYNTAX = "yaml-syntax";
    /** {@code spec} names a version this build cannot read. */
    public static final String UNSUPPORTED_SPEC = "unsupported-spec";
    /** A required field is absent. */
    public static final String MISSING_FIELD = "missing-field";
    /** A field this kind of element does not have (often a typo). */
    public static final String UNKNOWN_FIELD = "unknown-field";
    /** A field holds the wrong type of value, e.g. a list where a text is expected. */
    public static final String WRONG_TYPE = "wrong-type";
    /** A node's {@code kind} is not one of {@link NodeKind}. */
    public static final String UNKNOWN_KIND = "unknown-kind";
    /** Two nodes of a flow, or two flows, share an id. */
    public static final String DUPLICATE_ID = "duplicate-id";
    /** A target names a node or flow that does not exist. */
    public static final String DANGLING_TARGET = "dangling-target";
    /** A node or option that must say where to go next does not. */
    public static final String MISSING_TARGET = "missing-target";
    /** A node no path reaches from its flow's start, or a flow no path reaches from the entry flow. */
    public static final String UNREACHABLE_NODE = "unreachable-node";
    /** A text or word list lacks a language, or has it blank. */
    public static final String MISSING_TRANSLATION = "missing-translation";
    /** A menu has too many options, no options, a label too long, or does not fit one message. */
    public static final String MENU_LIMITS = "menu-limits";
    /** A text is longer than one message may be. */
    public static final String TEXT_TOO_LONG = "text-too-long";
    /** A text node's {@code min_length}/{@code max_length} cannot be satisfied or sent. */
    public static final String BAD_LENGTH_BOUNDS = "bad-length-bounds";
    /** No flow has the entry id {@value FlowBundle#ENTRY_FLOW}. */
    public static final String MISSING_ENTRY_FLOW = "missing-entry-flow";
    /** {@code commands} written in a flow other than the entry flow. */
    public static final String COMMANDS_OUTSIDE_ENTRY = "commands-outside-entry";
    /** The entry flow has no {@code commands}. */
    public static final String MISSING_COMMANDS = "missing-commands";
    /** {@code first_contact} written in a flow other than the entry flow. */
    public static final String FIRST_CONTACT_OUTSIDE_ENTRY = "first-contact-outside-entry";
    /** Nodes that never wait for an answer lead back to themselves: the bot would talk forever. */
    public static final String ENDLESS_LOOP = "endless-loop";
    /** Warning: an incident node reads a category variable that no menu sets. */
    public static final String INCIDENT_WITHOUT_CATEGORY = "incident-without-category";

    /**
     * One phrase (an example, a keyword or a label, compared as the matcher sees it: case, accents and word
     * endings aside) names two targets that lead to different places, so a citizen writing it could not be
     * routed.
     */
    public static final String INTENT_CONFLICT = "intent-conflict";

    /** A news, agenda or pharmacies node without the texts its source's failures need, or a bad count. */
    public static final String LIVE_SOURCE = "live-source";
    /** A directory node with no entries, or an entry no word can find. */
    public static final String DIRECTORY_ENTRIES = "directory-entries";

    private Rules() {}
    /** A category menu offers a value that is not one of the town's categories (kept as data, by admins). */
    public static final String UNKNOWN_CATEGORY = "unknown-category";
}

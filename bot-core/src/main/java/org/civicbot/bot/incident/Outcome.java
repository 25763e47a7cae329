package org.civicbot.bot.incident;

/** How a closed incident ended. */
public enum Outcome {
    /** Resolved. */
    POSITIVE,
    /** Could not be resolved. */
    NEGATIVE,
    /** Not a matter for the town hall (another administration, a private owner). */
    NOT_OUR_COMPETENCE,
    /** On hold, e.g. waiting for a budget or another body. */
    SUSPENDED
}

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
    SUSPENDED,
    /** The same problem as another incident, which its reporters now follow; only a merge closes one so. */
    DUPLICATE,
    /** Cancelled as improper (a joke, an insult, not a request); the citizen is told why. */
    IMPROPER
}

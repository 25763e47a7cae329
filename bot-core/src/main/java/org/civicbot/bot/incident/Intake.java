package org.civicbot.bot.incident;

/** How a request staff entered reached the town hall. */
public enum Intake {
    /** A citizen called. */
    PHONE,
    /** A citizen came to the counter. */
    COUNTER,
    /** A citizen wrote an e-mail. */
    EMAIL,
    /** Staff saw it themselves (a patrol, a colleague). */
    INTERNAL
}

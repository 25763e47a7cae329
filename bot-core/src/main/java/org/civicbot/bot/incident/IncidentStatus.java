package org.civicbot.bot.incident;

/** Where an incident stands: new, being handled, or closed with an outcome. */
public enum IncidentStatus { NEW, IN_PROGRESS, CLOSED }

package org.civicbot.bot.incident;

/** How soon an incident needs attention; an incident without one is {@link #NORMAL}. */
public enum Priority { LOW, NORMAL, HIGH, URGENT }

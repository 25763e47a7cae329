package org.civicbot.bot.incident;

/** Where an incident came from. */
public enum Source { WHATSAPP, TELEGRAM, DEVICE, STAFF, OPEN311 }

/**
 * Appointments (cita prèvia): the services one books and the offices that serve them, the free times they offer,
 * and bookings that never double-book a seat, on either store, with no transaction: each seat of a slot is a
 * document with a deterministic id, so of two bookings racing for the last seat exactly one inserts it.
 */
package org.civicbot.bot.appointment;

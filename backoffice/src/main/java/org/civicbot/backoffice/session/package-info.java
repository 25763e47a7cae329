/**
 * Staff sessions kept in MongoDB ({@code staff_sessions}), so that they survive a restart and every app
 * instance shares them: the store behind WebFlux's {@code WebSession}, session ids (random, stored only as
 * a hash), the idle timeout and the absolute lifetime, and ending a user's sessions when their password
 * changes.
 */
package org.civicbot.backoffice.session;

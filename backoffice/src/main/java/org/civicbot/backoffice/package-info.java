/**
 * The staff side: staff accounts and access ({@code staff}), what a staff member may see ({@code query}),
 * the JSON API for scripts ({@code api}) and the back-office pages ({@code web}). It talks to
 * conversations only through bot-core, never to a channel.
 */
package org.civicbot.backoffice;

/**
 * The staff side: staff accounts and access ({@code staff}), and the JSON API ({@code api}) that
 * scripts and the back-office pages use. It talks to conversations only through bot-core, never to a
 * channel.
 */
package org.civicbot.backoffice;

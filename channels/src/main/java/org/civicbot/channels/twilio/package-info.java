/**
 * WhatsApp through Twilio: the signed inbound and status webhooks, the sender on Twilio's Messages API
 * and the media fetcher. On when {@code civicbot.twilio.account-sid} is set.
 */
package org.civicbot.channels.twilio;

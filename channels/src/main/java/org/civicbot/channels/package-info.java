/**
 * Provider adapters, one package per provider: {@code twilio} (WhatsApp through Twilio), {@code telegram}
 * and {@code device} (the device-alert bridge). Each package declares its own routes and beans; a
 * provider whose credentials are unset stays off.
 */
package org.civicbot.channels;

/** The device bridge: devices post alerts with their bearer token and each alert becomes an incident once. */
package org.civicbot.channels.device;

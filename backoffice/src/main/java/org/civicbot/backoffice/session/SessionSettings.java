package org.civicbot.backoffice.session;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long a staff session may last in all; how long it may sit idle is Boot's
 * {@code server.reactive.session.timeout}.
 *
 * @param maxLifetime a session ends this long after sign-in, however active it has been
 */
@ConfigurationProperties("civicbot.session")
public record SessionSettings(@DefaultValue("12h") Duration maxLifetime) {}

package org.civicbot.backoffice.staff;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How many wrong passwords a minute are let through before sign-in is refused for a while.
 *
 * @param maxFailures per username (known or not)
 * @param maxFailuresPerAddress per client address, whatever the usernames tried
 * @param lockout the first refusal's length, doubled for each one that follows it within the hour
 */
@ConfigurationProperties("civicbot.login")
public record LoginProperties(@DefaultValue("5") int maxFailures, @DefaultValue("20") int maxFailuresPerAddress,
        @DefaultValue("1m") Duration lockout) {}

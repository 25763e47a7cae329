package org.civicbot.backoffice.staff;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The first admin, created at start when there is no staff user yet.
 *
 * @param password unset: one is generated and logged once, to be changed on first use
 */
@ConfigurationProperties("civicbot.admin")
public record AdminProperties(@DefaultValue("admin") String username, String password) {}

package org.civicbot.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Map tiles and the town's logo load over plain http only from where they are configured to come. */
class ContentSecurityPolicyTests {

    @Test
    void anHttpTileServerIsLetInAndNothingElseOverHttp() {
        assertThat(SecurityConfiguration.csp("https://tile.openstreetmap.org/{z}/{x}/{y}.png", null))
                .isEqualTo(SecurityConfiguration.CSP);
        String policy = SecurityConfiguration.csp("http://tiles.ajuntament.local:8088/{z}/{x}/{y}.png",
                "http://intranet.ajuntament.local/logo.png");
        assertThat(policy).contains("img-src 'self' data: https: http://tiles.ajuntament.local:8088 "
                + "http://intranet.ajuntament.local;").contains("script-src 'self';");
        assertThat(SecurityConfiguration.csp("http://{s}.tiles.ajuntament.local/{z}/{x}/{y}.png", null))
                .contains("img-src 'self' data: https: http://*.tiles.ajuntament.local;");
    }
}

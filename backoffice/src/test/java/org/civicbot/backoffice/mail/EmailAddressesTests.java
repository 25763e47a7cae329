package org.civicbot.backoffice.mail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the back-office accepts as a department's or a staff member's e-mail address. */
class EmailAddressesTests {

    @Test
    void acceptsPlainAddresses() {
        assertThat(EmailAddresses.valid("enllumenat@ajuntament.cat")).isTrue();
        assertThat(EmailAddresses.valid("joan.garcia+incidencies@serveis.ajuntament.cat")).isTrue();
    }

    @Test
    void refusesWhatIsNotOneAddress() {
        assertThat(EmailAddresses.valid("enllumenat")).isFalse();
        assertThat(EmailAddresses.valid("a@localhost")).isFalse();
        assertThat(EmailAddresses.valid("Joan <joan@ajuntament.cat>")).isFalse();
        assertThat(EmailAddresses.valid("a@b.cat, c@d.cat")).isFalse();
        assertThat(EmailAddresses.valid("joan..garcia@ajuntament.cat")).isFalse();
        assertThat(EmailAddresses.valid(".joan@ajuntament.cat")).isFalse();
        assertThat(EmailAddresses.valid("joan@ajuntament.cat ")).isFalse();
        assertThat(EmailAddresses.valid(null)).isFalse();
        assertThat(EmailAddresses.valid("a".repeat(250) + "@b.cat")).isFalse();
    }
}

package org.civicbot.backoffice.mail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which usernames an internal note names with {@code @}. */
class MentionsTests {

    @Test
    void findsANameFollowedByPunctuation() {
        assertThat(Mentions.names("Gràcies @pere.")).containsExactly("pere");
        assertThat(Mentions.names("@pere, @marta: mireu-ho (@joan.garcia) @ona!")).containsExactly("pere", "marta",
                "joan.garcia", "ona");
        assertThat(Mentions.names("cal que ho vegi @jordi_b...")).containsExactly("jordi_b");
    }

    @Test
    void readsAnEmailAddressAsNoMention() {
        assertThat(Mentions.names("escriu a pere@ajuntament.cat o a info@example.org")).isEmpty();
        assertThat(Mentions.names("a@b")).isEmpty();
    }

    @Test
    void namesEachUsernameOnceInLowerCase() {
        assertThat(Mentions.names("@Pere i @pere i @PERE")).containsExactly("pere");
    }

    @Test
    void ignoresWhatCannotBeAUsername() {
        assertThat(Mentions.names("@ sola, @x, @@pere, un preu de 5@, @" + "a".repeat(41))).isEmpty();
        assertThat(Mentions.names(null)).isEmpty();
        assertThat(Mentions.names("res a dir")).isEmpty();
    }
}

package org.civicbot.backoffice.staff;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.civicbot.app.FullStackTest;
import org.civicbot.app.MutableClock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * An unknown username costs a password check like a known one (against a hash made the same way), so the
 * time of the answer does not tell which accounts exist.
 */
class StaffAuthenticationTests extends FullStackTest {

    @Autowired
    StaffUsers users;

    @Autowired
    PasswordEncoder encoder;

    /** The app's encoder, noting which hashes it was asked to check. */
    record Checks(PasswordEncoder encoder, List<String> hashes) implements PasswordEncoder {
        @Override
        public String encode(CharSequence raw) {
            return encoder.encode(raw);
        }

        @Override
        public boolean matches(CharSequence raw, String hash) {
            hashes.add(hash);
            return encoder.matches(raw, hash);
        }
    }

    @Test
    void checksAnUnknownUsernameAgainstAHashLikeAKnownOnesAndRefusesBoth() {
        users.create("timed-user", "Timed User", "timed-user-password", Set.of(StaffUser.Role.AGENT), Set.of()).block();
        Checks checks = new Checks(encoder, new ArrayList<>());
        LoginThrottle throttle = new LoginThrottle(mongo, new LoginProperties(5, 20, Duration.ofMinutes(1)),
                new MutableClock(Instant.parse("2100-02-01T09:00:00Z")));
        StaffAuthentication authentication = new StaffAuthentication(users, checks, throttle);

        assertThat(authentication.check("timed-user", "wrong", Optional.empty()).blockOptional()).isEmpty();
        assertThat(authentication.check("timed-nobody", "wrong", Optional.empty()).blockOptional()).isEmpty();
        assertThat(authentication.check("timed-user", "timed-user-password", Optional.empty()).blockOptional())
                .hasValueSatisfying(user -> assertThat(user.username()).isEqualTo("timed-user"));

        assertThat(checks.hashes()).hasSize(3);
        String known = checks.hashes().get(0);
        String dummy = checks.hashes().get(1);
        assertThat(dummy).isNotEqualTo(known);
        // Same algorithm, same cost: the first 14 characters are "{bcrypt}$2a$10".
        assertThat(dummy.substring(0, 14)).isEqualTo(known.substring(0, 14)).startsWith("{bcrypt}$2");
    }
}

package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.MongoServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

/**
 * The command-line reset of a lost password, run against the running app's store as an operator runs it
 * against a MongoDB server: a new password printed once, to be changed at sign-in, and the user's sessions
 * ended. (FirstStartTests runs it on an embedded store's files.)
 */
class PasswordResetCommandTests extends FullStackTest {

    static final Pattern PRINTED = Pattern.compile("New password for 'lost-admin': (\\S+)");

    @Autowired
    MongoServer store;

    String[] command(String username) {
        return new String[] {"--" + PasswordResetCommand.OPTION + "=" + username,
                "--spring.mongodb.uri=mongodb://127.0.0.1:" + store.getLocalAddress().getPort() + "/civicbot"};
    }

    @Test
    void printsANewPasswordOnceEndsTheSessionsAndExits() {
        web.post().uri("/api/v1/users").headers(h -> h.setBasicAuth("admin", "admin-password"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "lost-admin", "displayName", "Lost Admin", "password", "forgotten-password",
                        "roles", List.of("ADMIN")))
                .exchange().expectStatus().isCreated();
        PageSession before = PageSession.signIn(web, "lost-admin", "forgotten-password");
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        int status = PasswordResetCommand.run(command("lost-admin"), new PrintStream(console, true, StandardCharsets.UTF_8));

        String printed = console.toString(StandardCharsets.UTF_8);
        assertThat(status).as(printed).isZero();
        Matcher matcher = PRINTED.matcher(printed);
        assertThat(matcher.find()).as(printed).isTrue();
        String password = matcher.group(1);
        assertThat(password).hasSizeGreaterThanOrEqualTo(20);
        assertThat(printed.split(Pattern.quote(password), -1)).as("printed once").hasSize(2);
        assertThat(printed).contains("changed at the next sign-in");

        before.getting("/inbox").expectStatus().is3xxRedirection().expectHeader().valueEquals("Location", "/login");
        web.get().uri("/api/v1/users").headers(h -> h.setBasicAuth("lost-admin", "forgotten-password")).exchange()
                .expectStatus().isUnauthorized();
        PageSession.signIn(web, "lost-admin", password, "/password");
    }

    @Test
    void changesNothingForAnUnknownUser() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        int status = PasswordResetCommand.run(command("nobody-here"), new PrintStream(console, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(1);
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("There is no staff user 'nobody-here'");
        assertThat(mongo.findById("nobody-here", org.civicbot.backoffice.staff.StaffUser.class).block()).isNull();
    }
}

package org.civicbot.app;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.civicbot.backoffice.session.SessionSettings;
import org.civicbot.backoffice.session.StaffSessions;
import org.civicbot.backoffice.staff.StaffUsers;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.mongodb.autoconfigure.DataMongoAutoConfiguration;
import org.springframework.boot.data.mongodb.autoconfigure.DataMongoReactiveAutoConfiguration;
import org.springframework.boot.mongodb.autoconfigure.MongoReactiveAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * {@code java -jar civicbot-app.jar --civicbot.admin.reset-password=<username>}: gives a staff member a new
 * generated password, printed once, to be changed at their next sign-in, ends their sessions, and exits.
 * It starts the store and nothing else: no web server, and no dispatcher, which would send pending replies.
 */
// Not a @Configuration: the app's component scan must not pick this small context's beans up.
@ImportAutoConfiguration({MongoReactiveAutoConfiguration.class, DataMongoAutoConfiguration.class,
        DataMongoReactiveAutoConfiguration.class})
@Import({EmbeddedMongoConfiguration.class, StaffUsers.class, StaffSessions.class})
@EnableConfigurationProperties({CivicbotProperties.class, SessionSettings.class})
class PasswordResetCommand {

    static final String OPTION = "civicbot.admin.reset-password";

    /** The same encoding as the app's (the back-office's security configuration is not started here). */
    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    static boolean requested(String[] args) {
        return Arrays.stream(args).anyMatch(arg -> arg.startsWith("--" + OPTION + "="));
    }

    /** Resets the password; returns the process's exit status. */
    static int run(String[] args, PrintStream out) {
        ConfigurableApplicationContext context;
        try {
            context = new SpringApplicationBuilder(PasswordResetCommand.class)
                    .web(WebApplicationType.NONE)
                    .bannerMode(Banner.Mode.OFF)
                    .logStartupInfo(false)
                    // Only the password and what went wrong belong on this console.
                    .properties("logging.level.root=WARN", "logging.level.de.bwaldvogel.mongo=ERROR")
                    .run(args);
        } catch (RuntimeException e) {
            out.println("Could not open the store: " + e.getMessage());
            out.println("With the embedded store, stop the app first: its files are in use while it runs.");
            return 2;
        }
        try (context) {
            String username = context.getEnvironment().getRequiredProperty(OPTION).strip();
            Optional<String> password = context.getBean(StaffUsers.class).resetToGenerated(username)
                    .blockOptional(Duration.ofSeconds(30));
            if (password.isEmpty()) {
                out.println("There is no staff user '" + username + "': nothing was changed.");
                return 1;
            }
            out.println("New password for '" + username + "': " + password.get());
            out.println("It must be changed at the next sign-in. Every session of '" + username + "' has ended.");
            return 0;
        }
    }
}

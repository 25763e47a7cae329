package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The app as an operator first meets it, on a fresh data directory and no admin password configured: the
 * generated password is logged once and must be changed at the first sign-in; a session survives a restart
 * (it lives in the store); and a lost password is reset from the command line while the app is stopped.
 */
@ExtendWith(OutputCaptureExtension.class)
class FirstStartTests {

    static final Pattern GENERATED = Pattern.compile("generated password: (\\S+)");
    static final Pattern RESET = Pattern.compile("New password for 'admin': (\\S+)");

    final Path dataDir = FullStackTest.tempDir();

    @BeforeEach
    void providers() {
        Providers.goodDay();
    }

    ConfigurableApplicationContext start() {
        List<String> args = new ArrayList<>();
        FullStackTest.commonProperties(dataDir).forEach((name, value) -> {
            if (!name.equals("civicbot.admin.password") && !name.equals("management.server.port")) {
                args.add("--" + name + "=" + value);
            }
        });
        args.add("--server.port=0");
        args.add("--management.server.port=-1");
        return FullStackTest.separateApp().run(args.toArray(String[]::new));
    }

    static WebTestClient client(ConfigurableApplicationContext app) {
        return WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + app.getEnvironment().getRequiredProperty("local.server.port"))
                .responseTimeout(FullStackTest.PATIENCE).build();
    }

    static String found(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as("%s in the output", pattern).isTrue();
        return matcher.group(1);
    }

    @Test
    void makesTheGeneratedPasswordBeChangedKeepsSessionsAcrossARestartAndResetsALostOne(CapturedOutput output) {
        String session;
        try (ConfigurableApplicationContext first = start()) {
            WebTestClient web = client(first);
            String generated = found(GENERATED, output.getOut());
            assertThat(output.getOut()).as("a clean first start logs no failure").doesNotContain("failed to handle")
                    .doesNotContain("\tat ");
            PageSession admin = PageSession.signIn(web, "admin", generated, "/password");
            admin.getting("/admin").expectStatus().is3xxRedirection().expectHeader().valueEquals("Location", "/password");
            PageSession changed = admin.changePassword(generated, "the-operator-chose-this");
            assertThat(changed.get("/inbox")).contains("id=\"current-user\"");
            session = changed.id();
        }

        try (ConfigurableApplicationContext second = start()) {
            WebTestClient web = client(second);
            assertThat(new PageSession(web, session).get("/inbox")).as("the same session after a restart")
                    .contains("id=\"current-user\"");
            assertThat(GENERATED.matcher(output.getOut()).results().count()).as("logged on the first start only")
                    .isEqualTo(1);
        }

        // The operator lost the password: with the app stopped, the command works on the store's files.
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        int status = PasswordResetCommand.run(new String[] {"--civicbot.admin.reset-password=admin",
                "--civicbot.data-dir=" + dataDir}, new PrintStream(console, true, StandardCharsets.UTF_8));
        String printed = console.toString(StandardCharsets.UTF_8);
        assertThat(status).as(printed).isZero();
        String reset = found(RESET, printed);

        try (ConfigurableApplicationContext third = start()) {
            WebTestClient web = client(third);
            new PageSession(web, session).getting("/inbox").expectStatus().is3xxRedirection()
                    .expectHeader().valueEquals("Location", "/login");
            assertThat(PageSession.submitLogin(web, "admin", "the-operator-chose-this").getResponseHeaders().getLocation())
                    .as("the lost password no longer works").hasToString("/login?error");
            PageSession.signIn(web, "admin", reset, "/password").changePassword(reset, "a-new-one-at-last")
                    .get("/inbox");
        }
    }
}

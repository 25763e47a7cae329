package org.civicbot.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The civicbot server: webhooks, the bot, the staff API and back-office, on one port; or, with
 * {@code --civicbot.admin.reset-password=<username>}, a one-off password reset ({@link PasswordResetCommand}).
 */
@SpringBootApplication(scanBasePackages = "org.civicbot")
@ConfigurationPropertiesScan("org.civicbot")
public class CivicbotApplication {

    public static void main(String[] args) {
        if (PasswordResetCommand.requested(args)) {
            System.exit(PasswordResetCommand.run(args, System.out));
        }
        SpringApplication.run(CivicbotApplication.class, args);
    }
}

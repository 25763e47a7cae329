package org.civicbot.bot.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The engine stays pure: nothing in it may reach storage, the network, a framework or the clock. */
class EnginePurityTests {

    static final JavaClasses BOT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.civicbot.bot");

    @Test
    void engineImportsNoFrameworkStoreOrNetwork() {
        noClasses().that().resideInAPackage("org.civicbot.bot.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "reactor..",
                        "com.mongodb..", "org.bson..", "java.net..", "java.net.http..", "org.slf4j..",
                        "org.civicbot.bot.conversation..", "org.civicbot.bot.inbound..", "org.civicbot.bot.outbox..",
                        "org.civicbot.bot.turn..", "org.civicbot.bot.incident..", "org.civicbot.bot.media..")
                .check(BOT);
    }

    @Test
    void engineReadsNoClockOfItsOwn() {
        noClasses().that().resideInAPackage("org.civicbot.bot.engine..")
                .should().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(java.util.UUID.class, "randomUUID")
                .check(BOT);
    }
}

package org.civicbot.app;

import com.mongodb.ConnectionString;
import com.mongodb.WriteConcern;
import org.civicbot.bot.Durability;
import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * With {@code spring.mongodb.uri}: writes are acknowledged by a majority of the replica set and only
 * once journaled, so an acknowledged write survives {@code kill -9} of the app and of a MongoDB node.
 * A write concern given in the URI ({@code w}, {@code journal}) is the operator's and wins.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedMongoConfiguration.MongoUri.class)
class MongoServerConfiguration {

    @Bean
    MongoClientSettingsBuilderCustomizer journaledWrites(Environment environment) {
        ConnectionString uri = new ConnectionString(environment.getRequiredProperty("spring.mongodb.uri"));
        return settings -> {
            if (uri.getWriteConcern() == null) {
                settings.writeConcern(WriteConcern.MAJORITY.withJournal(true));
            }
        };
    }

    @Bean
    Durability storeDurability() {
        return Durability.journaledWrites();
    }
}

package org.civicbot.app;

import com.mongodb.ConnectionString;
import de.bwaldvogel.mongo.MongoServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.mongodb.autoconfigure.MongoConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * With no {@code spring.mongodb.uri}, runs an embedded MongoDB-wire-protocol server (mongo-java-server
 * with its H2 file backend under {@code civicbot.data-dir}) on a loopback port, and points the real
 * MongoDB driver at it. Nothing else in the app knows the difference.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedMongoConfiguration.NoMongoUri.class)
class EmbeddedMongoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMongoConfiguration.class);

    /** The H2 file under the data directory; the server closes it on shutdown. */
    @Bean(destroyMethod = "")
    MVStore embeddedStoreFile(CivicbotProperties properties) {
        Path dir = properties.dataDir().toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create civicbot.data-dir " + dir, e);
        }
        Path file = dir.resolve("civicbot.mv");
        log.info("Embedded store at {} (set spring.mongodb.uri to use a MongoDB server)", file);
        return new MVStore.Builder().fileName(file.toString()).open();
    }

    @Bean(destroyMethod = "shutdownNow")
    MongoServer embeddedMongoServer(MVStore file) {
        MongoServer server = new MongoServer(new EmbeddedBackend(file));
        server.bind("127.0.0.1", 0);
        return server;
    }

    /** The file commits in the background; acknowledgements wait for an explicit, grouped commit. */
    @Bean(destroyMethod = "close")
    GroupCommit storeDurability(MVStore file) {
        return new GroupCommit(file);
    }

    @Bean
    MongoConnectionDetails embeddedMongoConnectionDetails(MongoServer server) {
        InetSocketAddress address = server.getLocalAddress();
        ConnectionString uri = new ConnectionString(
                "mongodb://" + address.getHostString() + ":" + address.getPort() + "/civicbot");
        return () -> uri;
    }

    static class NoMongoUri implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String uri = context.getEnvironment().getProperty("spring.mongodb.uri");
            return uri == null || uri.isBlank();
        }
    }

    static class MongoUri extends NoMongoUri {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !super.matches(context, metadata);
        }
    }
}

package org.civicbot.app;

import java.time.Duration;
import de.bwaldvogel.mongo.MongoServer;
import org.bson.Document;
import org.springframework.beans.factory.ObjectProvider;
import org.civicbot.bot.conversation.QueueWatch;
import org.civicbot.bot.history.HistoryRetention;
import org.civicbot.bot.outbox.Dispatcher;
import org.civicbot.bot.outbox.Outbox;
import org.civicbot.bot.Durability;
import org.civicbot.bot.turn.Sweeper;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.CompoundIndexDefinition;
import org.springframework.data.mongodb.core.index.Index;
import org.civicbot.bot.announcement.Announcements;
import org.civicbot.bot.announcement.Catalogue;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * What the app does once on start, before it takes traffic, and on stop: creates the indexes, seeds the
 * devices, resumes what a previous run left (unfinished turns, unprocessed messages), starts the
 * dispatcher, which then sends whatever is still unsent, and the sweeper, which from then on drives
 * again whatever stalls.
 */
@Component
class StartupTasks implements SmartLifecycle {

    private static final Duration STARTUP_LIMIT = Duration.ofMinutes(2);

    private final ReactiveMongoTemplate mongo;
    private final org.civicbot.bot.device.DeviceRegistry devices;
    private final CivicbotProperties properties;
    private final Sweeper sweeper;
    private final Outbox outbox;
    private final HistoryRetention retention;
    private final Durability durability;
    private final Dispatcher dispatcher;
    private final QueueWatch queueWatch;
    private final Catalogue catalogue;
    private final Announcements announcements;
    private final boolean embedded;
    private final org.civicbot.bot.incident.Categories categories;
    private final org.civicbot.bot.incident.Rules rules;
    private final org.civicbot.bot.incident.AnswerTemplates templates;
    private final org.civicbot.bot.FlowRuntime flows;
    private final org.civicbot.bot.privacy.PrivacyRetention privacyRetention;
    private volatile boolean running;

    StartupTasks(ReactiveMongoTemplate mongo, org.civicbot.bot.device.DeviceRegistry devices, CivicbotProperties properties,
            Sweeper sweeper, Outbox outbox, HistoryRetention retention, Durability durability, Dispatcher dispatcher, QueueWatch queueWatch,
            ObjectProvider<MongoServer> embeddedServer, Catalogue catalogue, Announcements announcements,
            org.civicbot.bot.incident.Categories categories, org.civicbot.bot.FlowRuntime flows,
            org.civicbot.bot.incident.Rules rules, org.civicbot.bot.incident.AnswerTemplates templates,
            org.civicbot.bot.privacy.PrivacyRetention privacyRetention) {
        this.privacyRetention = privacyRetention;
        this.templates = templates;
        this.rules = rules;
        this.categories = categories;
        this.flows = flows;
        this.catalogue = catalogue;
        this.announcements = announcements;
        this.queueWatch = queueWatch;
        this.embedded = embeddedServer.getIfAvailable() != null;
        this.mongo = mongo;
        this.devices = devices;
        this.properties = properties;
        this.sweeper = sweeper;
        this.outbox = outbox;
        this.retention = retention;
        this.durability = durability;
        this.dispatcher = dispatcher;
    }

    /** The categories the flows' category menus offer, named as the citizen reads them, for the store to have. */
    private java.util.List<org.civicbot.bot.incident.Category> firstCategories() {
        java.util.List<org.civicbot.flows.Node.Option> options = flows.get().flows().categoryOptions();
        java.util.List<org.civicbot.bot.incident.Category> seeded = new java.util.ArrayList<>();
        for (int i = 0; i < options.size(); i++) {
            org.civicbot.flows.Node.Option option = options.get(i);
            java.util.Map<String, String> labels = new java.util.LinkedHashMap<>();
            option.label().values().forEach((language, text) -> labels.put(language.code(), text));
            seeded.add(new org.civicbot.bot.incident.Category(option.value(), null, labels,
                    properties.serviceDays().get(option.value()), (i + 1) * 10));
        }
        return seeded;
    }

    @Override
    public void start() {
        indexes()
                // Configuration's devices go into an empty registry, once; then the registry is the admins'.
                .then(devices.seed(properties.devices().stream()
                        .map(d -> new org.civicbot.bot.device.DeviceRegistry.Seed(d.id(), d.token())).toList()))
                // Whatever a previous run left: unfinished turns, messages stored and not yet applied.
                .then(sweeper.sweep(Duration.ZERO))
                // The replies still to send, queued again: on the embedded store that queue is in memory, and the
                // places a version that kept them in the store left there are of no use any more.
                .then(embedded ? mongo.remove(new org.springframework.data.mongodb.core.query.Query(), "outbox_queue")
                        .then() : Mono.empty())
                .then(outbox.queueUnsent())
                // Only this process uses the embedded store: a send it finds under way was interrupted.
                .then(embedded ? outbox.interruptedSends().then() : Mono.empty())
                .then(catalogue.seedTopics())
                .then(categories.seed(firstCategories()))
                .then(rules.seed(properties.incidentRouting()))
                .then(templates.seed())
                .then(durability.sync())
                .block(STARTUP_LIMIT);
        dispatcher.start();
        queueWatch.start(properties.handoff().checkEvery());
        sweeper.start(properties.sweeper().every(), properties.sweeper().stalledAfter(),
                properties.sweeper().unqueuedEvery());
        retention.start();
        privacyRetention.start();
        announcements.start(properties.announcements().checkEvery());
        running = true;
    }

    @Override
    public void stop() {
        dispatcher.stop();
        queueWatch.stop();
        sweeper.stop();
        retention.stop();
        privacyRetention.stop();
        announcements.close();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Before the web server starts, so that nothing a provider delivers now is taken before what the last run left
     * (on the embedded store, messages answered and not yet queued), and after it stops, so that no request still
     * being answered meets a stopped dispatcher.
     */
    @Override
    public int getPhase() {
        return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 2048;
    }

    /**
     * Unique indexes everywhere; the others only on a MongoDB server, which needs them at scale (the
     * embedded store ignores non-unique indexes, with a warning each start).
     */
    /**
     * The embedded store serves a query from an index only when the query names exactly that index's
     * fields: a version-checked update ({@code _id} and {@code version}) or a claim ({@code _id} and
     * {@code status}) would read the whole collection. These unique indexes (unique already by their
     * {@code _id}) match those queries' fields, so each is one index lookup. A MongoDB server answers the
     * same queries from its {@code _id} index and does not need them.
     */
    private Mono<Void> conditionalUpdateIndexes() {
        // One after the other: the embedded store's index catalogue is not safe against a drop and a create on
        // the same collection at once (it failed a start, rarely, with "index is null").
        return rebuilt("conversations", "conditional_version", new Document("_id", 1).append("version", 1))
                .then(rebuilt("conversations", "conditional_turn",
                        new Document("_id", 1).append("pendingTurn.turnId", 1)))
                .then(rebuilt("outbox", "conditional_status", new Document("_id", 1).append("status", 1)));
    }

    /** A public status page finds its incident by token: the query's only key, so the embedded store uses it too. */
    private Mono<Void> publicTokenIndex() {
        return mongo.indexOps("incidents").createIndex(new Index("publicToken", Sort.Direction.ASC)).then();
    }

    /**
     * Built afresh at every start: the H2 file commits its maps as they are at that moment, so a crash can
     * leave an index entry behind its document (a claim on disk as SENDING, its index entry still PENDING),
     * and a conditional update that looks the document up through the index would then miss it for good.
     */
    private Mono<Void> rebuilt(String collection, String name, Document keys) {
        // Dropped only when there: the embedded store logs a stack trace for dropping an index it does not have,
        // which an operator reading a first start's log would take for a fault.
        Mono<Boolean> there = mongo.indexOps(collection).getIndexInfo().any(index -> name.equals(index.getName()))
                .onErrorReturn(false);
        return there.flatMap(found -> found ? mongo.indexOps(collection).dropIndex(name) : Mono.<Void>empty())
                .onErrorResume(e -> Mono.empty())
                .then(mongo.indexOps(collection).createIndex(new CompoundIndexDefinition(keys).named(name).unique()))
                .then();
    }

    private Mono<Void> indexes() {
        Mono<Void> unique = mongo.indexOps("incidents").createIndex(new Index("code", Sort.Direction.ASC).unique())
                .then(mongo.indexOps("devices").createIndex(new Index("tokenSha256", Sort.Direction.ASC).unique()))
                .then(mongo.indexOps("appointments").createIndex(new Index("code", Sort.Direction.ASC).unique()))
                // One filter of a name per person, however many saves race.
                .then(mongo.indexOps("saved_filters").createIndex(new CompoundIndexDefinition(
                        new Document("username", 1).append("name", 1)).unique()))
                .then();
        if (embedded) {
            return unique.then(conditionalUpdateIndexes()).then(publicTokenIndex());
        }
        return unique.then(Mono.when(
                mongo.indexOps("inbound_messages").createIndex(
                        new CompoundIndexDefinition(new Document("conversationId", 1).append("status", 1).append("seq", 1))),
                mongo.indexOps("inbound_messages").createIndex(new Index("status", Sort.Direction.ASC)),
                mongo.indexOps("outbox").createIndex(new CompoundIndexDefinition(new Document("status", 1).append("seq", 1))),
                mongo.indexOps("outbox").createIndex(
                        new CompoundIndexDefinition(new Document("channel", 1).append("providerMessageId", 1))),
                mongo.indexOps("outbox").createIndex(
                        new CompoundIndexDefinition(new Document("conversationId", 1).append("seq", 1))),
                mongo.indexOps("incidents").createIndex(new Index("createdAt", Sort.Direction.DESC)),
                // Duplicates nearby: open incidents of a category, recent first.
                mongo.indexOps("incidents").createIndex(new CompoundIndexDefinition(new Document("category", 1)
                        .append("status", 1).append("createdAt", -1))),
                mongo.indexOps("subscriptions").createIndex(new CompoundIndexDefinition(new Document("topic", 1)
                        .append("area", 1))),
                mongo.indexOps("subscriptions").createIndex(new Index("conversationId", Sort.Direction.ASC)),
                mongo.indexOps("announcements").createIndex(new CompoundIndexDefinition(new Document("status", 1)
                        .append("sendAt", 1))),
                publicTokenIndex(),
                // The reminders' round, the calendar's month and an incident's activities.
                mongo.indexOps("activities").createIndex(new CompoundIndexDefinition(new Document("remindedAt", 1)
                        .append("at", 1))),
                mongo.indexOps("activities").createIndex(new Index("at", Sort.Direction.ASC)),
                mongo.indexOps("activities").createIndex(new Index("incident", Sort.Direction.ASC)),
                mongo.indexOps("activities").createIndex(new Index("series", Sort.Direction.ASC)),
                mongo.indexOps("conversations").createIndex(
                        new CompoundIndexDefinition(new Document("status", 1).append("lastMessageAt", -1))),
                // A device's asset: its incidents (its page, a citizen's report naming it).
                mongo.indexOps("incidents").createIndex(new CompoundIndexDefinition(new Document("assetId", 1)
                        .append("status", 1))),
                // An office's day, a contact's appointments, the reminders' round, the seats of a slot.
                mongo.indexOps("appointments").createIndex(new CompoundIndexDefinition(new Document("office", 1)
                        .append("start", 1))),
                mongo.indexOps("appointments").createIndex(new Index("conversationId", Sort.Direction.ASC)),
                mongo.indexOps("appointments").createIndex(new CompoundIndexDefinition(new Document("status", 1)
                        .append("start", 1))),
                mongo.indexOps("appointment_seats").createIndex(new CompoundIndexDefinition(new Document("service", 1)
                        .append("office", 1).append("start", 1)))));
    }
}

package org.civicbot.app;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.civicbot.bot.Durability;
import io.micrometer.core.instrument.MeterRegistry;
import org.civicbot.bot.FlowRuntime;
import org.civicbot.bot.PathMetrics;
import org.civicbot.bot.conversation.CitizenNotices;
import org.civicbot.bot.conversation.OutboundPolicy;
import org.civicbot.bot.conversation.ConversationEvents;
import org.civicbot.bot.conversation.ConversationIds;
import org.civicbot.bot.conversation.ConversationStore;
import org.civicbot.bot.conversation.OfficeHours;
import org.civicbot.bot.conversation.QueuePolicy;
import org.civicbot.bot.conversation.QueueWatch;
import org.civicbot.bot.conversation.Timeline;
import org.civicbot.bot.conversation.PendingTurns;
import org.civicbot.bot.conversation.StaffDesk;
import org.civicbot.bot.device.MongoDeviceAlerts;
import org.civicbot.bot.history.HistoryRetention;
import org.civicbot.bot.inbound.InboundLog;
import org.civicbot.bot.incident.Geocoder;
import org.civicbot.bot.incident.IncidentCodes;
import org.civicbot.bot.incident.IncidentDesk;
import org.civicbot.bot.incident.PublicPages;
import org.civicbot.bot.incident.Drafts;
import org.civicbot.bot.announcement.Announcements;
import org.civicbot.bot.announcement.Catalogue;
import org.civicbot.bot.announcement.Subscriptions;
import org.civicbot.bot.conversation.Satisfaction;
import org.civicbot.bot.incident.StatusAnswers;
import org.civicbot.bot.turn.Lookups;
import org.civicbot.bot.incident.Categories;
import org.civicbot.bot.incident.IncidentAlerts;
import org.civicbot.bot.incident.Rules;
import org.civicbot.bot.incident.Incidents;
import org.civicbot.bot.incident.NominatimGeocoder;
import org.civicbot.bot.live.LiveFeed;
import org.civicbot.bot.media.MediaFetcher;
import org.civicbot.bot.media.PhotoStore;
import org.civicbot.bot.outbox.Backoff;
import org.civicbot.bot.outbox.ChannelSender;
import org.civicbot.bot.outbox.Dispatcher;
import org.civicbot.bot.outbox.MemoryQueue;
import org.civicbot.bot.outbox.Outbox;
import org.civicbot.bot.outbox.OutboxStatusCallbacks;
import org.civicbot.bot.outbox.SendQueue;
import org.civicbot.bot.outbox.StoredQueue;
import org.civicbot.bot.turn.ConversationLanes;
import org.civicbot.bot.turn.Sweeper;
import org.civicbot.bot.turn.TurnProcessor;
import org.civicbot.flows.FlowBundle;
import org.civicbot.flows.Flows;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.gridfs.ReactiveGridFsTemplate;
import org.springframework.web.reactive.function.client.WebClient;

/** Assembles bot-core: the store adapters, the turn machinery and the outbox, from configuration. */
@Configuration(proxyBeanMethods = false)
class BotConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * The flows this release starts from: the built-in ones, or {@code civicbot.flows-dir}'s. Refuses to start when
     * they are invalid (the exception's message is the validator's report): they are the release's, not content.
     */
    private static java.util.List<org.civicbot.flows.FlowSource> shipped(CivicbotProperties properties) {
        return properties.flowsDir() == null ? Flows.defaults() : Flows.fromDirectory(properties.flowsDir());
    }

    @Bean
    FlowRuntime flowRuntime(CivicbotProperties properties,
            @org.springframework.beans.factory.annotation.Value("${civicbot.incident.max-photos:3}") int maxPhotos,
            org.civicbot.bot.engine.Area municipality) {
        FlowBundle flows = Flows.load(shipped(properties));
        return new FlowRuntime(flows, maxPhotos, municipality, properties.town().placeholders());
    }

    /** The live information sources; a source with no URL or an unknown kind stops the start, naming it. */
    @Bean(destroyMethod = "close")
    org.civicbot.bot.content.sources.ContentSources contentSources(ReactiveMongoTemplate mongo,
            ObjectProvider<WebClient.Builder> builders, CivicbotProperties properties, Clock clock) {
        java.util.Map<String, org.civicbot.bot.content.sources.ContentSources.Source> sources = new java.util.HashMap<>();
        properties.content().sources().forEach((name, s) -> {
            if (s.url() == null || s.url().isBlank()) {
                throw new IllegalStateException("civicbot.content.sources." + name + ".url is not set");
            }
            org.civicbot.bot.content.sources.SourceKind kind = org.civicbot.bot.content.sources.SourceKind.of(s.kind())
                    .orElseThrow(() -> new IllegalStateException("civicbot.content.sources." + name + ".kind is \""
                            + s.kind() + "\"; it is rss, atom, ical, csv or json"));
            sources.put(name, new org.civicbot.bot.content.sources.ContentSources.Source(name, s.url().strip(), kind,
                    s.refresh(), s.timeout()));
        });
        org.civicbot.bot.content.sources.ContentSources content = new org.civicbot.bot.content.sources.ContentSources(
                mongo, builders.getIfAvailable(WebClient::builder), sources, clock, properties.timeZone());
        content.start();
        return content;
    }

    /** Appointments: bookings, and a sweep of seats no booking holds every 5 minutes. */
    @Bean(destroyMethod = "close")
    org.civicbot.bot.appointment.Appointments appointments(ReactiveMongoTemplate mongo, CivicbotProperties properties,
            Clock clock) {
        org.civicbot.bot.appointment.Appointments appointments = new org.civicbot.bot.appointment.Appointments(mongo,
                clock, properties.timeZone());
        appointments.start(java.time.Duration.ofMinutes(5));
        return appointments;
    }

    /**
     * The day-before reminders of appointments booked in the chat, from {@code civicbot.appointments.reminder-time}
     * (the town's time, {@code 10:00} by default), looked for every quarter of an hour.
     */
    @Bean(destroyMethod = "close")
    org.civicbot.bot.conversation.AppointmentReminders appointmentReminders(ReactiveMongoTemplate mongo,
            org.civicbot.bot.appointment.Appointments appointments, ConversationStore conversations,
            ConversationEvents events, Outbox outbox, CitizenNotices notices, OutboundPolicy policy, FlowRuntime flows,
            Clock clock, CivicbotProperties properties,
            @org.springframework.beans.factory.annotation.Value("${civicbot.appointments.reminder-time:10:00}")
            java.time.LocalTime from) {
        org.civicbot.bot.conversation.AppointmentReminders reminders = new org.civicbot.bot.conversation
                .AppointmentReminders(mongo, appointments, conversations, events, outbox, notices, policy,
                () -> flows.get().flows(), clock, properties.timeZone(), from);
        reminders.start(java.time.Duration.ofMinutes(15));
        return reminders;
    }

    @Bean
    org.civicbot.bot.content.FlowRevisions flowRevisions(ReactiveMongoTemplate mongo, Clock clock) {
        return new org.civicbot.bot.content.FlowRevisions(mongo, clock);
    }

    /**
     * Serves the newest published revision before any message is handled: the shipped flows are revision 1 of an
     * empty store; afterwards editors publish, and every instance follows within {@code civicbot.flows.check-every}.
     */
    @Bean(destroyMethod = "close")
    org.civicbot.bot.content.FlowSync flowSync(org.civicbot.bot.content.FlowRevisions revisions, FlowRuntime runtime,
            CivicbotProperties properties,
            @org.springframework.beans.factory.annotation.Value("${civicbot.flows.check-every:2s}") java.time.Duration every) {
        org.civicbot.bot.content.FlowSync sync = new org.civicbot.bot.content.FlowSync(revisions, runtime);
        sync.start(shipped(properties), properties.flowsDir() == null ? "the built-in flows"
                : "the flows of " + properties.flowsDir(), every).block(java.time.Duration.ofMinutes(1));
        return sync;
    }

    /** The municipality ({@code civicbot.municipality.boundary}): pins outside are refused, addresses searched in. */
    @Bean
    org.civicbot.bot.engine.Area municipality(
            @org.springframework.beans.factory.annotation.Value("${civicbot.municipality.boundary:}") String boundary) {
        return MunicipalityBoundary.parse(boundary);
    }

    @Bean
    PathMetrics pathMetrics(MeterRegistry registry) {
        return new PathMetrics(registry);
    }

    @Bean
    LiveFeed liveFeed(Clock clock) {
        return new LiveFeed(clock);
    }

    @Bean
    ConversationStore conversationStore(ReactiveMongoTemplate mongo) {
        return new ConversationStore(mongo);
    }

    @Bean
    PhotoStore photoStore(ReactiveGridFsTemplate gridFs) {
        return new PhotoStore(gridFs);
    }

    @Bean
    org.civicbot.bot.privacy.ContactRecords contactRecords(ReactiveMongoTemplate mongo, ConversationIds ids,
            PhotoStore photos, ObjectProvider<MediaFetcher> fetchers, Clock clock) {
        return new org.civicbot.bot.privacy.ContactRecords(mongo, ids, photos, fetchers.orderedStream().toList(),
                clock);
    }

    @Bean
    org.civicbot.bot.privacy.PrivacyRetention privacyRetention(ReactiveMongoTemplate mongo,
            org.civicbot.bot.privacy.ContactRecords contacts, PhotoStore photos,
            org.civicbot.bot.privacy.PrivacyRequests audit, Clock clock, CivicbotProperties properties) {
        return new org.civicbot.bot.privacy.PrivacyRetention(mongo, contacts, photos, audit, clock,
                properties.retention().policy());
    }

    @Bean
    org.civicbot.bot.privacy.AccessLog accessLog(ReactiveMongoTemplate mongo, Clock clock,
            CivicbotProperties properties) {
        return new org.civicbot.bot.privacy.AccessLog(mongo, clock, properties.privacy().sensitiveDepartments());
    }

    @Bean
    org.civicbot.bot.privacy.PrivacyRequests privacyRequests(ReactiveMongoTemplate mongo, Clock clock) {
        return new org.civicbot.bot.privacy.PrivacyRequests(mongo, clock);
    }

    @Bean
    Geocoder geocoder(CivicbotProperties properties, ObjectProvider<WebClient.Builder> builders,
            org.civicbot.bot.engine.Area municipality) {
        CivicbotProperties.Geocoder settings = properties.geocoder();
        if (settings.baseUrl() == null || settings.baseUrl().isBlank()) {
            return Geocoder.none();
        }
        return new NominatimGeocoder(builders.getIfAvailable(WebClient::builder), settings.baseUrl(),
                settings.timeout(), settings.countryCodes(), settings.city(), municipality);
    }

    @Bean
    Incidents incidents(ReactiveMongoTemplate mongo, CivicbotProperties properties, Geocoder geocoder, Clock clock,
            Categories categories, Rules rules, ObjectProvider<IncidentAlerts> alerts) {
        return new Incidents(mongo, new IncidentCodes(mongo, properties.timeZone()), geocoder, clock,
                properties.incidentRouting(), categories)
                .routedBy(rules, alerts.getIfAvailable(IncidentAlerts::none));
    }

    @Bean
    org.civicbot.bot.incident.SimilarIncidents similarIncidents(ReactiveMongoTemplate mongo) {
        return new org.civicbot.bot.incident.SimilarIncidents(mongo);
    }

    @Bean(destroyMethod = "close")
    org.civicbot.bot.RateLimits rateLimits(ReactiveMongoTemplate mongo, Clock clock) {
        return new org.civicbot.bot.RateLimits(mongo, clock);
    }

    @Bean
    org.civicbot.bot.Secrets secrets(ReactiveMongoTemplate mongo) {
        return new org.civicbot.bot.Secrets(mongo);
    }

    @Bean
    org.civicbot.bot.incident.AnswerTemplates answerTemplates(ReactiveMongoTemplate mongo) {
        return new org.civicbot.bot.incident.AnswerTemplates(mongo);
    }

    @Bean
    Rules rules(ReactiveMongoTemplate mongo, Categories categories, org.civicbot.bot.announcement.Catalogue catalogue) {
        return new Rules(mongo, categories, catalogue);
    }

    @Bean
    Categories categories(ReactiveMongoTemplate mongo) {
        return new Categories(mongo);
    }

    /**
     * Where replies wait to be sent: in memory on the embedded store, which serves this process only, so that nothing
     * else queues or sends replies (the outbox is read for the unsent ones at start); in the store on a MongoDB that
     * instances may share.
     */
    @Bean
    SendQueue sendQueue(ReactiveMongoTemplate mongo, ObjectProvider<de.bwaldvogel.mongo.MongoServer> embeddedStore) {
        return embeddedStore.getIfAvailable() != null ? new MemoryQueue() : new StoredQueue(mongo);
    }

    @Bean
    Dispatcher dispatcher(ReactiveMongoTemplate mongo, SendQueue queue, Durability durability,
            ObjectProvider<ChannelSender> senders, Clock clock, CivicbotProperties properties, PathMetrics metrics) {
        CivicbotProperties.OutboxSettings o = properties.outbox();
        Dispatcher.Settings settings = new Dispatcher.Settings(o.pollInterval(), o.sendTimeout(),
                o.sendTimeout().multipliedBy(4), new Backoff(o.retryInitial(), o.retryMax(), o.maxAttempts()));
        return new Dispatcher(mongo, queue, durability, senders.orderedStream().toList(), clock, settings, metrics);
    }

    @Bean
    Outbox outbox(ReactiveMongoTemplate mongo, Clock clock, SendQueue queue, Dispatcher dispatcher) {
        return new Outbox(mongo, clock, queue, dispatcher::placed);
    }

    @Bean
    OutboxStatusCallbacks statusCallbacks(ReactiveMongoTemplate mongo, Clock clock) {
        return new OutboxStatusCallbacks(mongo, clock);
    }

    @Bean
    PendingTurns pendingTurns(ReactiveMongoTemplate mongo, Incidents incidents, PhotoStore photos, Outbox outbox,
            Clock clock, LiveFeed feed) {
        return new PendingTurns(mongo, incidents, photos, outbox, clock, feed);
    }

    @Bean
    ConversationEvents conversationEvents(ReactiveMongoTemplate mongo, LiveFeed feed) {
        return new ConversationEvents(mongo, feed);
    }

    @Bean
    QueuePolicy queuePolicy(CivicbotProperties properties) {
        CivicbotProperties.Handoff handoff = properties.handoff();
        return new QueuePolicy(OfficeHours.parse(handoff.officeHours(), properties.timeZone()),
                handoff.waitNoticeAfter());
    }

    @Bean
    TurnProcessor turnProcessor(ReactiveMongoTemplate mongo, ConversationStore conversations,
            PendingTurns pendingTurns, FlowRuntime flows, PhotoStore photos, ObjectProvider<MediaFetcher> fetchers,
            LiveFeed feed, ConversationEvents events, QueuePolicy queue, Clock clock, PathMetrics metrics,
            PublicPages pages, CivicbotProperties properties, Geocoder geocoder, Incidents incidents,
            Satisfaction satisfaction, Catalogue catalogue, Subscriptions subscriptions,
            org.civicbot.bot.content.sources.ContentSources sources,
            org.civicbot.bot.appointment.Appointments appointments) {
        List<MediaFetcher> all = fetchers.orderedStream().toList();
        return new TurnProcessor(mongo, conversations, pendingTurns, flows, photos, all, feed, events, queue, clock,
                metrics, new StatusAnswers(mongo, pages, incidents, properties.timeZone()),
                new Lookups(geocoder, incidents, duplicates(properties.duplicates()), properties.timeZone(), clock,
                        catalogue, subscriptions, sources, appointments),
                satisfaction, subscriptions, properties.privacy().termsVersion());
    }

    static Lookups.Duplicates duplicates(CivicbotProperties.Duplicates settings) {
        Map<String, Double> radius = new java.util.HashMap<>();
        Map<String, java.time.Duration> window = new java.util.HashMap<>();
        settings.categories().forEach((category, own) -> {
            if (own.radius() != null) {
                radius.put(category, own.radius());
            }
            if (own.window() != null) {
                window.put(category, own.window());
            }
        });
        return new Lookups.Duplicates(settings.radius(), settings.window(), radius, window);
    }

    @Bean
    CitizenNotices citizenNotices(ReactiveMongoTemplate mongo, ConversationStore conversations,
            ConversationEvents events, Outbox outbox, FlowRuntime flows, OutboundPolicy policy, Clock clock) {
        return new CitizenNotices(mongo, conversations, events, outbox, () -> flows.get().flows(), policy, clock);
    }

    /**
     * WhatsApp's rules for what leaves: the approved templates are {@code civicbot.twilio.templates.<purpose>.<lang>},
     * Twilio Content SIDs ({@code HX...}).
     */
    @Bean
    OutboundPolicy outboundPolicy(org.springframework.core.env.Environment environment) {
        Map<String, String> flat = org.springframework.boot.context.properties.bind.Binder.get(environment)
                .bind("civicbot.twilio.templates", org.springframework.boot.context.properties.bind.Bindable
                        .mapOf(String.class, String.class))
                .orElse(Map.of());
        Map<String, Map<String, String>> templates = new java.util.HashMap<>();
        flat.forEach((key, sid) -> {
            int dot = key.lastIndexOf('.');
            if (dot > 0) {
                templates.computeIfAbsent(key.substring(0, dot), k -> new java.util.HashMap<>())
                        .put(key.substring(dot + 1), sid);
            }
        });
        return new OutboundPolicy(OutboundPolicy.Templates.of(templates));
    }

    @Bean
    PublicPages publicPages(ReactiveMongoTemplate mongo, CivicbotProperties properties) {
        return new PublicPages(mongo, properties.publicBaseUrl());
    }

    @Bean
    QueueWatch queueWatch(ReactiveMongoTemplate mongo, CitizenNotices notices, QueuePolicy policy, Clock clock) {
        return new QueueWatch(mongo, notices, policy, clock);
    }

    @Bean
    IncidentDesk incidentDesk(ReactiveMongoTemplate mongo, CitizenNotices notices, PublicPages pages, Clock clock,
            Satisfaction satisfaction, Categories categories,
            ObjectProvider<org.civicbot.bot.incident.ContactNotices> contacts) {
        return new IncidentDesk(mongo, notices, pages, clock, satisfaction, categories)
                .mailingContacts(contacts.getIfAvailable(org.civicbot.bot.incident.ContactNotices::none));
    }

    @Bean
    Catalogue catalogue(ReactiveMongoTemplate mongo) {
        return new Catalogue(mongo);
    }

    @Bean
    Subscriptions subscriptions(ReactiveMongoTemplate mongo, Clock clock) {
        return new Subscriptions(mongo, clock);
    }

    @Bean
    Announcements announcements(ReactiveMongoTemplate mongo, Catalogue catalogue, Subscriptions subscriptions,
            CitizenNotices notices, Clock clock) {
        return new Announcements(mongo, catalogue, subscriptions, notices, clock);
    }

    @Bean
    Satisfaction satisfaction(ReactiveMongoTemplate mongo, ConversationStore conversations,
            ConversationEvents events, Outbox outbox, FlowRuntime flows, OutboundPolicy policy, Clock clock) {
        return new Satisfaction(mongo, conversations, events, outbox, () -> flows.get().flows(), policy, clock);
    }

    @Bean
    Drafts drafts(ConversationStore conversations, Incidents incidents, CitizenNotices notices, PublicPages pages,
            PhotoStore photos, FlowRuntime flows, Clock clock) {
        return new Drafts(conversations, incidents, notices, pages, photos, () -> flows.get().flows(), clock);
    }

    @Bean
    Timeline timeline(ReactiveMongoTemplate mongo, ConversationEvents events) {
        return new Timeline(mongo, events);
    }

    @Bean
    ConversationLanes conversationLanes(TurnProcessor processor, ConversationStore conversations, Clock clock) {
        return new ConversationLanes(processor, conversations, clock);
    }

    /**
     * On the embedded store this process is the only one receiving messages: a provider is answered once the message
     * is stored, and its conversation's lane queues it (see {@link InboundLog}). Instances sharing a MongoDB queue it
     * before answering.
     */
    @Bean
    InboundLog inboundLog(ReactiveMongoTemplate mongo, ConversationStore conversations, ConversationIds ids,
            Clock clock, ConversationLanes lanes, PathMetrics metrics,
            ObjectProvider<de.bwaldvogel.mongo.MongoServer> embeddedStore) {
        return new InboundLog(mongo, conversations, ids, clock, lanes, metrics, embeddedStore.getIfAvailable() != null);
    }

    /**
     * Keyed conversation ids: the key is made at the first start and kept in the store, so every instance and every
     * restart derive the same ids.
     */
    @Bean
    ConversationIds conversationIds(org.civicbot.bot.Secrets secrets) {
        return new ConversationIds(secrets.key(ConversationIds.KEY).block(java.time.Duration.ofMinutes(1)));
    }

    @Bean
    org.civicbot.bot.conversation.ConversationIdMigration conversationIdMigration(ReactiveMongoTemplate mongo,
            ConversationIds ids) {
        return new org.civicbot.bot.conversation.ConversationIdMigration(mongo, ids);
    }

    @Bean
    HistoryRetention historyRetention(ReactiveMongoTemplate mongo, Clock clock, CivicbotProperties properties) {
        return new HistoryRetention(mongo, clock, properties.retention().history());
    }

    @Bean
    Sweeper sweeper(ReactiveMongoTemplate mongo, InboundLog inbound, ConversationLanes lanes, Clock clock,
            PathMetrics metrics) {
        return new Sweeper(mongo, inbound, lanes, clock, metrics);
    }

    @Bean
    StaffDesk staffDesk(ReactiveMongoTemplate mongo, ConversationStore conversations, PendingTurns pendingTurns,
            FlowRuntime flows, ConversationEvents events, OutboundPolicy policy, Clock clock,
            Satisfaction satisfaction) {
        return new StaffDesk(mongo, conversations, pendingTurns, flows, events, policy, clock, satisfaction);
    }

    @Bean
    org.civicbot.bot.device.DeviceRegistry deviceRegistry(ReactiveMongoTemplate mongo, Clock clock) {
        return new org.civicbot.bot.device.DeviceRegistry(mongo, clock);
    }

    @Bean
    MongoDeviceAlerts deviceAlerts(ReactiveMongoTemplate mongo, Incidents incidents, IncidentDesk desk,
            org.civicbot.bot.device.DeviceRegistry registry, Announcements announcements, LiveFeed feed,
            org.civicbot.bot.RateLimits limits,
            @org.springframework.beans.factory.annotation.Value("${civicbot.device-alerts.per-minute:120}")
            int perMinute, Clock clock) {
        return new MongoDeviceAlerts(mongo, incidents, desk, registry, announcements, feed, limits, perMinute, clock);
    }
}

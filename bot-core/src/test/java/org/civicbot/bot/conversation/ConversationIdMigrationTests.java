package org.civicbot.bot.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Instant;
import java.util.List;
import org.bson.Document;
import org.civicbot.bot.Channel;
import org.civicbot.bot.TestStore;
import org.civicbot.bot.announcement.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConversationIdMigrationTests {

    static final Instant AT = Instant.parse("2026-11-23T09:00:00Z");
    static final String ADDRESS = "whatsapp:+34600000077";
    static final String OTHER = "whatsapp:+34600000078";

    TestStore store = TestStore.start();
    ConversationIds ids = new ConversationIds("a key made at the first start!!!".getBytes());
    ConversationIdMigration migration = new ConversationIdMigration(store.template(), ids);

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void keyedIdsNameNoNumberAndDependOnTheKey() {
        String keyed = ids.of(Channel.WHATSAPP, ADDRESS);
        assertThat(keyed).isEqualTo(ids.of(Channel.WHATSAPP, ADDRESS))
                .isNotEqualTo(ConversationIds.legacy(Channel.WHATSAPP, ADDRESS))
                .isNotEqualTo(new ConversationIds(new byte[32]).of(Channel.WHATSAPP, ADDRESS))
                .isNotEqualTo(ids.of(Channel.TELEGRAM, ADDRESS))
                .doesNotContain("600000077");
        assertThat(java.util.UUID.fromString(keyed).version()).isEqualTo(8);
        assertThat(java.util.UUID.fromString(ConversationIds.legacy(Channel.WHATSAPP, ADDRESS)).version()).isEqualTo(3);
    }

    @Test
    void anOldIdMovesWithEverythingThatNamesItAndOnlyThat() {
        String old = ConversationIds.legacy(Channel.WHATSAPP, ADDRESS);
        String untouched = ConversationIds.legacy(Channel.WHATSAPP, OTHER);
        String keyed = ids.of(Channel.WHATSAPP, ADDRESS);
        store.conversation(old, Channel.WHATSAPP, ADDRESS, "Pere", AT);
        store.conversation(untouched, Channel.WHATSAPP, OTHER, "Anna", AT);
        var mongo = store.template();
        mongo.insert(new Document("_id", "WHATSAPP:SM1").append("conversationId", old), "inbound_messages").block();
        mongo.insert(new Document("_id", "reply/0").append("conversationId", old), "outbox").block();
        mongo.insert(new Document("_id", "reply/0").append("conversationId", old), "outbox_queue").block();
        mongo.insert(new Document("_id", "ev1").append("conversationId", old), "conversation_events").block();
        mongo.insert(new Document("_id", "inc1").append("conversationId", old).append("reporters", List.of())
                .append("followers", List.of(untouched)), "incidents").block();
        mongo.insert(new Document("_id", "inc2").append("conversationId", untouched).append("reporters", List.of(old))
                .append("followers", List.of(old, "someone")), "incidents").block();
        mongo.insert(new Document("_id", "CITA-1").append("conversationId", old), "appointments").block();
        mongo.insert(new Document("_id", Subscription.idOf(old, "waste", null)).append("conversationId", old)
                .append("topic", "waste"), "subscriptions").block();
        mongo.insert(new Document("_id", "inc1|" + old).append("about", "inc1").append("conversationId", old),
                Satisfaction.COLLECTION).block();

        assertThat(migration.run().block()).isEqualTo(2);

        assertThat(mongo.findById(old, Document.class, "conversations").block()).isNull();
        Document moved = mongo.findById(keyed, Document.class, "conversations").block();
        assertThat(moved.getString("address")).isEqualTo(ADDRESS);
        assertThat(((Document) moved.get("contact")).getString("displayName")).isEqualTo("Pere");
        for (String collection : List.of("inbound_messages", "outbox", "outbox_queue", "conversation_events",
                "appointments", Satisfaction.COLLECTION, "subscriptions")) {
            assertThat(mongo.count(query(where("conversationId").is(old)), collection).block()).as(collection).isZero();
            assertThat(mongo.count(query(where("conversationId").is(keyed)), collection).block()).as(collection)
                    .isOne();
        }
        assertThat(mongo.findById(Subscription.idOf(keyed, "waste", null), Document.class, "subscriptions").block())
                .isNotNull();
        assertThat(mongo.findById("inc1|" + keyed, Document.class, Satisfaction.COLLECTION).block()).isNotNull();
        Document first = mongo.findById("inc1", Document.class, "incidents").block();
        assertThat(first.getString("conversationId")).isEqualTo(keyed);
        Document second = mongo.findById("inc2", Document.class, "incidents").block();
        assertThat(second.getList("reporters", String.class)).containsExactly(keyed);
        assertThat(second.getList("followers", String.class)).containsExactlyInAnyOrder(keyed, "someone");
        // The other contact moved too, to its own keyed id: both incidents name it there.
        String otherKeyed = ids.of(Channel.WHATSAPP, OTHER);
        assertThat(second.getString("conversationId")).isEqualTo(otherKeyed);
        assertThat(first.getList("followers", String.class)).containsExactly(otherKeyed);

        // A second start finds nothing left to move.
        assertThat(migration.run().block()).isZero();
    }

    @Test
    void aMigrationCutShortByACrashIsFinishedByTheNextStart() {
        String old = ConversationIds.legacy(Channel.TELEGRAM, "4242");
        String keyed = ids.of(Channel.TELEGRAM, "4242");
        store.conversation(old, Channel.TELEGRAM, "4242", "Pere", AT);
        var mongo = store.template();
        mongo.insert(new Document("_id", "TELEGRAM:1").append("conversationId", old), "inbound_messages").block();
        mongo.insert(new Document("_id", "TELEGRAM:2").append("conversationId", old), "inbound_messages").block();
        // The crash came after the copy and one moved reference.
        Document copy = mongo.findById(old, Document.class, "conversations").block();
        copy.put("_id", keyed);
        mongo.insert(copy, "conversations").block();
        mongo.updateFirst(query(where("_id").is("TELEGRAM:1")),
                new org.springframework.data.mongodb.core.query.Update().set("conversationId", keyed),
                "inbound_messages").block();

        assertThat(migration.run().block()).isOne();

        assertThat(mongo.count(query(where("conversationId").is(keyed)), "inbound_messages").block()).isEqualTo(2);
        assertThat(mongo.count(query(new org.springframework.data.mongodb.core.query.Criteria()), "conversations")
                .block()).isOne();
    }

    /**
     * Another instance already on keyed ids took a message from the contact before the move: the old conversation
     * (its session, its place in the flow) carries on, with both messages in its inbox.
     */
    @Test
    void aNewIdTakenBeforeTheMoveIsMergedIntoTheOldConversation() {
        String old = ConversationIds.legacy(Channel.WHATSAPP, ADDRESS);
        String keyed = ids.of(Channel.WHATSAPP, ADDRESS);
        var mongo = store.template();
        store.conversation(old, Channel.WHATSAPP, ADDRESS, "Pere", AT);
        mongo.updateFirst(query(where("_id").is(old)), new org.springframework.data.mongodb.core.query.Update()
                .set("session", new Document("flow", "incident").append("node", "description"))
                .set("status", "AGENT").set("assignee", "anna").push("inbox", "WHATSAPP:SM-old"), "conversations")
                .block();
        new ConversationStore(mongo).queue(keyed, Channel.WHATSAPP, ADDRESS, "Pere", "WHATSAPP:SM-new", AT).block();

        assertThat(migration.run().block()).isOne();

        Document merged = mongo.findById(keyed, Document.class, "conversations").block();
        assertThat(merged.getString("status")).isEqualTo("AGENT");
        assertThat(merged.getString("assignee")).isEqualTo("anna");
        assertThat(merged.get("session", Document.class).getString("node")).isEqualTo("description");
        assertThat(merged.getList("inbox", String.class)).containsExactly("WHATSAPP:SM-old", "WHATSAPP:SM-new");
        assertThat(mongo.findById(old, Document.class, "conversations").block()).isNull();
    }
}

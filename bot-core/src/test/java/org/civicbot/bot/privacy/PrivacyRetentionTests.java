package org.civicbot.bot.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.civicbot.bot.Channel;
import org.civicbot.bot.MutableClock;
import org.civicbot.bot.TestStore;
import org.civicbot.bot.conversation.ConversationIds;
import org.civicbot.bot.media.PhotoStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Update;

class PrivacyRetentionTests {

    static final Instant NOW = Instant.parse("2026-11-30T03:00:00Z");

    TestStore store = TestStore.start();
    ReactiveMongoTemplate mongo = store.template();
    MutableClock clock = new MutableClock(NOW);
    ConversationIds ids = new ConversationIds(new byte[32]);
    PhotoStore photos = new PhotoStore(store.gridFs());
    PrivacyRequests audit = new PrivacyRequests(mongo, clock);
    PrivacyRetention retention = new PrivacyRetention(mongo,
            new ContactRecords(mongo, ids, photos, List.of(), clock), photos, audit, clock,
            PrivacyRetention.Policy.DEFAULT);

    @AfterEach
    void close() {
        store.close();
    }

    Instant ago(int days) {
        return NOW.minus(Duration.ofDays(days));
    }

    String contact(String address, int lastWroteDaysAgo) {
        String id = ids.of(Channel.WHATSAPP, address);
        store.conversation(id, Channel.WHATSAPP, address, "Someone", ago(lastWroteDaysAgo));
        mongo.updateFirst(query(where("_id").is(id)), new Update().set("lastMessageAt", ago(lastWroteDaysAgo)),
                "conversations").block();
        return id;
    }

    void inbound(String id, String conversationId, String status, int daysAgo, String text) {
        mongo.insert(new Document("_id", id).append("conversationId", conversationId).append("status", status)
                .append("receivedAt", ago(daysAgo)).append("address", "whatsapp:+34600000000")
                .append("displayName", "Someone").append("content", new Document("type", "text").append("text", text)),
                "inbound_messages").block();
    }

    String incident(String id, String status, int changedDaysAgo, String conversationId) {
        String photo = photos.store(id + ".jpg", new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, (byte) 0xFF,
                (byte) 0xD9}, "image/jpeg").block();
        mongo.insert(new Document("_id", id).append("code", "INC-" + id).append("status", status)
                .append("updatedAt", ago(changedDaysAgo)).append("conversationId", conversationId)
                .append("description", "Davant del número 12")
                .append("location", new Document("address", "Carrer Major 12, Manresa").append("latitude", 41.725149)
                        .append("longitude", 1.826687).append("origin", "PIN"))
                .append("photos", List.of(new Document("_id", new ObjectId(photo)).append("contentType", "image/jpeg")))
                .append("timeline", List.of()), "incidents").block();
        return photo;
    }

    @Test
    void eachClassGoesAtItsAgeAndWhatIsStillNeededStays() {
        String inactive = contact("whatsapp:+34600000201", 800);
        String withOpenIncident = contact("whatsapp:+34600000202", 800);
        String subscriber = contact("whatsapp:+34600000203", 800);
        String recent = contact("whatsapp:+34600000204", 10);
        String follower = contact("whatsapp:+34600000205", 800);
        String closedChat = contact("whatsapp:+34600000206", 800);
        String calledIn = contact("whatsapp:+34600000207", 800);
        mongo.updateFirst(query(where("_id").is(closedChat)), new Update().set("status", "CLOSED"), "conversations")
                .block();
        mongo.insert(new Document("_id", subscriber + "|waste|*").append("conversationId", subscriber)
                .append("topic", "waste"), "subscriptions").block();

        inbound("old", recent, "PROCESSED", 200, "el meu DNI és 12345678Z");
        inbound("fresh", recent, "PROCESSED", 10, "hola");
        inbound("waiting", recent, "RECEIVED", 200, "encara per fer");
        inbound("failed", recent, "FAILED", 200, "ha fallat");
        mongo.insert(new Document("_id", "sent").append("conversationId", recent).append("status", "SENT")
                .append("createdAt", ago(200)).append("text", "Hola Maria").append("address", "whatsapp:+34600000204"),
                "outbox").block();
        mongo.insert(new Document("_id", "pending").append("conversationId", recent).append("status", "PENDING")
                .append("createdAt", ago(200)).append("text", "Per enviar"), "outbox").block();
        mongo.insert(new Document("_id", "ev").append("conversationId", recent).append("at", ago(200))
                .append("text", "nota de l'agent"), "conversation_events").block();

        String closedPhoto = incident("closed-long-ago", "CLOSED", 400, null);
        String openPhoto = incident("open", "NEW", 400, withOpenIncident);
        mongo.updateFirst(query(where("_id").is("open")), new Update().addToSet("followers", follower), "incidents")
                .block();
        // A request staff entered for a caller whose number is a WhatsApp contact's, still open.
        mongo.insert(new Document("_id", "phoned").append("code", "INC-phoned").append("status", "IN_PROGRESS")
                .append("updatedAt", ago(5)).append("contact", new Document("phone", "600 00 02 07"))
                .append("description", "Soroll al carrer").append("timeline", List.of()), "incidents").block();
        String recentPhoto = incident("closed-lately", "CLOSED", 100, null);

        mongo.insert(new Document("_id", "old-audit").append("at", ago(2000)).append("kind", "EXPORT"),
                "privacy_requests").block();
        mongo.insert(new Document("_id", "old-access").append("at", ago(2000)), AccessLog.COLLECTION).block();
        mongo.insert(new Document("_id", "new-access").append("at", ago(20)), AccessLog.COLLECTION).block();

        PrivacyRetention.Report report = retention.apply().block();

        assertThat(report.messageBodies()).isOne();
        assertThat(report.replyBodies()).isOne();
        assertThat(report.eventTexts()).isOne();
        assertThat(report.photos()).isOne();
        assertThat(report.incidentsWithoutPhotos()).isOne();
        assertThat(report.locations()).isOne();
        assertThat(report.contacts()).isEqualTo(2);
        assertThat(report.auditLines()).isEqualTo(2);

        // Message bodies: the old processed one is blank, the rest as they were.
        Document old = doc("inbound_messages", "old");
        assertThat(old.toJson()).doesNotContain("12345678Z").doesNotContain("+34600000000")
                .doesNotContain("Someone");
        assertThat(old.getString("status")).isEqualTo("PROCESSED");
        for (String kept : List.of("fresh", "waiting", "failed")) {
            assertThat(doc("inbound_messages", kept).get("content", Document.class).getString("text")).as(kept)
                    .isNotNull();
        }
        assertThat(doc("outbox", "sent").getString("text")).isNull();
        assertThat(doc("outbox", "sent").getString("address")).isNull();
        assertThat(doc("outbox", "pending").getString("text")).isEqualTo("Per enviar");
        assertThat(doc("conversation_events", "ev").getString("text")).isNull();

        // Photos and places: only the incident closed a year ago loses them; the open one needs them.
        assertThat(photos.load(closedPhoto).block()).isNull();
        assertThat(photos.load(openPhoto).block()).isNotNull();
        assertThat(photos.load(recentPhoto).block()).isNotNull();
        Document closed = doc("incidents", "closed-long-ago");
        assertThat(closed.getList("photos", Document.class)).isEmpty();
        Document place = closed.get("location", Document.class);
        assertThat(place.getDouble("latitude")).isEqualTo(41.725);
        assertThat(place.getDouble("longitude")).isEqualTo(1.827);
        assertThat(place.getString("address")).isEqualTo("Carrer Major, Manresa");
        for (String untouched : List.of("open", "closed-lately")) {
            Document location = doc("incidents", untouched).get("location", Document.class);
            assertThat(location.getDouble("latitude")).as(untouched).isEqualTo(41.725149);
            assertThat(location.getString("address")).as(untouched).isEqualTo("Carrer Major 12, Manresa");
        }

        // Contacts: only the inactive ones with nothing open are erased, a chat staff closed too.
        assertThat(doc("conversations", inactive)).isNull();
        assertThat(doc("conversations", closedChat)).isNull();
        for (String kept : List.of(withOpenIncident, subscriber, recent, follower, calledIn)) {
            assertThat(doc("conversations", kept)).isNotNull();
        }

        // The audit: old lines gone, and this pass recorded with its counts.
        assertThat(doc("privacy_requests", "old-audit")).isNull();
        assertThat(doc(AccessLog.COLLECTION, "old-access")).isNull();
        assertThat(doc(AccessLog.COLLECTION, "new-access")).isNotNull();
        PrivacyRequests.PrivacyRequest pass = audit.lastRetention().block();
        assertThat(pass.by()).isEqualTo("system");
        assertThat(pass.counts()).containsEntry("contacts", 2L).containsEntry("photos", 1L);
        assertThat(doc("incidents", "open").getList("followers", String.class)).containsExactly(follower);
        assertThat(doc("incidents", "phoned").getString("description")).isEqualTo("Soroll al carrer");

        // A second pass the same day finds nothing more to do.
        assertThat(retention.apply().block().total()).isZero();
    }

    @Test
    void aPlaceKeepsItsStreetAndLosesItsNumber() {
        assertThat(PrivacyRetention.streetOnly("Carrer Major 12, Manresa")).isEqualTo("Carrer Major, Manresa");
        assertThat(PrivacyRetention.streetOnly("Carrer Major, 12, Manresa")).isEqualTo("Carrer Major, Manresa");
        assertThat(PrivacyRetention.streetOnly("Av. de Catalunya 3-5")).isEqualTo("Av. de Catalunya");
        assertThat(PrivacyRetention.streetOnly("Plaça Major, núm. 7B")).isEqualTo("Plaça Major");
        assertThat(PrivacyRetention.streetOnly("Parc de la Seu")).isEqualTo("Parc de la Seu");
        assertThat(PrivacyRetention.streetOnly("Carrer 8 de Març, Manresa")).isEqualTo("Carrer 8 de Març, Manresa");
    }

    @Test
    void aNumberIsRecognisedHoweverStaffTypedIt() {
        java.util.regex.Pattern number = ContactRecords.phonePattern("+34600009901");
        for (String typed : List.of("+34600009901", "+34 600 00 99 01", "0034 600-009-901", "600009901",
                "600.009.901", "(+34) 600 009 901")) {
            assertThat(number.matcher(typed).matches()).as(typed).isTrue();
        }
        for (String other : List.of("600009902", "+34 600 00 99 011", "93 600 009 901")) {
            assertThat(number.matcher(other).matches()).as(other).isFalse();
        }
    }

    Document doc(String collection, String id) {
        return mongo.findById(id, Document.class, collection).block();
    }

}

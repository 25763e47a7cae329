package org.civicbot.bot.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.civicbot.bot.Channel;
import org.civicbot.bot.MutableClock;
import org.civicbot.bot.TestStore;
import org.civicbot.bot.inbound.InboundContent;
import org.civicbot.bot.inbound.InboundContentCodec;
import org.civicbot.bot.inbound.InboundRecord;
import org.civicbot.bot.outbox.DeliveryStatus;
import org.civicbot.bot.outbox.OutboxEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HistoryRetentionTests {

    static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");
    static final Instant OLD = NOW.minus(Duration.ofDays(400));
    static final Instant RECENT = NOW.minus(Duration.ofDays(10));

    TestStore store = TestStore.start();
    HistoryRetention retention = new HistoryRetention(store.template(), new MutableClock(NOW), Duration.ofDays(365));

    @AfterEach
    void close() {
        store.close();
    }

    void inbound(String id, InboundRecord.Status status, Instant at) {
        store.template().insert(new InboundRecord(id, Channel.TELEGRAM, id, "c", "1", "Anna",
                InboundContentCodec.write(new InboundContent.Text("hola")), 1L, status, at,
                status == InboundRecord.Status.PROCESSED ? at : null, 0, null, null)).block();
    }

    void outbox(String id, DeliveryStatus status, Instant at) {
        store.template().insert(new OutboxEntry(id, "c", Channel.TELEGRAM, "1", "Bon dia", List.of(), 1L, "BOT", null,
                status, 1, null, null, null, null, at, null, at, null)).block();
    }

    @Test
    void deletesOldProcessedHistoryAndKeepsWhatIsRecentOrStillToDo() {
        inbound("old-processed", InboundRecord.Status.PROCESSED, OLD);
        inbound("old-failed", InboundRecord.Status.FAILED, OLD);
        inbound("old-waiting", InboundRecord.Status.RECEIVED, OLD);
        inbound("recent", InboundRecord.Status.PROCESSED, RECENT);
        outbox("old-sent", DeliveryStatus.SENT, OLD);
        outbox("old-read", DeliveryStatus.READ, OLD);
        outbox("old-pending", DeliveryStatus.PENDING, OLD);
        outbox("old-unknown", DeliveryStatus.UNKNOWN, OLD);
        outbox("recent-sent", DeliveryStatus.SENT, RECENT);

        HistoryRetention.Trimmed trimmed = retention.trim().block();

        assertThat(trimmed.inbound()).isEqualTo(2);
        assertThat(trimmed.outbox()).isEqualTo(2);
        assertThat(store.template().findAll(InboundRecord.class).map(InboundRecord::id).collectList().block())
                .containsExactlyInAnyOrder("old-waiting", "recent");
        assertThat(store.template().findAll(OutboxEntry.class).map(OutboxEntry::id).collectList().block())
                .containsExactlyInAnyOrder("old-pending", "old-unknown", "recent-sent");
    }

    @Test
    void deletesInBatchesUntilNothingOldIsLeft() {
        List<OutboxEntry> old = new java.util.ArrayList<>();
        for (int i = 0; i < HistoryRetention.BATCH * 2 + 5; i++) {
            old.add(new OutboxEntry("old-" + i, "c", Channel.TELEGRAM, "1", "Bon dia", List.of(), i, "BOT", null,
                    DeliveryStatus.SENT, 1, null, null, null, null, OLD, null, OLD, null));
        }
        store.template().insertAll(old).then().block();

        assertThat(retention.trim().block().outbox()).isEqualTo(HistoryRetention.BATCH * 2 + 5);
        assertThat(store.template().count(new org.springframework.data.mongodb.core.query.Query(), OutboxEntry.class)
                .block()).isZero();
    }
}

package org.civicbot.backoffice.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The mail outbox and its dispatcher against a real SMTP server (GreenMail) or a closed port, on the embedded
 * store through the real driver.
 */
class MailDispatcherTests {

    static final Instant START = Instant.parse("2026-11-30T09:00:00Z");
    static final String FROM = "civicbot@town.example.org";
    static final MailSettings SETTINGS = new MailSettings(FROM, "ca", Duration.ofSeconds(5), Duration.ofMinutes(1),
            Duration.ofMinutes(10), 3, Duration.ofMinutes(10), Duration.ofDays(90), java.time.LocalTime.of(8, 0));

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    final MongoServer server = new MongoServer(new MemoryBackend());
    final MongoClient client;
    final ReactiveMongoTemplate mongo;
    final TestClock clock = new TestClock(START);
    final MailOutbox outbox;

    MailDispatcherTests() {
        server.bind("127.0.0.1", 0);
        InetSocketAddress address = server.getLocalAddress();
        client = MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort());
        mongo = new ReactiveMongoTemplate(client, "test");
        outbox = new MailOutbox(mongo, clock, FROM);
    }

    @AfterEach
    void close() {
        client.close();
        server.shutdownNow();
    }

    @Test
    void sendsAQueuedMailOnceWithItsTextAndHtml() throws Exception {
        assertThat(outbox.queue("m1", "test", "roads@town.example.org", "[INC-1] Fanal", "Text body https://x/incidents/1",
                "<p>HTML body</p>").block()).isTrue();

        assertThat(dispatcher(smtpSender()).round().block()).isEqualTo(1);
        assertThat(dispatcher(smtpSender()).round().block()).isZero();

        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received).hasSize(1);
        assertThat(received[0].getSubject()).isEqualTo("[INC-1] Fanal");
        assertThat(received[0].getAllRecipients()[0].toString()).isEqualTo("roads@town.example.org");
        assertThat(received[0].getFrom()[0].toString()).isEqualTo(FROM);
        assertThat(received[0].getHeader("Auto-Submitted")[0]).isEqualTo("auto-generated");
        assertThat(GreenMailUtil.getBody(received[0])).contains("Text body https://x/incidents/1", "HTML body");
        Mail sent = mail("m1");
        assertThat(sent.status()).isEqualTo(Mail.Status.SENT);
        assertThat(sent.attempts()).isEqualTo(1);
        assertThat(sent.sentAt()).isEqualTo(START);
    }

    @Test
    void queuesAMailOnceWhateverHowOftenItIsQueued() {
        assertThat(outbox.queue("same", "test", "a@town.example.org", "s", "t", null).block()).isTrue();
        assertThat(outbox.queue("same", "test", "a@town.example.org", "s", "t", null).block()).isFalse();

        assertThat(mongo.count(new org.springframework.data.mongodb.core.query.Query(), Mail.class).block())
                .isEqualTo(1);
    }

    @Test
    void queuesNothingWhenMailIsOff() {
        MailOutbox off = new MailOutbox(mongo, clock, null);

        assertThat(off.enabled()).isFalse();
        assertThat(off.queue("x", "test", "a@town.example.org", "s", "t", null).block()).isFalse();
        assertThat(mongo.count(new org.springframework.data.mongodb.core.query.Query(), Mail.class).block()).isZero();
        assertThat(new MailDispatcher(mongo, (JavaMailSenderImpl) null, null, SETTINGS, clock, "").round().block()).isZero();
    }

    @Test
    void retriesARefusedMailWithGrowingWaitsAndThenGivesUp() throws IOException {
        outbox.queue("refused", "test", "a@town.example.org", "s", "t", null).block();
        MailDispatcher dispatcher = dispatcher(senderTo(closedPort()));

        dispatcher.round().block();
        Mail first = mail("refused");
        assertThat(first.status()).isEqualTo(Mail.Status.PENDING);
        assertThat(first.attempts()).isEqualTo(1);
        assertThat(first.nextAttemptAt()).isEqualTo(START.plus(Duration.ofMinutes(1)));
        assertThat(first.lastError()).startsWith("MailSendException");

        // Not due yet: nothing is tried.
        clock.advance(Duration.ofSeconds(59));
        dispatcher.round().block();
        assertThat(mail("refused").attempts()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        dispatcher.round().block();
        Mail second = mail("refused");
        assertThat(second.attempts()).isEqualTo(2);
        assertThat(second.nextAttemptAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(2)));

        clock.advance(Duration.ofMinutes(2));
        dispatcher.round().block();
        Mail failed = mail("refused");
        assertThat(failed.status()).isEqualTo(Mail.Status.FAILED);
        assertThat(failed.attempts()).isEqualTo(3);

        clock.advance(Duration.ofHours(1));
        assertThat(dispatcher.round().block()).isZero();
        assertThat(mail("refused").status()).isEqualTo(Mail.Status.FAILED);
    }

    @Test
    void sendsAgainAMailWhoseSendWasInterruptedOnceTheLeaseHasRunOut() {
        mongo.insert(new Mail("cut", "test", "a@town.example.org", "s", "t", null, Mail.Status.SENDING, 1, START,
                START, START, null, null)).block();
        MailDispatcher dispatcher = dispatcher(smtpSender());

        clock.advance(Duration.ofMinutes(9));
        dispatcher.round().block();
        assertThat(mail("cut").status()).isEqualTo(Mail.Status.SENDING);
        assertThat(smtp.getReceivedMessages()).isEmpty();

        clock.advance(Duration.ofMinutes(2));
        dispatcher.round().block();
        assertThat(mail("cut").status()).isEqualTo(Mail.Status.SENT);
        assertThat(mail("cut").attempts()).isEqualTo(2);
        assertThat(smtp.getReceivedMessages()).hasSize(1);
    }

    @Test
    void failsAnInterruptedMailThatHadAllItsAttempts() {
        mongo.insert(new Mail("poison", "test", "a@town.example.org", "s", "t", null, Mail.Status.SENDING, 3, START,
                START, START, null, null)).block();
        clock.advance(Duration.ofMinutes(11));

        dispatcher(smtpSender()).round().block();

        assertThat(mail("poison").status()).isEqualTo(Mail.Status.FAILED);
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    @Test
    void twoInstancesNeverSendOneMailTwice() {
        IntStream.range(0, 12).forEach(i -> outbox.queue("many-" + i, "test", "a" + i + "@town.example.org", "s" + i,
                "t", null).block());
        MailDispatcher one = dispatcher(smtpSender());
        MailDispatcher other = dispatcher(smtpSender());

        List<Integer> tried = Flux.merge(one.round().subscribeOn(Schedulers.parallel()),
                other.round().subscribeOn(Schedulers.parallel())).collectList().block();

        assertThat(tried.stream().mapToInt(Integer::intValue).sum()).isEqualTo(12);
        assertThat(smtp.getReceivedMessages()).hasSize(12);
        assertThat(mongo.findAll(Mail.class).map(Mail::status).collectList().block())
                .containsOnly(Mail.Status.SENT);
    }

    @Test
    void trimsSentMailAfterTheRetentionAndKeepsWhatIsStillToSend() {
        outbox.queue("old", "test", "a@town.example.org", "s", "t", null).block();
        dispatcher(smtpSender()).round().block();
        clock.advance(Duration.ofDays(91));
        outbox.queue("new", "test", "a@town.example.org", "s", "t", null).block();

        assertThat(dispatcher(smtpSender()).trim().block()).isEqualTo(1);
        assertThat(mongo.findAll(Mail.class).map(Mail::id).collectList().block()).containsExactly("new");
    }

    private MailDispatcher dispatcher(JavaMailSenderImpl sender) {
        return new MailDispatcher(mongo, sender, FROM, SETTINGS, clock, "localhost");
    }

    private JavaMailSenderImpl smtpSender() {
        return senderTo(smtp.getSmtp().getPort());
    }

    private static JavaMailSenderImpl senderTo(int port) {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost("127.0.0.1");
        sender.setPort(port);
        sender.getJavaMailProperties().put("mail.smtp.connectiontimeout", "2000");
        sender.getJavaMailProperties().put("mail.smtp.timeout", "2000");
        return sender;
    }

    /** A local port nobody listens on: connecting is refused at once. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private Mail mail(String id) {
        return mongo.findById(id, Mail.class).block();
    }

    /** A clock that stands still until the test moves it. */
    static final class TestClock extends Clock {
        private volatile Instant now;

        TestClock(Instant start) {
            now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}

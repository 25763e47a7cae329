package org.civicbot.bot.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class SendOutcomeTests {

    @Test
    void retriesAFailureBeforeTheRequestCouldLeave() {
        assertThat(SendOutcome.ofTransportFailure(new IOException(new ConnectException("refused")), "Twilio"))
                .isInstanceOf(SendOutcome.Retryable.class);
        assertThat(SendOutcome.ofTransportFailure(new UnknownHostException("api.twilio.com"), "Twilio"))
                .isInstanceOf(SendOutcome.Retryable.class);
    }

    @Test
    void neverRetriesAFailureAfterTheRequestMayHaveLeft() {
        SendOutcome timedOut = SendOutcome.ofTransportFailure(
                new IllegalStateException(new SocketTimeoutException("Read timed out")), "Telegram");
        assertThat(timedOut).isInstanceOf(SendOutcome.Unknown.class);
        assertThat(((SendOutcome.Unknown) timedOut).reason()).contains("SocketTimeoutException").contains("Telegram");
        assertThat(SendOutcome.ofTransportFailure(new IOException("Connection reset"), "Twilio"))
                .isInstanceOf(SendOutcome.Unknown.class);
    }
}

package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.civicbot.bot.Channel;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.Disposable;

/**
 * On the embedded store, which one instance uses alone, the live feed is in-process (the store serves no change
 * streams): a citizen's message and a takeover reach the event stream of the conversation page a staff member
 * has open.
 */
class LiveFeedTests extends FullStackTest {

    @Test
    void tellsAnOpenConversationPageWhatHappensToItOnTheEmbeddedStore() {
        staff("admin-live");
        long chat = Providers.newChat();
        long first = Providers.nextUpdateId();
        telegram(first, Providers.telegramText(first, chat, "hola"));
        String id = conversationIds.of(Channel.TELEGRAM, String.valueOf(chat));
        PageSession staff = PageSession.signIn(web, "admin", "admin-password");

        Queue<String> told = new ConcurrentLinkedQueue<>();
        Disposable page = web.get().uri("/conversations/" + id + "/events").cookie("SESSION", staff.id())
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {}).getResponseBody()
                .subscribe(event -> told.add(event.event() == null ? ":" + event.comment() : event.event() + " "
                        + event.data()));
        try {
            await().atMost(PATIENCE).until(() -> told.contains(":open"));

            long next = Providers.nextUpdateId();
            telegram(next, Providers.telegramText(next, chat, "3"));
            await().atMost(PATIENCE).until(() -> told.contains("changed " + id));

            told.clear();
            okPost("admin-live", "/api/v1/conversations/" + id + "/takeover", Map.of());
            await().atMost(PATIENCE).until(() -> told.contains("changed " + id));
            assertThat(told).allMatch(line -> line.equals("changed " + id) || line.startsWith(":"));
        } finally {
            page.dispose();
        }
    }
}

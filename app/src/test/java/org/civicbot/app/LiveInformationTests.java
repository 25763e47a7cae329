package org.civicbot.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.civicbot.backoffice.staff.StaffUser;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.ConversationIds;
import org.junit.jupiter.api.Test;

/**
 * A citizen asks the default flows for municipal information on Telegram, and the answers come from the sources
 * WireMock serves as a town's website would (an RSS feed of news, an iCalendar agenda, a CSV rota of pharmacies):
 * the latest news, today's events, the pharmacies on duty now nearest to a pin, a service of the directory by a
 * word. When the news site fails, the chat still gets the last good news, with their date. (Telegram shows the
 * flows' *bold* as bold, so the texts it was sent have no asterisks.)
 */
class LiveInformationTests extends FullStackTest {

    static final ZoneId TOWN = ZoneId.of("Europe/Madrid");

    @Test
    void theChatAnswersFromTheLiveSourcesAndFromTheLastGoodReadWhenOneFails() throws IOException {
        staff("live-editor", StaffUser.Role.EDITOR);
        LocalDate today = LocalDate.now(TOWN);
        String day = today.format(DateTimeFormatter.BASIC_ISO_DATE);
        serve("/noticies.rss", "application/rss+xml", fixture("noticies.rss"));
        serve("/agenda.ics", "text/calendar", """
                BEGIN:VCALENDAR
                VERSION:2.0
                PRODID:-//Ajuntament de Prova//Agenda//CA
                BEGIN:VEVENT
                UID:mercat@ajuntamentdeprova.cat
                DTSTAMP:20260401T080000Z
                DTSTART;VALUE=DATE:%s
                DTEND;VALUE=DATE:%s
                SUMMARY:Mercat de Nadal
                LOCATION:Plaça de la Vila
                END:VEVENT
                BEGIN:VEVENT
                UID:teatre@ajuntamentdeprova.cat
                DTSTAMP:20260401T080000Z
                DTSTART;TZID=Europe/Madrid:%sT203000
                DTEND;TZID=Europe/Madrid:%sT223000
                SUMMARY:Els Pastorets
                LOCATION:Teatre Municipal
                END:VEVENT
                END:VCALENDAR
                """.formatted(day, today.plusDays(1).format(DateTimeFormatter.BASIC_ISO_DATE),
                today.plusDays(3).format(DateTimeFormatter.BASIC_ISO_DATE),
                today.plusDays(3).format(DateTimeFormatter.BASIC_ISO_DATE)).replace("\n", "\r\n"));
        // On duty for the whole day (to before from runs to the next midnight); one was on duty yesterday only.
        serve("/farmacies.csv", "text/csv", """
                name,address,phone,date,from,to,latitude,longitude
                Farmàcia Lluny,"Carrer de Baix, 40",938 720 022,%s,00:00,00:00,41.7520,1.8410
                Farmàcia Prop,"Carrer del Born, 12",938 720 011,%s,00:00,00:00,41.7405,1.8405
                Farmàcia d'Ahir,"Plaça Major, 3",938 725 433,%s,00:00,00:00,41.7401,1.8401
                """.formatted(today, today, today.minusDays(1)));
        for (String source : List.of("news", "agenda", "pharmacies")) {
            assertThat(okPost("live-editor", "/api/v1/sources/" + source + "/refresh", Map.of()).get("lastError")
                    .isNull()).as(source).isTrue();
        }

        long chat = Providers.newChat();
        say(chat, "hola");
        String news = answer(chat, "3", "1");
        assertThat(news).startsWith("📰 Les últimes notícies de l'Ajuntament:")
                .contains("Talls de trànsit al carrer Major per obres de clavegueram (30/04/2026)")
                .contains("https://www.ajuntamentdeprova.cat/noticies/obres-carrer-major");
        assertThat(news.indexOf("Talls de trànsit")).as("newest first")
                .isLessThan(news.indexOf("Obertes les inscripcions"));

        String todayEvents = answer(chat, "3", "2", "1");
        assertThat(todayEvents).contains("Mercat de Nadal").contains("Plaça de la Vila")
                .doesNotContain("Els Pastorets");
        assertThat(answer(chat, "3", "2", "3")).contains("Els Pastorets")
                .contains(today.plusDays(3).format(DateTimeFormatter.ofPattern("dd/MM")) + " 20:30");

        assertThat(answer(chat, "3", "3", "1")).contains("Farmàcia Prop").contains("Farmàcia Lluny")
                .doesNotContain("Farmàcia d'Ahir");
        answer(chat, "3", "3", "2");
        long pin = Providers.nextUpdateId();
        telegram(pin, Providers.telegramLocation(pin, chat, 41.7401, 1.8401));
        String nearest = last(chat);
        assertThat(nearest).startsWith("💊 Les més properes de guàrdia ara:");
        assertThat(nearest.indexOf("Farmàcia Prop")).isLessThan(nearest.indexOf("Farmàcia Lluny"));
        assertThat(nearest).contains("Farmàcia Prop · a 60 m").contains("openstreetmap.org/?mlat=41.74050");

        assertThat(answer(chat, "3", "4", "on és la policia?")).contains("Policia Local").contains("092");

        // The news site is down: the chat is served the last good news, and told of when they are.
        Providers.SOURCES.stubFor(get(urlPathEqualTo("/noticies.rss")).willReturn(aResponse().withStatus(503)));
        String readAt = okPost("live-editor", "/api/v1/sources/news/refresh", Map.of()).get("lastSuccess").asText();
        answer(chat, "3", "1");
        List<String> texts = Providers.telegramTextsTo(chat);
        assertThat(texts.get(texts.size() - 3)).contains("Talls de trànsit al carrer Major");
        assertThat(texts.get(texts.size() - 2)).isEqualTo("ℹ️ Ara no podem actualitzar aquesta informació: és la del "
                + java.time.Instant.parse(readAt).atZone(TOWN).format(DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm"))
                + ".");
    }

    /** Sends each text in turn; answers what the bot said first after the last one. */
    private String answer(long chat, String... texts) {
        int before = 0;
        for (String text : texts) {
            before = Providers.telegramTextsTo(chat).size();
            say(chat, text);
        }
        return Providers.telegramTextsTo(chat).get(before);
    }

    private void say(long chat, String text) {
        long update = Providers.nextUpdateId();
        telegram(update, Providers.telegramText(update, chat, text));
        awaitOutboxSettled(conversationIds.of(Channel.TELEGRAM, String.valueOf(chat)));
    }

    private String last(long chat) {
        awaitOutboxSettled(conversationIds.of(Channel.TELEGRAM, String.valueOf(chat)));
        List<String> texts = Providers.telegramTextsTo(chat);
        return texts.get(texts.size() - 2);
    }

    private static void serve(String path, String type, String body) {
        Providers.SOURCES.stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withHeader("Content-Type", type)
                .withBody(body)));
    }

    private static String fixture(String name) throws IOException {
        try (InputStream in = LiveInformationTests.class.getResourceAsStream("/sources/" + name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}

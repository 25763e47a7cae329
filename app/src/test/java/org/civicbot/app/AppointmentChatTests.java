package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.civicbot.backoffice.staff.StaffUser;
import org.civicbot.bot.Channel;
import org.civicbot.bot.appointment.AppointmentService;
import org.civicbot.bot.appointment.Appointments;
import org.civicbot.bot.appointment.Office;
import org.civicbot.bot.conversation.ConversationIds;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Citizens book, list, move and cancel appointments in the chat, on WhatsApp (numbered menus) and Telegram
 * (buttons); each change is on the staff's day view; a closed day and the times within the notice are never offered.
 */
class AppointmentChatTests extends FullStackTest {

    static final ZoneId TOWN = ZoneId.of("Europe/Madrid");
    static final Pattern CODE = Pattern.compile("CITA-\\d{4}-\\d{6}");
    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM");

    @Autowired
    Appointments appointments;

    /** Open every day 08:00 to 20:00 in 30-minute slots, but closed tomorrow; two hours' notice. */
    void setUp() {
        LocalDate tomorrow = LocalDate.now(TOWN).plusDays(1);
        Map<String, List<String>> hours = new java.util.HashMap<>();
        for (java.time.DayOfWeek day : java.time.DayOfWeek.values()) {
            hours.put(day.name(), List.of("08:00-20:00"));
        }
        appointments.save(new Office("chat-oac", "OAC Centre", "Plaça de la Vila, 1", hours, List.of(),
                List.of(tomorrow.toString()))).block();
        appointments.save(new AppointmentService("chat-padro", Map.of("ca", "Padró", "es", "Padrón", "en",
                "Residence register"), Map.of("ca", "DNI o passaport", "es", "DNI o pasaporte", "en", "ID card"),
                List.of("chat-oac"), 30, 1, 10, 2, true)).block();
        appointments.save(new AppointmentService("chat-social", Map.of("ca", "Serveis socials", "es",
                "Servicios sociales", "en", "Social services"), Map.of(), List.of("chat-oac"), 60, 1, 10, 2, true))
                .block();
    }

    @Test
    void aWhatsAppCitizenBooksMovesAndCancelsAndStaffSeeEachChange() {
        setUp();
        staff("cita-agent", StaffUser.Role.AGENT);
        String citizen = "whatsapp:+34600000811";
        whatsapp(citizen, "hola");
        awaitOutboxSettled(conversationIds.of(Channel.WHATSAPP, citizen));
        // With no appointment yet, straight to booking: which service.
        String services = last(citizen, "2");
        assertThat(services).startsWith("Per a quin tràmit?");
        String padro = optionNumber(services, "Padró");
        String days = last(citizen, padro);
        assertThat(days).startsWith("Quin dia et va bé?");
        LocalDate today = LocalDate.now(TOWN);
        assertThat(days).as("closed tomorrow").doesNotContain(today.plusDays(1).format(DAY));

        // The first day offered: if it is today, no time within the two hours' notice is offered.
        String times = last(citizen, "1");
        assertThat(times).satisfiesAnyOf(t -> assertThat(t).startsWith("A quina hora?"),
                t -> assertThat(t).startsWith("Cap a quina hora?"));
        if (times.startsWith("Cap a quina hora?")) {
            times = last(citizen, "1");
        }
        String firstDay = optionText(days, 1);
        List<String> offered = options(times);
        if (firstDay.endsWith(today.format(DAY))) {
            ZonedDateTime earliest = ZonedDateTime.now(TOWN).plusHours(2);
            assertThat(offered).allSatisfy(t -> assertThat(today.atTime(LocalTime.parse(t)).atZone(TOWN))
                    .isAfterOrEqualTo(earliest.withSecond(0).withNano(0).minusMinutes(1)));
        }
        assertThat(last(citizen, "1")).startsWith("A nom de qui la demanem?");
        String confirm = last(citizen, "Maria Puig");
        assertThat(confirm).startsWith("Ho confirmes? Padró a OAC Centre (Plaça de la Vila, 1)")
                .contains("a nom de Maria Puig").contains("1. Sí").contains("2. No");
        String booked = reply(citizen, "1", 0);
        assertThat(booked).startsWith("✅ Cita confirmada: CITA-").contains("📍 OAC Centre, Plaça de la Vila, 1")
                .contains("🧾 Cal portar: DNI o passaport");
        String code = code(booked);

        JsonNode view = okGet("cita-agent", "/api/v1/appointments/" + code);
        assertThat(view.get("status").asText()).isEqualTo("BOOKED");
        assertThat(view.get("channel").asText()).isEqualTo("WHATSAPP");
        assertThat(view.get("name").asText()).isEqualTo("Maria Puig");
        assertThat(view.get("conversationId").asText()).isEqualTo(conversationIds.of(Channel.WHATSAPP, citizen));
        String bookedDay = view.get("start").asText();
        LocalDate date = java.time.Instant.parse(bookedDay).atZone(TOWN).toLocalDate();
        assertThat(okGet("cita-agent", "/api/v1/appointments?date=" + date + "&office=chat-oac")
                .findValuesAsText("code")).contains(code);

        // Moved to another time: the same code, the new time on the staff's view.
        String listed = last(citizen, "2");
        assertThat(listed).contains(code).contains("2. Canviar o anul·lar una cita");
        assertThat(last(citizen, "2")).startsWith(code).contains("1. Canviar-la de dia o hora");
        last(citizen, "1");
        String moveTimes = last(citizen, "1");
        if (moveTimes.startsWith("Cap a quina hora?")) {
            moveTimes = last(citizen, "2");
        }
        // The second time offered; late in the day, when the first day is today, its one time left (the booked one
        // is not offered again).
        int pick = Math.min(2, options(moveTimes).size());
        String newTime = optionText(moveTimes, pick);
        assertThat(last(citizen, String.valueOf(pick))).startsWith("Ho confirmes?");
        String moved = reply(citizen, "Sí", 0);
        assertThat(moved).startsWith("✅ Cita " + code + " canviada:").contains(newTime);
        JsonNode after = okGet("cita-agent", "/api/v1/appointments/" + code);
        assertThat(after.get("start").asText()).isNotEqualTo(bookedDay);
        assertThat(java.time.Instant.parse(after.get("start").asText()).atZone(TOWN).toLocalTime())
                .isEqualTo(LocalTime.parse(newTime));

        // Cancelled: asked first, then free for someone else.
        last(citizen, "2");
        last(citizen, "2");
        assertThat(last(citizen, "2")).isEqualTo("Segur que vols anul·lar la cita " + code + "?\n\n1. Sí\n2. No");
        assertThat(reply(citizen, "1", 0)).startsWith("Cita " + code + " anul·lada.");
        assertThat(okGet("cita-agent", "/api/v1/appointments/" + code).get("status").asText()).isEqualTo("CANCELLED");
        assertThat(last(citizen, "2")).as("none left: booking again").startsWith("Per a quin tràmit?");
    }

    @Test
    void aTelegramCitizenBooksWithButtons() {
        setUp();
        staff("cita-agent-2", StaffUser.Role.AGENT);
        long chat = Providers.newChat();
        say(chat, "hola");
        say(chat, "2");
        JsonNode services = lastTelegram(chat);
        assertThat(services.path("text").asText()).isEqualTo("Per a quin tràmit?");
        press(chat, services, "Serveis socials");
        JsonNode days = lastTelegram(chat);
        assertThat(days.path("text").asText()).isEqualTo("Quin dia et va bé?");
        assertThat(buttons(days)).doesNotContain(dayButton(LocalDate.now(TOWN).plusDays(1)));
        press(chat, days, buttons(days).get(buttons(days).size() - 1));
        JsonNode times = lastTelegram(chat);
        if (times.path("text").asText().startsWith("Cap a quina hora?")) {
            press(chat, times, buttons(times).get(0));
            times = lastTelegram(chat);
        }
        press(chat, times, buttons(times).get(0));
        say(chat, "Jordi Serra i Vila");
        JsonNode confirm = lastTelegram(chat);
        assertThat(buttons(confirm)).containsExactly("Sí", "No");
        press(chat, confirm, "Sí");
        List<String> texts = Providers.telegramTextsTo(chat);
        String booked = texts.stream().filter(t -> t.startsWith("✅ Cita confirmada:")).findFirst().orElseThrow();
        assertThat(booked).doesNotContain("Cal portar").contains("Serveis socials");
        JsonNode view = okGet("cita-agent-2", "/api/v1/appointments/" + code(booked));
        assertThat(view.get("channel").asText()).isEqualTo("TELEGRAM");
        assertThat(view.get("service").asText()).isEqualTo("chat-social");
        assertThat(view.get("name").asText()).isEqualTo("Jordi Serra i Vila");
    }

    @Autowired
    org.civicbot.bot.conversation.AppointmentReminders reminders;

    /** The day before, at the reminders' time, the citizen is reminded in their language; "cancel" frees the time. */
    @Test
    void theReminderGoesOutTheDayBeforeAndItsCancelFreesTheTime() {
        setUp();
        long chat = Providers.newChat();
        say(chat, "hola");
        say(chat, "en castellano, por favor");
        String conversationId = conversationIds.of(Channel.TELEGRAM, String.valueOf(chat));
        LocalDate day = LocalDate.now(TOWN).plusDays(3);
        java.time.Instant slot = day.atTime(12, 0).atZone(TOWN).toInstant();
        String code = ((Appointments.Booked) appointments.book(new Appointments.Request("reminder-test",
                "chat-padro", "chat-oac", slot, "Lucía Gómez", null, "TELEGRAM", conversationId, "es", "citizen", false))
                .block()).appointment().code();

        java.time.Instant twoDaysBefore = day.minusDays(2).atTime(11, 0).atZone(TOWN).toInstant();
        java.time.Instant dayBeforeEarly = day.minusDays(1).atTime(7, 0).atZone(TOWN).toInstant();
        java.time.Instant dayBefore = day.minusDays(1).atTime(10, 30).atZone(TOWN).toInstant();
        reminders.remind(twoDaysBefore).block();
        reminders.remind(dayBeforeEarly).block();
        assertThat(Providers.telegramTextsTo(chat)).noneMatch(t -> t.contains(code));
        assertThat(reminders.remind(dayBefore).block()).isPositive();
        assertThat(reminders.remind(dayBefore).block()).as("once").isZero();
        awaitOutboxSettled(conversationId);
        JsonNode reminder = lastTelegram(chat);
        assertThat(reminder.path("text").asText()).isEqualTo("⏰ Recordatorio: mañana, " + day.getDayOfWeek()
                .getDisplayName(java.time.format.TextStyle.FULL, java.util.Locale.forLanguageTag("es")) + " "
                + day.format(DateTimeFormatter.ofPattern("dd/MM/yyyy")) + " a las 12:00, tienes cita " + code
                + " (Padrón) en OAC Centre, Plaça de la Vila, 1. ¿Irás?");
        assertThat(buttons(reminder)).containsExactly("Iré", "Anularla");
        assertThat(appointments.free("chat-padro", "chat-oac", day, 1, false).block()).doesNotContain(slot);

        press(chat, reminder, "Anularla");
        assertThat(lastTelegram(chat).path("text").asText()).startsWith("Cita " + code + " anulada.");
        assertThat(appointments.byCode(code).block().status())
                .isEqualTo(org.civicbot.bot.appointment.Appointment.Status.CANCELLED);
        assertThat(appointments.free("chat-padro", "chat-oac", day, 1, false).block()).as("the time is free")
                .contains(slot);
    }

    // --- WhatsApp ---

    /** Sends {@code text} and answers the first reply it got. */
    private String last(String citizen, String text) {
        return reply(citizen, text, 0);
    }

    private String reply(String citizen, String text, int index) {
        int before = Providers.twilioBodiesTo(citizen).size();
        whatsapp(citizen, text);
        awaitOutboxSettled(conversationIds.of(Channel.WHATSAPP, citizen));
        List<String> bodies = Providers.twilioBodiesTo(citizen);
        return bodies.get(before + index);
    }

    /** The number of the option whose label is {@code label} in a numbered menu. */
    private static String optionNumber(String menu, String label) {
        Matcher m = Pattern.compile("(?m)^(\\d+)\\. " + Pattern.quote(label) + "$").matcher(menu);
        assertThat(m.find()).as(label + " in " + menu).isTrue();
        return m.group(1);
    }

    private static String optionText(String menu, int number) {
        Matcher m = Pattern.compile("(?m)^" + number + "\\. (.+)$").matcher(menu);
        assertThat(m.find()).as("option " + number + " in " + menu).isTrue();
        return m.group(1).strip();
    }

    private static List<String> options(String menu) {
        return Pattern.compile("(?m)^\\d+\\. (.+)$").matcher(menu).results().map(r -> r.group(1).strip()).toList();
    }

    private static String code(String text) {
        Matcher m = CODE.matcher(text);
        assertThat(m.find()).as("a code in " + text).isTrue();
        return m.group();
    }

    // --- Telegram ---

    private void say(long chat, String text) {
        long update = Providers.nextUpdateId();
        telegram(update, Providers.telegramText(update, chat, text));
        awaitOutboxSettled(conversationIds.of(Channel.TELEGRAM, String.valueOf(chat)));
    }

    private void press(long chat, JsonNode message, String label) {
        JsonNode keyboard = message.path("reply_markup").path("inline_keyboard");
        String data = null;
        for (JsonNode row : keyboard) {
            for (JsonNode button : row) {
                if (button.path("text").asText().equals(label)) {
                    data = button.path("callback_data").asText();
                }
            }
        }
        assertThat(data).as("a button " + label + " in " + message).isNotNull();
        long update = Providers.nextUpdateId();
        telegram(update, Providers.telegramButton(update, chat, data));
        awaitOutboxSettled(conversationIds.of(Channel.TELEGRAM, String.valueOf(chat)));
    }

    private static JsonNode lastTelegram(long chat) {
        List<JsonNode> sent = Providers.telegramMessagesTo(chat);
        return sent.get(sent.size() - 1);
    }

    private static List<String> buttons(JsonNode message) {
        return message.path("reply_markup").path("inline_keyboard").findValuesAsText("text");
    }

    private static String dayButton(LocalDate day) {
        return day.getDayOfWeek().getDisplayName(java.time.format.TextStyle.FULL, java.util.Locale.forLanguageTag("ca"))
                + " " + day.format(DAY);
    }
}

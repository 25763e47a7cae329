package org.civicbot.bot.conversation;

import java.text.MessageFormat;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.ResourceBundle;
import org.civicbot.flows.Language;

/**
 * The texts the platform itself sends a citizen (not the flow's): queue notices and incident updates,
 * in the citizen's language, from {@code org/civicbot/bot/notices_<lang>.properties}.
 */
public final class Notices {

    private Notices() {}

    public static String text(Language language, String key, Object... args) {
        ResourceBundle bundle = ResourceBundle.getBundle("org.civicbot.bot.notices", Locale.forLanguageTag(language.code()),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
        return new MessageFormat(bundle.getString(key), Locale.forLanguageTag(language.code())).format(args);
    }

    /** "dilluns a les 09:00", "lunes a las 09:00", "Monday at 09:00". */
    public static String when(Language language, ZonedDateTime at) {
        Locale locale = Locale.forLanguageTag(language.code());
        String day = at.getDayOfWeek().getDisplayName(TextStyle.FULL, locale);
        return text(language, "when", day, at.format(DateTimeFormatter.ofPattern("HH:mm")));
    }
}

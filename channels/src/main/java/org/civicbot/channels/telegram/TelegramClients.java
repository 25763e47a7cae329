package org.civicbot.channels.telegram;

import java.net.URI;
import okhttp3.OkHttpClient;
import org.telegram.telegrambots.client.okhttp.OkHttpTelegramClient;
import org.telegram.telegrambots.meta.TelegramUrl;
import org.telegram.telegrambots.meta.generics.TelegramClient;

/** Builds the telegrambots client pointed at {@code civicbot.telegram.api-base-url}. */
final class TelegramClients {

    private TelegramClients() {}

    static TelegramClient create(String botToken, URI apiBaseUrl) {
        String scheme = apiBaseUrl.getScheme();
        int port = apiBaseUrl.getPort() != -1 ? apiBaseUrl.getPort() : "https".equalsIgnoreCase(scheme) ? 443 : 80;
        return new OkHttpTelegramClient(new OkHttpClient(), botToken,
                new TelegramUrl(scheme, apiBaseUrl.getHost(), port, false));
    }
}

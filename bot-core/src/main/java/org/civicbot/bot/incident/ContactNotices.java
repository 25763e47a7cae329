package org.civicbot.bot.incident;

import reactor.core.publisher.Mono;

/**
 * Tells the citizen behind a request staff entered of its public steps by e-mail, when they agreed to it
 * ({@code contact.consent} and {@code contact.notifyBy: EMAIL}). The texts are the flows' notices, in the language
 * staff noted for them. Never fails the caller.
 */
public interface ContactNotices {

    /**
     * @param key what the notice is about, as for a chat notice: the same key twice mails once
     * @param subject the mail's subject (the request's name and code)
     */
    Mono<Void> email(Incident incident, String key, String subject, String text);

    /** For a deployment without e-mail. */
    static ContactNotices none() {
        return (incident, key, subject, text) -> Mono.empty();
    }
}

package org.civicbot.channels.telegram;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.meta.api.methods.AnswerCallbackQuery;
import org.telegram.telegrambots.meta.generics.TelegramClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Answers button presses. Telegram shows a spinner on the button until the callback query is answered
 * (https://core.telegram.org/bots/api#answercallbackquery), so every stored press gets an answer, off the
 * webhook's path.
 */
class CallbackAnswers {

    private static final Logger log = LoggerFactory.getLogger(CallbackAnswers.class);

    private final TelegramClient client;
    private final Scheduler scheduler;

    CallbackAnswers(TelegramClient client) {
        this(client, Schedulers.boundedElastic());
    }

    /** Tests pass {@code Schedulers.immediate()} to see the answer happen before the webhook returns. */
    CallbackAnswers(TelegramClient client, Scheduler scheduler) {
        this.client = client;
        this.scheduler = scheduler;
    }

    /** Fire and forget: the webhook's 200 never waits for Telegram. */
    void answer(String providerId, String callbackId) {
        Mono.fromCallable(() -> client.execute(AnswerCallbackQuery.builder().callbackQueryId(callbackId).build()))
                .subscribeOn(scheduler)
                .subscribe(
                        ok -> log.debug("Answered the callback query of update {}", providerId),
                        e -> log.warn("Could not answer the callback query of update {}: {}", providerId,
                                e.getClass().getName()));
    }
}

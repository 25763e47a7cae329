package org.civicbot.channels.telegram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.civicbot.bot.Channel;
import org.civicbot.bot.engine.Input;
import org.civicbot.bot.outbox.ChannelSender;
import org.civicbot.bot.outbox.OutboundMessage;
import org.civicbot.bot.outbox.SendOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.objects.MessageEntity;
import org.telegram.telegrambots.meta.api.objects.ResponseParameters;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardButton;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardRow;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;
import org.telegram.telegrambots.meta.generics.TelegramClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Sends Telegram messages through the Bot API's sendMessage, menus as inline keyboards. */
final class TelegramSender implements ChannelSender {

    private static final Logger log = LoggerFactory.getLogger(TelegramSender.class);

    private final TelegramClient client;
    private final int maxPerSecond;

    /** @param maxPerSecond {@code civicbot.telegram.max-per-second} */
    TelegramSender(TelegramClient client, int maxPerSecond) {
        this.client = client;
        this.maxPerSecond = maxPerSecond;
    }

    @Override
    public Channel channel() {
        return Channel.TELEGRAM;
    }

    @Override
    public int maxPerSecond() {
        return maxPerSecond;
    }

    /** telegrambots' {@code execute} blocks, so it runs on boundedElastic. */
    @Override
    public Mono<SendOutcome> send(OutboundMessage message) {
        return Mono.fromCallable(() -> attempt(message))
                .subscribeOn(Schedulers.boundedElastic())
                .doOnNext(outcome -> log.info("Telegram send of outbox entry {}: {}", message.entryId(),
                        outcome.getClass().getSimpleName()));
    }

    static SendMessage request(OutboundMessage message) {
        Formatted formatted = Formatted.of(message.text());
        SendMessage.SendMessageBuilder<?, ?> builder = SendMessage.builder()
                .chatId(message.address())
                .text(formatted.text());
        if (!formatted.bold().isEmpty()) {
            builder.entities(formatted.bold());
        }
        if (!message.options().isEmpty()) {
            builder.replyMarkup(keyboard(message.options(), message.menu()));
        }
        return builder.build();
    }

    /**
     * A text as Telegram shows it. The flows write bold the way WhatsApp reads it ({@code *Cita prèvia*}); sent
     * as it is, Telegram would show the asterisks, and its Markdown modes would make every other {@code _}, {@code
     * .} or {@code (} in a citizen-facing text an error. So the asterisks go, and bold entities say where.
     *
     * @param bold Telegram's entities, with offsets and lengths in UTF-16 code units, as Java counts them
     */
    record Formatted(String text, List<MessageEntity> bold) {

        /** {@code *words*}, the asterisks at the edges of words, on one line. */
        private static final java.util.regex.Pattern BOLD = java.util.regex.Pattern.compile(
                "(?<![\\p{L}\\p{N}*])\\*(?=\\S)([^*\\n]+?)(?<=\\S)\\*(?![\\p{L}\\p{N}*])");

        static Formatted of(String text) {
            java.util.regex.Matcher matcher = BOLD.matcher(text);
            StringBuilder plain = new StringBuilder();
            List<MessageEntity> bold = new ArrayList<>();
            int last = 0;
            while (matcher.find()) {
                plain.append(text, last, matcher.start());
                bold.add(MessageEntity.builder().type("bold").offset(plain.length())
                        .length(matcher.group(1).length()).build());
                plain.append(matcher.group(1));
                last = matcher.end();
            }
            plain.append(text.substring(last));
            return new Formatted(plain.toString(), List.copyOf(bold));
        }
    }

    /** Telegram refuses callback data over 64 bytes (https://core.telegram.org/bots/api#inlinekeyboardbutton). */
    static final int MAX_CALLBACK_DATA_BYTES = 64;

    /**
     * One button per row, so long labels stay readable; the callback data is the menu and the option's
     * 1-based position ({@code incident/category|3}), which is how a choice comes back to the flow: a
     * button of an older menu, still on the screen, is then recognised as such. A menu whose name does
     * not fit in the data gets the position alone.
     */
    static InlineKeyboardMarkup keyboard(List<String> options, String menu) {
        List<InlineKeyboardRow> rows = new ArrayList<>();
        for (int i = 0; i < options.size(); i++) {
            String position = String.valueOf(i + 1);
            String data = menu == null ? position : menu + Input.Choice.SEPARATOR + position;
            if (data.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_CALLBACK_DATA_BYTES) {
                data = position;
            }
            rows.add(new InlineKeyboardRow(InlineKeyboardButton.builder()
                    .text(options.get(i))
                    .callbackData(data)
                    .build()));
        }
        return new InlineKeyboardMarkup(rows);
    }

    private SendOutcome attempt(OutboundMessage message) {
        try {
            Message sent = client.execute(request(message));
            // message ids are only unique within a chat
            return new SendOutcome.Sent(sent.getChatId() + ":" + sent.getMessageId());
        } catch (TelegramApiRequestException e) {
            return classify(e.getErrorCode(), e.getParameters());
        } catch (TelegramApiException e) {
            return SendOutcome.ofTransportFailure(e, "Telegram");
        }
    }

    /** Error codes: https://core.telegram.org/bots/api#making-requests (429 carries retry_after). */
    static SendOutcome classify(Integer errorCode, ResponseParameters parameters) {
        if (errorCode == null) {
            // no readable answer (an HTML error page, a cut connection)
            return new SendOutcome.Retryable("no readable answer from Telegram", Optional.empty());
        }
        if (errorCode == 429) {
            Optional<Duration> retryAfter = Optional.ofNullable(parameters)
                    .map(ResponseParameters::getRetryAfter)
                    .map(Duration::ofSeconds);
            return new SendOutcome.Retryable("rate limited by Telegram (error 429)", retryAfter);
        }
        if (errorCode >= 500) {
            return new SendOutcome.Retryable("Telegram server error " + errorCode, Optional.empty());
        }
        return new SendOutcome.Permanent("Telegram refused the message (error " + errorCode + ")");
    }
}

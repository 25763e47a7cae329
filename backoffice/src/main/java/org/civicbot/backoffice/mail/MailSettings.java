package org.civicbot.backoffice.mail;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How staff e-mail goes out. The SMTP server itself is Spring's {@code spring.mail.*} ({@code host}, {@code port},
 * {@code username}, {@code password}, {@code properties.*}); without {@code spring.mail.host} e-mail is off.
 *
 * @param from the sender address; unset: {@code spring.mail.username} when that is an address, else e-mail is off
 * @param language the staff's language for the texts of alerts and mentions: {@code ca}, {@code es} or {@code en}
 * @param checkEvery how often the mail outbox is looked at for mail to send
 * @param retryInitial the first retry's delay, doubled after each failure up to {@code retryMax}
 * @param maxAttempts sends tried before a mail is marked FAILED
 * @param lease how long a mail may stay claimed (SENDING) before it counts as interrupted and is sent again
 * @param keep how long sent and failed mail stay in the outbox
 * @param digestAt the time of day (the town's) from which each department with an address gets the day's digest of
 *     its overdue incidents, once a day
 */
@ConfigurationProperties("civicbot.mail")
public record MailSettings(String from, @DefaultValue("ca") String language, @DefaultValue("5s") Duration checkEvery,
        @DefaultValue("1m") Duration retryInitial, @DefaultValue("1h") Duration retryMax,
        @DefaultValue("8") int maxAttempts, @DefaultValue("10m") Duration lease, @DefaultValue("90d") Duration keep,
        @DefaultValue("08:00") java.time.LocalTime digestAt) {}

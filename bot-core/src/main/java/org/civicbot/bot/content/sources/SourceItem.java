package org.civicbot.bot.content.sources;

import java.time.Instant;

/**
 * One entry of a live information source, whatever its kind: a news item (title, summary, link, published at
 * {@code start}), an agenda event (title, place, from {@code start} to {@code end}, link), an on-duty pharmacy (its name
 * as title, address as place, phone, on duty from {@code start} to {@code end}, where it is).
 */
public record SourceItem(String title, String summary, String link, Instant start, Instant end, String place,
        String phone, Double latitude, Double longitude) {}

package org.civicbot.bot.content.sources;

import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.SyndFeedInput;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.DateProperty;

/**
 * The kinds of source and how each is read into {@link SourceItem}s: RSS and Atom with Rome, iCalendar with ical4j,
 * a CSV with a header row or a JSON array of objects with the same fields (the pharmacies on duty). A source that
 * cannot be read throws
 * {@link Unreadable} with a message an editor can act on. (CSV is read here: a few lines, and commons-csv clashed with
 * the Commons versions other libraries bring.)
 */
public enum SourceKind {
    RSS, ATOM, ICAL, CSV, JSON;

    /** What a source's body did not have. */
    public static final class Unreadable extends RuntimeException {
        public Unreadable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static Optional<SourceKind> of(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(name.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Reads a body of this kind; times without a zone are the town's. */
    public List<SourceItem> read(byte[] body, ZoneId zone) {
        try {
            return switch (this) {
                case RSS, ATOM -> feed(body);
                case ICAL -> calendar(body, zone);
                case CSV -> pharmacies(csvRecords(new String(body, StandardCharsets.UTF_8)), "CSV", zone);
                case JSON -> pharmacies(jsonRecords(new String(body, StandardCharsets.UTF_8)), "JSON", zone);
            };
        } catch (Unreadable e) {
            throw e;
        } catch (Exception e) {
            throw new Unreadable("the " + name().toLowerCase(Locale.ROOT) + " source could not be read: "
                    + e.getClass().getSimpleName(), e);
        }
    }

    private static List<SourceItem> feed(byte[] body) throws Exception {
        try (Reader reader = new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8)) {
            SyndFeed feed = new SyndFeedInput().build(reader);
            List<SourceItem> items = new ArrayList<>();
            for (SyndEntry e : feed.getEntries()) {
                java.util.Date at = e.getPublishedDate() != null ? e.getPublishedDate() : e.getUpdatedDate();
                items.add(new SourceItem(text(e.getTitle()), e.getDescription() == null ? null
                        : plain(e.getDescription().getValue()), e.getLink(), at == null ? null : at.toInstant(), null,
                        null, null, null, null));
            }
            items.sort(java.util.Comparator.comparing(SourceItem::start,
                    java.util.Comparator.nullsLast(java.util.Comparator.reverseOrder())));
            return items;
        }
    }

    private static List<SourceItem> calendar(byte[] body, ZoneId zone) throws Exception {
        Calendar calendar = new CalendarBuilder().build(new ByteArrayInputStream(body));
        List<SourceItem> items = new ArrayList<>();
        for (Object component : calendar.getComponents()) {
            if (!(component instanceof VEvent event)) {
                continue;
            }
            Instant start = date(event, "DTSTART", zone);
            Instant end = date(event, "DTEND", zone);
            String description = value(event, "DESCRIPTION");
            items.add(new SourceItem(value(event, "SUMMARY"), description == null ? null : plain(description),
                    value(event, "URL"), start, end == null ? start : end, value(event, "LOCATION"), null, null, null));
        }
        items.sort(java.util.Comparator.comparing(SourceItem::start,
                java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder())));
        return items;
    }

    private static Instant date(VEvent event, String name, ZoneId zone) {
        Optional<Property> property = event.getProperty(name);
        return property.filter(DateProperty.class::isInstance)
                .map(p -> instant(((DateProperty<?>) p).getDate(), zone)).orElse(null);
    }

    private static String value(VEvent event, String name) {
        Optional<Property> property = event.getProperty(name);
        return property.map(Property::getValue).orElse(null);
    }

    /**
     * The pharmacies on duty: a header row with at least {@code name, address, phone, date, from, to} ({@code date}
     * ISO, {@code from} and {@code to} HH:MM, {@code to} before {@code from} running past midnight), and optional
     * {@code latitude, longitude}.
     */
    private static List<java.util.Map<String, String>> csvRecords(String body) {
        List<List<String>> rows = csv(body.replace("\uFEFF", ""));
        if (rows.isEmpty()) {
            throw new Unreadable("the pharmacies CSV is empty: it needs a header row (name, address, phone, date, "
                    + "from, to)", null);
        }
        List<String> header = rows.get(0).stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
        for (String needed : PHARMACY_FIELDS) {
            if (!header.contains(needed)) {
                throw new Unreadable("the pharmacies CSV has no column \"" + needed + "\" (it needs name, address,"
                        + " phone, date, from, to)", null);
            }
        }
        List<java.util.Map<String, String>> records = new ArrayList<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            java.util.Map<String, String> record = new java.util.HashMap<>();
            for (int i = 0; i < header.size() && i < row.size(); i++) {
                record.put(header.get(i), row.get(i).strip());
            }
            records.add(record);
        }
        return records;
    }

    /** A JSON array of objects (or an object whose {@code items} is one), each with the CSV's fields. */
    private static List<java.util.Map<String, String>> jsonRecords(String body) {
        String json = body.replace("\uFEFF", "").strip();
        List<?> array;
        try {
            org.bson.Document parsed = org.bson.Document.parse(json.startsWith("[") ? "{\"items\": " + json + "}"
                    : json);
            array = parsed.getList("items", Object.class);
        } catch (org.bson.json.JsonParseException | ClassCastException e) {
            throw new Unreadable("the pharmacies JSON is not an array of objects (or an object with \"items\")", e);
        }
        if (array == null) {
            throw new Unreadable("the pharmacies JSON is not an array of objects (or an object with \"items\")", null);
        }
        List<java.util.Map<String, String>> records = new ArrayList<>();
        for (Object element : array) {
            if (!(element instanceof org.bson.Document object)) {
                throw new Unreadable("the pharmacies JSON has an item that is not an object: " + element, null);
            }
            java.util.Map<String, String> record = new java.util.HashMap<>();
            object.forEach((key, value) -> record.put(key.strip().toLowerCase(Locale.ROOT),
                    value == null ? "" : String.valueOf(value).strip()));
            for (String needed : PHARMACY_FIELDS) {
                if (!record.containsKey(needed)) {
                    throw new Unreadable("the pharmacies JSON has an item without \"" + needed + "\" (each needs name,"
                            + " address, phone, date, from, to)", null);
                }
            }
            records.add(record);
        }
        return records;
    }

    private static final List<String> PHARMACY_FIELDS = List.of("name", "address", "phone", "date", "from", "to");

    /**
     * Pharmacies on duty, one record each: {@code name, address, phone, date} (ISO), {@code from, to} (HH:MM;
     * {@code to} before {@code from} is past midnight), and optional {@code latitude, longitude}.
     */
    private static List<SourceItem> pharmacies(List<java.util.Map<String, String>> records, String format,
            ZoneId zone) {
        List<SourceItem> items = new ArrayList<>();
        for (java.util.Map<String, String> record : records) {
            java.util.function.Function<String, String> cell = field -> record.getOrDefault(field, "");
            try {
                LocalDate day = LocalDate.parse(cell.apply("date"));
                LocalTime from = LocalTime.parse(cell.apply("from"));
                LocalTime to = LocalTime.parse(cell.apply("to"));
                LocalDateTime end = (to.isAfter(from) ? day : day.plusDays(1)).atTime(to);
                items.add(new SourceItem(cell.apply("name"), null, null, day.atTime(from).atZone(zone).toInstant(),
                        end.atZone(zone).toInstant(), cell.apply("address"), cell.apply("phone"),
                        decimal(cell.apply("latitude")), decimal(cell.apply("longitude"))));
            } catch (java.time.format.DateTimeParseException | NumberFormatException e) {
                throw new Unreadable("the pharmacies " + format + " has a row with a date that is not ISO (2026-05-01),"
                        + " a time that is not HH:MM, or a coordinate that is not a number: " + cell.apply("name"), e);
            }
        }
        return items;
    }

    /** Rows of RFC 4180 CSV: commas, fields in double quotes holding commas, quotes doubled, line breaks. */
    static List<List<String>> csv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                row.add(field.toString());
                field.setLength(0);
                if (!(row.size() == 1 && row.get(0).isBlank())) {
                    rows.add(row);
                }
                row = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        row.add(field.toString());
        if (!(row.size() == 1 && row.get(0).isBlank())) {
            rows.add(row);
        }
        return rows;
    }

    private static Double decimal(String value) {
        return value == null || value.isBlank() ? null : Double.parseDouble(value);
    }

    private static Instant instant(Temporal date, ZoneId zone) {
        if (date instanceof Instant i) {
            return i;
        }
        if (date instanceof ZonedDateTime z) {
            return z.toInstant();
        }
        if (date instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        if (date instanceof LocalDateTime l) {
            return l.atZone(zone).toInstant();
        }
        if (date instanceof LocalDate d) {
            return d.atStartOfDay(zone).toInstant();
        }
        return null;
    }

    private static String text(String value) {
        return value == null ? null : value.strip();
    }

    /** A feed's HTML summary as plain text, short enough for a chat. */
    private static String plain(String html) {
        if (html == null) {
            return null;
        }
        // Block tags part words; inline ones (<strong>, <a>) do not.
        String text = html.replaceAll("(?i)</?(p|br|div|li|ul|ol|h[1-6])\\b[^>]*>", " ").replaceAll("<[^>]*>", "")
                .replace("&nbsp;", " ").replace("&amp;", "&")
                .replace("&quot;", "\"").replace("&#39;", "'").replaceAll("\\s+", " ").strip();
        return text.length() > 300 ? text.substring(0, 297) + "…" : text;
    }
}

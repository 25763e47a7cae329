package org.civicbot.backoffice.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * CSV for a spreadsheet: UTF-8 with a byte-order mark (so Excel reads accents right), lines ended by CRLF, fields
 * quoted as RFC 4180 says, and a cell that a spreadsheet would run as a formula ({@code =}, {@code +}, {@code -},
 * {@code @}) made plain text. Streamed as the rows come.
 */
final class Csv {

    static final String BOM = "\uFEFF";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private Csv() {}

    /** The download: the byte-order mark and the column names, then the rows, as {@code <name>-<date>.csv}. */
    static ResponseEntity<Flux<String>> download(String name, List<String> columns, Flux<String> rows, ZoneId zone,
            Instant now) {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("text/csv;charset=UTF-8"))
                .header("Content-Disposition", "attachment; filename=\"" + name + "-" + LocalDate.ofInstant(now, zone)
                        + ".csv\"")
                .cacheControl(CacheControl.noStore())
                .body(Flux.concat(Mono.just(BOM + String.join(",", columns) + "\r\n"), rows));
    }

    /** One line of cells. */
    static String line(List<String> cells) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) {
                line.append(',');
            }
            line.append(cell(cells.get(c)));
        }
        return line.append("\r\n").toString();
    }

    /** A time in the town's zone, to the minute; empty for none. */
    static String time(Instant at, ZoneId zone) {
        return at == null ? "" : TIME.format(at.atZone(zone));
    }

    static String text(String value) {
        return value == null ? "" : value;
    }

    /** A cell as RFC 4180 wants it, never read as a formula. */
    static String cell(String value) {
        String plain = value;
        if (!plain.isEmpty() && "=+-@\t\r".indexOf(plain.charAt(0)) >= 0 && !plain.matches("-?[0-9.]+")) {
            plain = "'" + plain;
        }
        if (plain.contains(",") || plain.contains("\"") || plain.contains("\n") || plain.contains("\r")) {
            return "\"" + plain.replace("\"", "\"\"") + "\"";
        }
        return plain;
    }
}

package org.civicbot.backoffice.staff;

import java.time.Clock;
import java.util.Locale;
import java.util.Set;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.IncidentDesk;
import org.civicbot.bot.media.PhotoStore;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Files staff attach to an incident (photos, PDF documents), from the API and the page alike: checked (type, size,
 * name) before anything is stored, kept in the store beside the citizens' photos, and written on the history.
 */
@Component
public class StaffAttachments {

    public static final int MAX_BYTES = 10 * 1024 * 1024;
    public static final Set<String> TYPES = Set.of("image/jpeg", "image/png", "image/webp", "application/pdf");

    private final PhotoStore files;
    private final IncidentDesk desk;
    private final Clock clock;

    StaffAttachments(PhotoStore files, IncidentDesk desk, Clock clock) {
        this.files = files;
        this.desk = desk;
        this.clock = clock;
    }

    /** Attaches the file; refused with the reason (nothing stored) when it is not a photo or a PDF, or too big. */
    public Mono<Incident> attach(String code, FilePart file, String actor) {
        String type = file.headers().getContentType() == null ? ""
                : file.headers().getContentType().getType() + "/" + file.headers().getContentType().getSubtype();
        type = type.toLowerCase(Locale.ROOT);
        if (!TYPES.contains(type)) {
            return Mono.error(new IncidentDesk.Invalid("attach a photo (JPEG, PNG, WebP) or a PDF document"));
        }
        String name = name(file.filename());
        String contentType = type;
        return DataBufferUtils.join(file.content(), MAX_BYTES)
                .onErrorMap(DataBufferLimitException.class, e -> new IncidentDesk.Invalid(
                        "a file may have at most 10 MB"))
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .flatMap(bytes -> looksLike(contentType, bytes) ? Mono.just(bytes)
                        : Mono.error(new IncidentDesk.Invalid(name + " is not the " + contentType + " it says it is")))
                .flatMap(bytes -> files.store("attachment-" + code + "-" + java.util.UUID.randomUUID(), bytes,
                        contentType))
                .flatMap(id -> desk.attach(code, new Incident.Attachment(id, contentType, name, clock.instant(), actor),
                        actor));
    }

    /** A file name as staff gave it, without any path, at most 120 characters. */
    static String name(String given) {
        String name = given == null ? "" : given.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1).strip();
        if (name.isEmpty()) {
            name = "file";
        }
        return name.length() > 120 ? name.substring(0, 120) : name;
    }

    /** Whether the bytes begin as the type says (a PDF as a PDF, a JPEG as a JPEG...). */
    static boolean looksLike(String type, byte[] bytes) {
        return switch (type) {
            case "application/pdf" -> starts(bytes, "%PDF".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            case "image/jpeg" -> starts(bytes, new byte[] {(byte) 0xFF, (byte) 0xD8});
            case "image/png" -> starts(bytes, new byte[] {(byte) 0x89, 'P', 'N', 'G'});
            case "image/webp" -> bytes.length > 12 && new String(bytes, 8, 4,
                    java.nio.charset.StandardCharsets.US_ASCII).equals("WEBP");
            default -> false;
        };
    }

    private static boolean starts(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}

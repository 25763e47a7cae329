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

    public static final int MAX_FILES = 10;

    /**
     * Attaches the files, all or none: each is read and checked (type, size, content) before any is stored; refused
     * with the reason when one is not a photo or a PDF, or too big, or there are too many.
     */
    public Mono<Incident> attachAll(String code, java.util.List<FilePart> files, String actor) {
        if (files.size() > MAX_FILES) {
            return Mono.error(new IncidentDesk.Invalid("attach at most " + MAX_FILES + " files at a time"));
        }
        return reactor.core.publisher.Flux.fromIterable(files).concatMap(this::checked).collectList()
                .flatMap(all -> reactor.core.publisher.Flux.fromIterable(all)
                        .concatMap(f -> store(code, f, actor)).last());
    }

    /** A file read whole and checked, ready to store. */
    private record Checked(String name, String contentType, byte[] bytes) {}

    private Mono<Checked> checked(FilePart file) {
        String type = file.headers().getContentType() == null ? ""
                : (file.headers().getContentType().getType() + "/" + file.headers().getContentType().getSubtype())
                        .toLowerCase(Locale.ROOT);
        String name = name(file.filename());
        if (!TYPES.contains(type)) {
            return Mono.error(new IncidentDesk.Invalid(name + ": attach a photo (JPEG, PNG, WebP) or a PDF document"));
        }
        return DataBufferUtils.join(file.content(), MAX_BYTES)
                .onErrorMap(DataBufferLimitException.class, e -> new IncidentDesk.Invalid(
                        name + ": a file may have at most 10 MB"))
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .flatMap(bytes -> looksLike(type, bytes) ? Mono.just(new Checked(name, type, bytes))
                        : Mono.error(new IncidentDesk.Invalid(name + " is not the " + type + " it says it is")));
    }

    private Mono<Incident> store(String code, Checked file, String actor) {
        return files.store("attachment-" + code + "-" + java.util.UUID.randomUUID(), file.bytes(), file.contentType())
                .flatMap(id -> desk.attach(code, new Incident.Attachment(id, file.contentType(), file.name(),
                        clock.instant(), actor), actor));
    }

    /** Attaches the file; refused with the reason (nothing stored) when it is not a photo or a PDF, or too big. */
    public Mono<Incident> attach(String code, FilePart file, String actor) {
        return attachAll(code, java.util.List.of(file), actor);
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

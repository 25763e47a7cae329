package org.civicbot.bot.media;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * What a photo carries besides its picture: a phone writes its position (GPS), its make and model and the time into a
 * JPEG's EXIF, and text chunks into a PNG. Photos are stored without any of it; the position can be read first, once.
 * The picture's bytes are copied as they are, never decoded and encoded again.
 */
public final class ImageMetadata {

    /** JPEG segments that carry metadata: EXIF and XMP (APP1), Photoshop/IPTC (APP13), comments (COM). */
    private static final Set<Integer> JPEG_METADATA = Set.of(0xE1, 0xED, 0xFE);
    /** PNG chunks that carry metadata: text, EXIF, time. */
    private static final Set<String> PNG_METADATA = Set.of("tEXt", "zTXt", "iTXt", "eXIf", "tIME");
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private ImageMetadata() {}

    /** A place a photo says it was taken at. */
    public record Position(double latitude, double longitude) {}

    /**
     * The image without its metadata; the bytes as they are for a type this does not know, or for bytes that are
     * not what their type says (the picture is not the platform's to repair).
     */
    public static byte[] strip(byte[] bytes, String contentType) {
        try {
            if (isJpeg(bytes)) {
                return stripJpeg(bytes);
            }
            if (isPng(bytes)) {
                return stripPng(bytes);
            }
        } catch (RuntimeException malformed) {
            return bytes;
        }
        return bytes;
    }

    /** The GPS position in a JPEG's EXIF, if it has one. */
    public static Optional<Position> position(byte[] bytes) {
        if (!isJpeg(bytes)) {
            return Optional.empty();
        }
        try {
            int at = 2;
            while (at + 4 <= bytes.length && (bytes[at] & 0xFF) == 0xFF) {
                int marker = bytes[at + 1] & 0xFF;
                if (marker == 0xDA || marker == 0xD9) {
                    break;
                }
                int length = ((bytes[at + 2] & 0xFF) << 8) | (bytes[at + 3] & 0xFF);
                if (marker == 0xE1 && length > 8 && new String(bytes, at + 4, 6, StandardCharsets.ISO_8859_1)
                        .equals("Exif\0\0")) {
                    return gps(ByteBuffer.wrap(bytes, at + 10, length - 8).slice());
                }
                at += 2 + length;
            }
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static boolean isJpeg(byte[] bytes) {
        return bytes.length > 4 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8;
    }

    private static boolean isPng(byte[] bytes) {
        if (bytes.length < PNG_SIGNATURE.length) {
            return false;
        }
        for (int i = 0; i < PNG_SIGNATURE.length; i++) {
            if (bytes[i] != PNG_SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    /** Copies the segments up to the scan, leaving the metadata ones out, then the scan and the rest as they are. */
    private static byte[] stripJpeg(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
        out.write(bytes, 0, 2);
        int at = 2;
        while (at + 4 <= bytes.length) {
            if ((bytes[at] & 0xFF) != 0xFF) {
                throw new IllegalStateException("not a segment");
            }
            int marker = bytes[at + 1] & 0xFF;
            if (marker == 0xDA || marker == 0xD9) {
                break;
            }
            int length = ((bytes[at + 2] & 0xFF) << 8) | (bytes[at + 3] & 0xFF);
            if (length < 2 || at + 2 + length > bytes.length) {
                throw new IllegalStateException("a segment longer than the file");
            }
            if (!JPEG_METADATA.contains(marker)) {
                out.write(bytes, at, 2 + length);
            }
            at += 2 + length;
        }
        out.write(bytes, at, bytes.length - at);
        return out.toByteArray();
    }

    private static byte[] stripPng(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
        out.write(bytes, 0, PNG_SIGNATURE.length);
        int at = PNG_SIGNATURE.length;
        while (at + 12 <= bytes.length) {
            int length = ByteBuffer.wrap(bytes, at, 4).getInt();
            if (length < 0 || at + 12L + length > bytes.length) {
                throw new IllegalStateException("a chunk longer than the file");
            }
            String type = new String(bytes, at + 4, 4, StandardCharsets.ISO_8859_1);
            if (!PNG_METADATA.contains(type)) {
                out.write(bytes, at, 12 + length);
            }
            at += 12 + length;
        }
        return out.toByteArray();
    }

    /** The GPS IFD of an EXIF TIFF block: latitude and longitude with their references. */
    private static Optional<Position> gps(ByteBuffer tiff) {
        tiff.order(tiff.get(0) == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int ifd0 = tiff.getInt(4);
        int gpsIfd = -1;
        int entries = tiff.getShort(ifd0) & 0xFFFF;
        for (int i = 0; i < entries; i++) {
            int entry = ifd0 + 2 + i * 12;
            if ((tiff.getShort(entry) & 0xFFFF) == 0x8825) {
                gpsIfd = tiff.getInt(entry + 8);
            }
        }
        if (gpsIfd < 0) {
            return Optional.empty();
        }
        Character latRef = null;
        Character lonRef = null;
        Double lat = null;
        Double lon = null;
        int count = tiff.getShort(gpsIfd) & 0xFFFF;
        for (int i = 0; i < count; i++) {
            int entry = gpsIfd + 2 + i * 12;
            int tag = tiff.getShort(entry) & 0xFFFF;
            switch (tag) {
                case 1 -> latRef = (char) tiff.get(entry + 8);
                case 2 -> lat = degrees(tiff, tiff.getInt(entry + 8));
                case 3 -> lonRef = (char) tiff.get(entry + 8);
                case 4 -> lon = degrees(tiff, tiff.getInt(entry + 8));
                default -> { }
            }
        }
        if (lat == null || lon == null || lat.isNaN() || lon.isNaN()) {
            return Optional.empty();
        }
        double latitude = latRef != null && latRef == 'S' ? -lat : lat;
        double longitude = lonRef != null && lonRef == 'W' ? -lon : lon;
        if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180 || (latitude == 0 && longitude == 0)) {
            return Optional.empty();
        }
        return Optional.of(new Position(latitude, longitude));
    }

    /** Three RATIONALs: degrees, minutes, seconds. */
    private static double degrees(ByteBuffer tiff, int offset) {
        double value = 0;
        double unit = 1;
        for (int i = 0; i < 3; i++) {
            long numerator = tiff.getInt(offset + i * 8) & 0xFFFFFFFFL;
            long denominator = tiff.getInt(offset + i * 8 + 4) & 0xFFFFFFFFL;
            value += denominator == 0 ? 0 : (double) numerator / denominator / unit;
            unit *= 60;
        }
        return value;
    }
}

package org.civicbot.bot.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** A phone's photo keeps its picture and loses its EXIF (position, make, time); its position can be read first. */
class ImageMetadataTests {

    /** A real JPEG (ImageIO's) with a phone's EXIF segment put in after its start: GPS 41.7262 N, 1.8262 E. */
    static byte[] phonePhoto() throws IOException {
        BufferedImage image = new BufferedImage(32, 24, BufferedImage.TYPE_INT_RGB);
        image.setRGB(3, 4, 0x336699);
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", jpeg);
        byte[] plain = jpeg.toByteArray();

        ByteBuffer tiff = ByteBuffer.allocate(128);
        tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        tiff.putShort((short) 1).putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(26).putInt(0);
        tiff.putShort((short) 4);
        tiff.putShort((short) 1).putShort((short) 2).putInt(2).put((byte) 'N').put((byte) 0).putShort((short) 0);
        tiff.putShort((short) 2).putShort((short) 5).putInt(3).putInt(80);
        tiff.putShort((short) 3).putShort((short) 2).putInt(2).put((byte) 'E').put((byte) 0).putShort((short) 0);
        tiff.putShort((short) 4).putShort((short) 5).putInt(3).putInt(104);
        tiff.putInt(0);
        tiff.putInt(41).putInt(1).putInt(43).putInt(1).putInt(3432).putInt(100);
        tiff.putInt(1).putInt(1).putInt(49).putInt(1).putInt(3432).putInt(100);
        byte[] exif = new byte[6 + tiff.position()];
        System.arraycopy("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), 0, exif, 0, 6);
        System.arraycopy(tiff.array(), 0, exif, 6, tiff.position());

        ByteArrayOutputStream photo = new ByteArrayOutputStream();
        photo.write(plain, 0, 2);
        photo.write(0xFF);
        photo.write(0xE1);
        photo.write((exif.length + 2) >> 8);
        photo.write((exif.length + 2) & 0xFF);
        photo.write(exif, 0, exif.length);
        byte[] comment = "Pixel 8 Pro, 30/11/2026 09:12".getBytes(StandardCharsets.UTF_8);
        photo.write(0xFF);
        photo.write(0xFE);
        photo.write((comment.length + 2) >> 8);
        photo.write((comment.length + 2) & 0xFF);
        photo.write(comment, 0, comment.length);
        photo.write(plain, 2, plain.length - 2);
        return photo.toByteArray();
    }

    @Test
    void aPhonesPhotoGivesItsPositionAndIsStoredWithoutItsMetadata() throws IOException {
        byte[] photo = phonePhoto();
        assertThat(ImageMetadata.position(photo)).hasValueSatisfying(p -> {
            assertThat(p.latitude()).isCloseTo(41.7262, within(0.0001));
            assertThat(p.longitude()).isCloseTo(1.8262, within(0.0001));
        });

        byte[] stripped = ImageMetadata.strip(photo, "image/jpeg");
        String text = new String(stripped, StandardCharsets.ISO_8859_1);
        assertThat(text).doesNotContain("Exif").doesNotContain("Pixel 8 Pro");
        assertThat(ImageMetadata.position(stripped)).isEmpty();
        BufferedImage picture = ImageIO.read(new ByteArrayInputStream(stripped));
        assertThat(picture.getWidth()).isEqualTo(32);
        assertThat(picture.getHeight()).isEqualTo(24);
        assertThat(stripped.length).isLessThan(photo.length);
    }

    @Test
    void aPngLosesItsTextChunksAndWhatIsNotAnImageIsLeftAsItIs() throws IOException {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        byte[] plain = png.toByteArray();
        byte[] text = "Comment\0Casa de la Maria, carrer Nou 5".getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer chunk = ByteBuffer.allocate(12 + text.length);
        chunk.putInt(text.length).put("tEXt".getBytes(StandardCharsets.ISO_8859_1)).put(text).putInt(0);
        ByteArrayOutputStream withText = new ByteArrayOutputStream();
        withText.write(plain, 0, 33);
        withText.write(chunk.array(), 0, chunk.capacity());
        withText.write(plain, 33, plain.length - 33);

        byte[] stripped = ImageMetadata.strip(withText.toByteArray(), "image/png");
        assertThat(new String(stripped, StandardCharsets.ISO_8859_1)).doesNotContain("carrer Nou");
        assertThat(ImageIO.read(new ByteArrayInputStream(stripped)).getWidth()).isEqualTo(8);

        byte[] pdf = "%PDF-1.7 not an image".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(ImageMetadata.strip(pdf, "application/pdf")).isEqualTo(pdf);
        byte[] broken = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE1, 0x7F, 0x7F, 1, 2};
        assertThat(ImageMetadata.strip(broken, "image/jpeg")).isEqualTo(broken);
    }
}

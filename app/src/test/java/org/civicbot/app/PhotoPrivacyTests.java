package org.civicbot.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.media.PhotoStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A phone's photo sent on WhatsApp before the place is given: the bot offers where the photo says it was taken, the
 * citizen agrees, and the incident is placed there; the photo is kept without its EXIF (position, phone, time).
 */
class PhotoPrivacyTests extends FullStackTest {

    @Autowired
    PhotoStore photos;

    @Test
    void aPhotosPositionIsOfferedAsThePlaceAndThePhotoIsStoredWithoutItsMetadata() throws IOException {
        byte[] phonePhoto = phonePhoto();
        assertThat(new String(phonePhoto, StandardCharsets.ISO_8859_1)).contains("Exif").contains("Pixel 8 Pro");
        Providers.TWILIO.stubFor(get(urlPathEqualTo("/2010-04-01/Accounts/" + Providers.TWILIO_SID
                + "/Messages/MM-EXIF-1/Media/ME-EXIF")).willReturn(aResponse().withHeader("Content-Type", "image/jpeg")
                .withBody(phonePhoto)));
        String citizen = "whatsapp:+34600008801";
        for (String text : List.of("hola", "1", "Enllumenat public", "El fanal de la cantonada no s'encén")) {
            whatsapp(citizen, text);
        }
        Map<String, String> photo = Providers.whatsappText(citizen, "MM-EXIF-1", "");
        photo.put("NumMedia", "1");
        photo.put("MediaUrl0", Providers.TWILIO.baseUrl() + "/2010-04-01/Accounts/" + Providers.TWILIO_SID
                + "/Messages/MM-EXIF-1/Media/ME-EXIF");
        photo.put("MediaContentType0", "image/jpeg");
        postTwilio(photo).expectStatus().isOk().expectBody().returnResult();
        awaitProcessed("WHATSAPP:MM-EXIF-1");
        Conversation conversation = conversation(Channel.WHATSAPP, citizen);
        awaitOutboxSettled(conversation.id());
        List<String> bodies = Providers.twilioBodiesTo(citizen);
        assertThat(bodies.get(bodies.size() - 1)).startsWith("La foto diu que s'ha fet aquí: "
                + "https://www.openstreetmap.org/?mlat=41.71020&mlon=1.81020").contains("És on hi ha el problema?");

        whatsapp(citizen, "Sí");
        List<Incident> incidents = incidentsOf(conversation.id());
        assertThat(incidents).hasSize(1);
        Incident incident = incidents.get(0);
        assertThat(incident.location().latitude()).isCloseTo(41.7102, within(0.0001));
        assertThat(incident.location().longitude()).isCloseTo(1.8102, within(0.0001));
        assertThat(incident.photos()).hasSize(1);
        byte[] stored = photos.load(incident.photos().get(0).id()).block().bytes();
        String kept = new String(stored, StandardCharsets.ISO_8859_1);
        assertThat(kept).doesNotContain("Exif").doesNotContain("Pixel 8 Pro");
        assertThat(ImageIO.read(new java.io.ByteArrayInputStream(stored)).getWidth()).isEqualTo(32);
    }

    /** A real JPEG with a phone's EXIF put in after its start: GPS 41.7102 N, 1.8102 E, and the phone's name. */
    static byte[] phonePhoto() throws IOException {
        BufferedImage image = new BufferedImage(32, 24, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", jpeg);
        byte[] plain = jpeg.toByteArray();
        ByteBuffer tiff = ByteBuffer.allocate(160);
        tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        tiff.putShort((short) 1).putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(26).putInt(0);
        tiff.putShort((short) 4);
        tiff.putShort((short) 1).putShort((short) 2).putInt(2).put((byte) 'N').put((byte) 0).putShort((short) 0);
        tiff.putShort((short) 2).putShort((short) 5).putInt(3).putInt(80);
        tiff.putShort((short) 3).putShort((short) 2).putInt(2).put((byte) 'E').put((byte) 0).putShort((short) 0);
        tiff.putShort((short) 4).putShort((short) 5).putInt(3).putInt(104);
        tiff.putInt(0);
        tiff.putInt(41).putInt(1).putInt(42).putInt(1).putInt(3672).putInt(100);
        tiff.putInt(1).putInt(1).putInt(48).putInt(1).putInt(3672).putInt(100);
        tiff.put("Pixel 8 Pro".getBytes(StandardCharsets.ISO_8859_1));
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
        photo.write(plain, 2, plain.length - 2);
        return photo.toByteArray();
    }
}

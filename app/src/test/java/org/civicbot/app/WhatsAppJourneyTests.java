package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.IncidentStatus;
import org.civicbot.bot.incident.Source;
import org.civicbot.bot.media.PhotoStore;
import org.civicbot.bot.outbox.DeliveryStatus;
import org.civicbot.bot.outbox.OutboxEntry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A citizen on WhatsApp, through Twilio, from "hola" to an incident code. */
class WhatsAppJourneyTests extends FullStackTest {

    @Autowired
    PhotoStore photos;

    @Test
    void reportsAnIncidentWithAPhotoFromHolaToItsCode() {
        String citizen = "whatsapp:+34600000101";
        whatsapp(citizen, "hola");
        whatsapp(citizen, "1");
        whatsapp(citizen, "Enllumenat public");
        whatsapp(citizen, "La farola del carrer Major 12 no s'encén des de fa tres dies");
        whatsapp(citizen, "Carrer Major 12, Manresa");
        String sid = Providers.nextMessageSid();
        Map<String, String> photo = Providers.whatsappText(citizen, sid, "");
        photo.put("NumMedia", "1");
        photo.put("MediaUrl0", Providers.TWILIO.baseUrl() + "/2010-04-01/Accounts/" + Providers.TWILIO_SID
                + "/Messages/" + sid + "/Media/ME0001");
        photo.put("MediaContentType0", "image/jpeg");
        postTwilio(photo).expectStatus().isOk().expectBody().returnResult();
        awaitProcessed("WHATSAPP:" + sid);

        Conversation conversation = conversation(Channel.WHATSAPP, citizen);
        List<Incident> incidents = incidentsOf(conversation.id());
        assertThat(incidents).hasSize(1);
        Incident incident = incidents.get(0);
        assertThat(incident.code()).matches("INC-20\\d\\d-\\d{6}");
        assertThat(incident.status()).isEqualTo(IncidentStatus.NEW);
        assertThat(incident.category()).isEqualTo("street_lighting");
        assertThat(incident.description()).isEqualTo("La farola del carrer Major 12 no s'encén des de fa tres dies");
        assertThat(incident.location()).isEqualTo(new Incident.Location("Carrer Major 12, Manresa", null, null, "ADDRESS"));
        assertThat(incident.source()).isEqualTo(Source.WHATSAPP);
        assertThat(incident.channel()).isEqualTo(Channel.WHATSAPP);
        assertThat(incident.contactName()).isEqualTo("Maria Vila");
        assertThat(incident.timeline()).extracting(Incident.TimelineEntry::type).containsExactly("CREATED");
        assertThat(incident.photos()).hasSize(1);
        assertThat(incident.photos().get(0).contentType()).isEqualTo("image/jpeg");
        assertThat(photos.load(incident.photos().get(0).id()).block().bytes()).isEqualTo(Providers.JPEG);

        List<OutboxEntry> sent = awaitOutboxSettled(conversation.id());
        assertThat(sent).extracting(OutboxEntry::status).containsOnly(DeliveryStatus.SENT);
        List<String> bodies = Providers.twilioBodiesTo(citizen);
        assertThat(bodies).hasSameSizeAs(sent);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(bodies.get(i)).as("reply %d in order", i).startsWith(sent.get(i).text());
        }
        assertThat(bodies.get(0)).contains("https://www.ajuntamentdeprova.cat/privacitat");
        assertThat(bodies.get(1)).contains("1. Comunicar una incidència").contains("8. Preferències");
        assertThat(bodies.get(2)).contains("3. Enllumenat públic");
        assertThat(bodies).anySatisfy(body -> assertThat(body).contains(incident.code()));
        assertThat(bodies).noneSatisfy(body -> assertThat(body).contains("{incident.code}"));
    }

    @Test
    void keepsTheCoordinatesOfALocationPin() {
        String citizen = "whatsapp:+34600000102";
        for (String text : List.of("hola", "1", "2", "Branques trencades al parc de la Seu")) {
            whatsapp(citizen, text);
        }
        String sid = Providers.nextMessageSid();
        Map<String, String> pin = Providers.whatsappText(citizen, sid, "");
        pin.remove("Body");
        pin.put("Latitude", "41.7251");
        pin.put("Longitude", "1.8266");
        pin.put("Address", "Parc de la Seu, Manresa");
        pin.put("Label", "Parc de la Seu");
        postTwilio(pin).expectStatus().isOk().expectBody().returnResult();
        awaitProcessed("WHATSAPP:" + sid);
        whatsapp(citizen, "ometre");

        Incident incident = incidentsOf(conversation(Channel.WHATSAPP, citizen).id()).get(0);
        assertThat(incident.location())
                .isEqualTo(new Incident.Location("Parc de la Seu, Manresa", 41.7251, 1.8266, "PIN"));
        assertThat(incident.photos()).isEmpty();
    }
}

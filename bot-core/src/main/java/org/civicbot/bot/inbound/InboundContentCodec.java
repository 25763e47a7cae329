package org.civicbot.bot.inbound;

import java.util.List;
import org.bson.Document;

/** Writes inbound content as a plain BSON document and reads it back. */
public final class InboundContentCodec {

    private InboundContentCodec() {}

    public static Document write(InboundContent content) {
        if (content instanceof InboundContent.Text t) {
            return new Document("type", "text").append("text", t.text());
        }
        if (content instanceof InboundContent.Location l) {
            return new Document("type", "location").append("latitude", l.latitude()).append("longitude", l.longitude())
                    .append("address", l.address()).append("label", l.label());
        }
        if (content instanceof InboundContent.Media m) {
            List<Document> media = m.media().stream()
                    .map(r -> new Document("ref", r.ref()).append("contentType", r.contentType())).toList();
            return new Document("type", "media").append("media", media).append("caption", m.caption());
        }
        if (content instanceof InboundContent.Unsupported u) {
            return new Document("type", "unsupported").append("kind", u.kind());
        }
        InboundContent.Choice c = (InboundContent.Choice) content;
        return new Document("type", "choice").append("data", c.data()).append("callbackId", c.callbackId());
    }

    public static InboundContent read(Document doc) {
        switch (doc.getString("type")) {
            case "text":
                return new InboundContent.Text(doc.getString("text"));
            case "location":
                return new InboundContent.Location(((Number) doc.get("latitude")).doubleValue(),
                        ((Number) doc.get("longitude")).doubleValue(), doc.getString("address"), doc.getString("label"));
            case "media":
                List<InboundContent.MediaRef> refs = doc.getList("media", Document.class, List.of()).stream()
                        .map(d -> new InboundContent.MediaRef(d.getString("ref"), d.getString("contentType"))).toList();
                return new InboundContent.Media(refs, doc.getString("caption"));
            case "unsupported":
                return new InboundContent.Unsupported(doc.getString("kind"));
            default:
                return new InboundContent.Choice(doc.getString("data"), doc.getString("callbackId"));
        }
    }
}

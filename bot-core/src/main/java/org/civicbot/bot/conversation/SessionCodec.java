package org.civicbot.bot.conversation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.civicbot.bot.engine.Answer;
import org.civicbot.bot.engine.Found;
import org.civicbot.bot.engine.Session;
import org.civicbot.flows.Language;

/**
 * Writes the engine's session as a plain BSON document and reads it back. Written by hand so that the
 * stored form is explicit and stable, whatever the mapping library does with sealed types.
 */
public final class SessionCodec {

    private SessionCodec() {}

    public static Document write(Session session) {
        Document vars = new Document();
        session.vars().forEach((name, answer) -> vars.put(name, writeAnswer(answer)));
        return new Document("flow", session.flowId())
                .append("node", session.nodeId())
                .append("state", session.state().name())
                .append("vars", vars)
                .append("language", session.language().code())
                .append("noticeShown", session.privacyNoticeShown())
                .append("optedOut", session.optedOut())
                .append("retries", session.retries())
                .append("offered", session.offered())
                .append("offeredFor", session.offeredFor())
                .append("ahead", List.copyOf(session.ahead()))
                .append("lastReport", session.lastReport() == null ? null
                        : new Document("ref", session.lastReport().ref()).append("at", Date.from(session.lastReport().at()))
                                .append("photos", session.lastReport().photos()))
                .append("proposed", session.proposed() == null ? null
                        : new Document("var", session.proposed().var()).append("written", session.proposed().written())
                                .append("place", session.proposed().place() == null ? null
                                        : writeAnswer(session.proposed().place()))
                                .append("rejected", session.proposed().rejected()))
                .append("duplicate", session.duplicate() == null ? null
                        : new Document("code", session.duplicate().code()).append("date", session.duplicate().date())
                                .append("address", session.duplicate().address())
                                .append("status", session.duplicate().status()))
                .append("survey", session.survey() == null ? null
                        : new Document("about", session.survey().about()).append("scored", session.survey().scored()));
    }

    /** The session's stored form for a satisfaction question just asked (the field {@code session.survey}). */
    public static Document survey(Session.Survey survey) {
        return new Document("about", survey.about()).append("scored", survey.scored());
    }

    public static Session read(Document doc, Language fallback) {
        if (doc == null) {
            return Session.fresh(fallback);
        }
        Map<String, Answer> vars = new LinkedHashMap<>();
        Document stored = doc.get("vars", Document.class);
        if (stored != null) {
            stored.forEach((name, value) -> vars.put(name, readAnswer((Document) value)));
        }
        return new Session(doc.getString("flow"), doc.getString("node"),
                Session.State.valueOf(doc.getString("state")), vars,
                Language.fromCode(doc.getString("language")).orElse(fallback),
                Boolean.TRUE.equals(doc.getBoolean("noticeShown")), Boolean.TRUE.equals(doc.getBoolean("optedOut")),
                doc.getInteger("retries", 0), doc.getList("offered", String.class, List.of()),
                doc.getString("offeredFor"), new java.util.LinkedHashSet<>(doc.getList("ahead", String.class, List.of())),
                lastReport(doc.get("lastReport", Document.class)), proposal(doc.get("proposed", Document.class)),
                duplicate(doc.get("duplicate", Document.class)), survey(doc.get("survey", Document.class)));
    }

    private static Session.Survey survey(Document doc) {
        return doc == null ? null : new Session.Survey(doc.getString("about"), Boolean.TRUE.equals(doc.getBoolean("scored")));
    }

    private static Found.Incident duplicate(Document doc) {
        return doc == null ? null : new Found.Incident(doc.getString("code"), doc.getString("date"),
                doc.getString("address"), doc.getString("status"));
    }

    private static Session.Proposal proposal(Document doc) {
        if (doc == null) {
            return null;
        }
        Document place = doc.get("place", Document.class);
        return new Session.Proposal(doc.getString("var"), doc.getString("written"),
                place == null ? null : (Answer.Place) readAnswer(place), doc.getInteger("rejected", 0));
    }

    private static Session.LastReport lastReport(Document doc) {
        if (doc == null) {
            return null;
        }
        return new Session.LastReport(doc.getString("ref"), doc.getDate("at").toInstant(), doc.getInteger("photos", 0));
    }

    private static Document writeAnswer(Answer answer) {
        if (answer instanceof Answer.Text t) {
            return new Document("type", "text").append("value", t.value());
        }
        if (answer instanceof Answer.Choice c) {
            return new Document("type", "choice").append("value", c.value()).append("label", c.label());
        }
        if (answer instanceof Answer.Place p) {
            return new Document("type", "place").append("address", p.address()).append("latitude", p.latitude())
                    .append("longitude", p.longitude()).append("origin", p.origin().name());
        }
        if (answer instanceof Answer.Photos p) {
            return new Document("type", "photos").append("ids", p.ids());
        }
        return new Document("type", "skipped");
    }

    private static Answer readAnswer(Document doc) {
        switch (doc.getString("type")) {
            case "text":
                return new Answer.Text(doc.getString("value"));
            case "choice":
                return new Answer.Choice(doc.getString("value"), doc.getString("label"));
            case "place":
                return new Answer.Place(doc.getString("address"), toDouble(doc.get("latitude")),
                        toDouble(doc.get("longitude")), Answer.Place.Origin.valueOf(doc.getString("origin")));
            case "photos":
                return new Answer.Photos(new ArrayList<>(doc.getList("ids", String.class, List.of())));
            default:
                return new Answer.Skipped();
        }
    }

    private static Double toDouble(Object value) {
        return value instanceof Number n ? n.doubleValue() : null;
    }
}

package org.civicbot.bot.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.civicbot.flows.Flow;
import org.civicbot.flows.FlowBundle;
import org.civicbot.flows.LocalizedText;
import org.civicbot.flows.Node;
import org.civicbot.flows.RequestType;

/**
 * What a citizen has told the bot so far towards an incident, read from the session with the variables the
 * flow's {@code incident} node names. When an errand ends with a person (three answers the bot could not take,
 * or a request for one), staff see this draft and can register it as an incident instead of asking it all again.
 *
 * @param category the category's value, when chosen
 * @param description what the citizen wrote, when they did
 * @param place where, when they said
 * @param photoIds the photos they sent
 * @param type what it is: an incident, or a suggestion, complaint or question
 */
public record IncidentDraft(String category, String description, Answer.Place place, List<String> photoIds,
        RequestType type) {

    public IncidentDraft {
        photoIds = photoIds == null ? List.of() : List.copyOf(photoIds);
        type = type == null ? RequestType.INCIDENT : type;
    }

    public IncidentDraft(String category, String description, Answer.Place place, List<String> photoIds) {
        this(category, description, place, photoIds, RequestType.INCIDENT);
    }

    /** The draft in a session's variables, if the session is inside a flow that files incidents and has one. */
    public static Optional<IncidentDraft> of(FlowBundle flows, Session session) {
        if (session.flowId() == null || session.vars().isEmpty()) {
            return Optional.empty();
        }
        return flows.flow(session.flowId()).flatMap(IncidentDraft::incidentNode)
                .map(node -> read(node, session, Integer.MAX_VALUE))
                .filter(draft -> !draft.isEmpty());
    }

    /** The draft as the incident node reads it, with at most {@code maxPhotos} photos. */
    static IncidentDraft read(Node.Incident node, Session session, int maxPhotos) {
        String category = session.var(node.categoryVar())
                .map(a -> a instanceof Answer.Choice c ? c.value() : a instanceof Answer.Text t ? t.value() : null)
                .orElse(null);
        String description = session.var(node.descriptionVar())
                .map(a -> a instanceof Answer.Text t ? t.value() : null).orElse(null);
        Answer.Place place = session.var(node.locationVar())
                .filter(Answer.Place.class::isInstance).map(Answer.Place.class::cast).orElse(null);
        List<String> photos = session.var(node.photoVar())
                .filter(Answer.Photos.class::isInstance).map(a -> ((Answer.Photos) a).ids()).orElse(List.of());
        RequestType type = node.typeVar().flatMap(session::var)
                .flatMap(a -> a instanceof Answer.Choice c ? RequestType.fromWire(c.value()) : Optional.empty())
                .orElse(RequestType.INCIDENT);
        return new IncidentDraft(category, description, place,
                photos.size() > maxPhotos ? photos.subList(0, maxPhotos) : photos, type);
    }

    /** Whether the citizen had told nothing yet. */
    public boolean isEmpty() {
        return category == null && (description == null || description.isBlank()) && place == null
                && photoIds.isEmpty();
    }

    /**
     * Every incident category the flows offer, by value, with its label: the options of the menus that store an
     * incident node's category variable.
     */
    public static Map<String, LocalizedText> categories(FlowBundle flows) {
        Map<String, LocalizedText> categories = new LinkedHashMap<>();
        for (Flow flow : flows.flows().values()) {
            List<String> vars = new ArrayList<>();
            incidentNode(flow).ifPresent(node -> vars.add(node.categoryVar()));
            for (Node node : flow.nodes()) {
                if (node instanceof Node.Menu menu && menu.var().filter(vars::contains).isPresent()) {
                    menu.options().forEach(o -> categories.putIfAbsent(o.value(), o.label()));
                }
            }
        }
        return categories;
    }

    private static Optional<Node.Incident> incidentNode(Flow flow) {
        return flow.nodes().stream().filter(Node.Incident.class::isInstance).map(Node.Incident.class::cast)
                .findFirst();
    }
}

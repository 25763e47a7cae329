package org.civicbot.bot.incident;

import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.bson.Document;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.CitizenNotices;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.conversation.ConversationStore;
import org.civicbot.bot.conversation.OutboundPolicy;
import org.civicbot.bot.conversation.SessionCodec;
import org.civicbot.bot.engine.Answer;
import org.civicbot.bot.engine.IncidentDraft;
import org.civicbot.bot.engine.Session;
import org.civicbot.bot.media.PhotoStore;
import org.civicbot.flows.FlowBundle;
import org.civicbot.flows.Language;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Errands that ended with a person before the bot filed them: what the citizen had told the bot towards an
 * incident stays in the conversation's session, staff see it, and can register it as the incident, completed or
 * corrected, without asking the citizen again. The citizen is told the code and the public page.
 */
public class Drafts {

    /** A description longer than this is refused, as the chat's own question refuses it. */
    public static final int MAX_DESCRIPTION_LENGTH = 2000;
    public static final int MAX_ADDRESS_LENGTH = 300;

    private final ConversationStore conversations;
    private final Incidents incidents;
    private final CitizenNotices notices;
    private final PublicPages pages;
    private final PhotoStore photos;
    private final Supplier<FlowBundle> flows;
    private final Clock clock;

    public Drafts(ConversationStore conversations, Incidents incidents, CitizenNotices notices, PublicPages pages,
            PhotoStore photos, Supplier<FlowBundle> flows, Clock clock) {
        this.conversations = conversations;
        this.incidents = incidents;
        this.notices = notices;
        this.pages = pages;
        this.photos = photos;
        this.flows = flows;
        this.clock = clock;
    }

    /** What staff register: each field, when given, replaces the draft's. */
    public record Registration(String category, String description, String address) {}

    /** A registration that cannot be made as given; the message says what to change. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message);
        }
    }

    /** The draft a conversation holds, if any. */
    public static Optional<IncidentDraft> of(Conversation conversation, FlowBundle flows) {
        return IncidentDraft.of(flows, SessionCodec.read(conversation.session(), Language.DEFAULT));
    }

    /**
     * Registers the conversation's draft as an incident, as staff completed it, and tells the citizen. Registering
     * the same draft twice (a double click, a retried call) gives the same incident; once registered, the draft is
     * gone from the conversation.
     */
    public Mono<Incident> register(String conversationId, Registration registration, String actor) {
        FlowBundle bundle = flows.get();
        return conversations.find(conversationId)
                .switchIfEmpty(Mono.error(new IncidentDesk.Refused("no conversation " + conversationId)))
                .flatMap(conversation -> {
                    IncidentDraft draft = of(conversation, bundle).orElseThrow(() -> new IncidentDesk.Refused(
                            "this conversation holds no draft: the citizen had told the bot nothing towards an"
                                    + " incident, or it was registered already"));
                    String category = given(registration.category()).orElse(draft.category());
                    Map<String, ?> categories = IncidentDraft.categories(bundle);
                    if (category == null || !categories.containsKey(category)) {
                        throw new Invalid("category must be one of " + String.join(", ", categories.keySet()));
                    }
                    String description = given(registration.description()).orElse(draft.description());
                    if (description == null || description.isBlank()) {
                        throw new Invalid("a description is needed: what is wrong, in the citizen's words");
                    }
                    if (description.length() > MAX_DESCRIPTION_LENGTH) {
                        throw new Invalid("the description is longer than " + MAX_DESCRIPTION_LENGTH + " characters");
                    }
                    Optional<String> address = given(registration.address());
                    if (address.isPresent() && address.get().length() > MAX_ADDRESS_LENGTH) {
                        throw new Invalid("the address is longer than " + MAX_ADDRESS_LENGTH + " characters");
                    }
                    Incident.Location location = location(draft.place(), address);
                    return photosOf(draft).flatMap(photoList -> incidents.reportOnce(new Incidents.Report(
                                    ref(conversationId, draft), category, description.strip(), location, photoList,
                                    conversation.channel() == Channel.WHATSAPP ? Source.WHATSAPP : Source.TELEGRAM,
                                    conversation.contact() == null ? null : conversation.contact().displayName(),
                                    conversation.channel(), conversationId, null, null,
                                    new Incident.TimelineEntry(clock.instant(), "CREATED", actor,
                                            "Registered by " + actor + " from what the citizen had told the bot"),
                                    null, draft.type())))
                            .flatMap(reported -> forget(conversation)
                                    .then(tell(reported.incident()))
                                    .thenReturn(reported.incident()));
                });
    }

    /** The draft's place, or the address staff typed instead (geocoded when the incident is made). */
    private static Incident.Location location(Answer.Place place, Optional<String> address) {
        if (address.isPresent() && (place == null || !address.get().equals(place.address()))) {
            return new Incident.Location(address.get(), null, null, Answer.Place.Origin.ADDRESS.name());
        }
        if (place == null) {
            return null;
        }
        return new Incident.Location(place.address(), place.latitude(), place.longitude(), place.origin().name());
    }

    private Mono<List<Incident.Photo>> photosOf(IncidentDraft draft) {
        return Flux.fromIterable(draft.photoIds())
                .concatMap(id -> photos.contentType(id).defaultIfEmpty("image/jpeg").map(t -> new Incident.Photo(id, t)))
                .collectList();
    }

    /** The draft leaves the session: registered once, it is not offered again. */
    private Mono<Void> forget(Conversation conversation) {
        Session session = SessionCodec.read(conversation.session(), Language.DEFAULT);
        if (session.vars().isEmpty()) {
            return Mono.empty();
        }
        // Version-checked: if the citizen wrote meanwhile, their session stands and the draft's ref still holds.
        return conversations.update(conversation, new Update().set("session.vars", new Document())).then();
    }

    private Mono<Boolean> tell(Incident incident) {
        return pages.urlOf(incident).flatMap(url -> notices.send(incident.conversationId(),
                "incident-registered:" + incident.code(), OutboundPolicy.UPDATE, Map.of("1", incident.code()),
                (texts, language) -> texts.incidentRegistered().in(language, Map.of("code", incident.code(),
                        "url", url)), true));
    }

    /** One ref per draft as the citizen left it, whatever staff changed: registering it again finds it. */
    private static String ref(String conversationId, IncidentDraft draft) {
        return "draft:" + conversationId + ":" + HexFormat.of().formatHex(
                org.civicbot.bot.Hashes.sha256(draft.toString()), 0, 12);
    }

    private static Optional<String> given(String value) {
        return Optional.ofNullable(value).map(String::strip).filter(v -> !v.isEmpty());
    }
}

package org.civicbot.bot.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.civicbot.flows.Command;
import org.civicbot.flows.Commands;
import org.civicbot.flows.Flow;
import org.civicbot.flows.FlowBundle;
import org.civicbot.flows.Intents;
import org.civicbot.flows.Language;
import org.civicbot.flows.LocalizedText;
import org.civicbot.flows.LocalizedWords;
import org.civicbot.flows.Node;
import org.civicbot.flows.NodeKind;

/**
 * Runs flows: given where a conversation stands and what the citizen sent, says what happens next.
 * Pure and deterministic: the same session, input and context always give the same turn.
 */
public final class Engine {

    /**
     * Nodes one turn may pass through before the engine stops; only a flow whose messages loop into each
     * other without asking anything gets there.
     */
    public static final int MAX_STEPS_PER_TURN = 64;

    /**
     * Answers in a row that fit no question before the engine stops asking and hands the citizen to a
     * person: someone who has failed three times needs help, not a fourth try.
     */
    public static final int MAX_MISUNDERSTOOD = 3;

    /**
     * A sentence that names an incident category is kept as the incident's description when it has at least
     * this many words: "hi ha un forat a la vorera" describes, "farola" or "un bache" only names.
     */
    public static final int MIN_DESCRIPTION_WORDS = 4;

    /**
     * A message of at least this many words that matches nothing is a question the town hall does not handle,
     * answered with what the bot can help with; a shorter one is simply not understood.
     */
    public static final int MIN_SENTENCE_WORDS = 3;

    /** A sentence naming a language is a request for it when one of its best readings this many is about languages. */
    static final int MAX_OFFERED_LANGUAGE_CHECK = 3;

    /** The menu name a clarifying question's buttons carry. */
    static final String CLARIFY_MENU = "clarify";
    /** The steps of a notices node, kept in a variable named after it. */
    static final String NOTICES_MENU = "menu";
    static final String NOTICES_TOPIC = "topic";
    static final String NOTICES_AREA = "area:";
    static final String NOTICES_REMOVE = "remove";
    /** Beside a location variable: where a photo sent for the report says it was taken, until it is offered. */
    static final String PHOTO_POSITION = ".photo";
    /** What the host's question is about when it is an appointment's reminder: {@code appointment:<code>}. */
    public static final String REMINDER_ABOUT = "appointment:";
    /** The menu a reminder's buttons ("I'll come", "cancel") belong to: {@code reminder|2}. */
    public static final String REMINDER_MENU = "reminder";
    /** The menu a satisfaction question's buttons belong to: {@code survey|4}. */
    public static final String SURVEY_MENU = "survey";
    /** A comment after a satisfaction score is at least this long: "ok" or "2" is not one. */
    static final int MIN_COMMENT_LENGTH = 8;
    /** What {@link Event.Understood} names a request to follow, or stop following, an incident. */
    static final String FOLLOW_TARGET = "command:follow";
    static final String UNFOLLOW_TARGET = "command:unfollow";

    /** The labels of a clarifying question's options that are commands are cut to a button's length. */
    static final int MAX_LABEL_LENGTH = org.civicbot.flows.ChannelLimits.MAX_OPTION_LABEL_LENGTH;

    /** A request's code, any case, with or without its prefix (an incident's when there is none). */
    private static final Pattern INCIDENT_CODE =
            Pattern.compile("(?i)\\b(?:(INC|SUG|QUE|PRE)[-\\s]?)?(\\d{4})[-\\s]?(\\d{6})\\b");

    /** A field of a live item or a directory entry, as an {@code item} text names it. */
    private static final Pattern FIELD = Pattern.compile("\\{([A-Za-z0-9_]+)\\}");

    /** Photos an incident takes unless the host says otherwise ({@code civicbot.incident.max-photos}). */
    public static final int DEFAULT_MAX_PHOTOS = 3;

    /**
     * Photos that arrive this soon after a report was made belong to it: WhatsApp and Telegram send each photo of
     * a batch as its own message, and the first one already answered the photo question.
     */
    public static final java.time.Duration PHOTO_BATCH_WINDOW = java.time.Duration.ofMinutes(2);

    private final FlowBundle flows;
    private final Commands commands;
    private final Understanding understanding;
    private final Map<String, Intents.Phrase> firstPhrase = new HashMap<>();
    private final int maxPhotos;
    private final Area area;
    private final Map<String, String> town;
    /** The commands' words, normalized once: every message is compared with them. */
    private final Words.Known stopWords;
    private final Words.Known restartWords;
    private final Words.Known humanWords;
    private final Words.Known statusWords;
    private final Words.Known followingWords;
    private final Words.Known unfollowingWords;
    private final Words.Known skipWords;
    /** The ways to name each language, normalized once (those that normalize to nothing left out), in their order. */
    private final Map<Language, List<String>> languageNames = new LinkedHashMap<>();
    /**
     * Every label a turn may compare a message with that the flows fix (their menus' options, yes and no, the
     * languages' names and the satisfaction scale), {@link Words#normalize normalized} once: each free-text answer
     * to a menu is compared with all of its labels in every language.
     */
    private final Map<String, String> normalizedLabels;

    public Engine(FlowBundle flows) {
        this(flows, DEFAULT_MAX_PHOTOS, Area.EVERYWHERE);
    }

    /**
     * @param maxPhotos photos an incident takes
     * @param area the municipality: a location pin outside it is refused
     */
    public Engine(FlowBundle flows, int maxPhotos, Area area) {
        this(flows, maxPhotos, area, Map.of());
    }

    /**
     * @param town what the flows' {@code {town.<name>}} placeholders stand for ({@code name}, {@code website},
     *     {@code phone}, ...: {@code civicbot.town.*}), filled into every message the engine writes
     */
    public Engine(FlowBundle flows, int maxPhotos, Area area, Map<String, String> town) {
        this.town = Map.copyOf(town);
        if (maxPhotos < 1) {
            throw new IllegalArgumentException("an incident takes at least one photo, not " + maxPhotos);
        }
        this.maxPhotos = maxPhotos;
        this.area = area;
        this.flows = flows;
        this.commands = flows.commands();
        this.stopWords = Words.Known.of(commands.stop().all());
        this.restartWords = Words.Known.of(commands.restart().all());
        this.humanWords = Words.Known.of(commands.human().all());
        this.statusWords = Words.Known.of(commands.status().all());
        this.followingWords = Words.Known.of(commands.follow().all());
        this.unfollowingWords = Words.Known.of(commands.unfollow().all());
        this.skipWords = Words.Known.of(commands.skip().all());
        commands.languageNames().values().forEach((language, names) -> languageNames.put(language,
                names.stream().map(Words::normalize).filter(name -> !name.isEmpty()).toList()));
        this.normalizedLabels = normalizedLabels(flows);
        this.understanding = new Understanding(flows);
        for (Intents.Phrase phrase : Intents.of(flows)) {
            firstPhrase.putIfAbsent(phrase.target() + "|" + phrase.language().code(), phrase);
            firstPhrase.putIfAbsent(phrase.target(), phrase);
        }
    }

    public FlowBundle flows() {
        return flows;
    }

    private static Map<String, String> normalizedLabels(FlowBundle flows) {
        Commands commands = flows.commands();
        List<String> labels = new ArrayList<>();
        for (Flow flow : flows.flows().values()) {
            for (Node node : flow.nodes()) {
                if (node instanceof Node.Menu menu) {
                    menu.options().forEach(option -> labels.addAll(option.label().values().values()));
                }
            }
        }
        for (Language language : Language.values()) {
            labels.add(language.nativeName());
            labels.add(language.code());
            labels.addAll(commands.languageNames().in(language));
            labels.addAll(commands.yes().in(language));
            labels.addAll(commands.no().in(language));
            labels.addAll(commands.satisfactionScale().in(language));
        }
        Map<String, String> normalized = new HashMap<>();
        labels.forEach(label -> normalized.computeIfAbsent(label, Words::normalize));
        return Map.copyOf(normalized);
    }

    /**
     * Advances the session with what the citizen sent. When the turn needs something looked up first (a typed
     * address on the map, an open incident nearby), it says so in {@link Turn#needs()} and changes nothing: the
     * host runs it again with the answer in the context.
     */
    public Turn resume(Session session, Input input, TurnContext context) {
        try {
            return advance(session, input, context);
        } catch (NeedsLookup need) {
            return new Turn(session, List.of(), Optional.of(need.lookup));
        }
    }

    /** A message with the town's placeholders filled in; other events as they are. */
    private Event withTown(Event event) {
        if (!(event instanceof Event.MessageCreated m) || m.text().indexOf('{') < 0
                && m.options().stream().noneMatch(o -> o.indexOf('{') >= 0)) {
            return event;
        }
        return new Event.MessageCreated(townFilled(m.text()), m.options().stream().map(this::townFilled).toList(),
                m.menu());
    }

    private String townFilled(String text) {
        String filled = text;
        for (Map.Entry<String, String> value : town.entrySet()) {
            filled = filled.replace("{town." + value.getKey() + "}", value.getValue());
        }
        return filled;
    }

    /** Thrown inside a turn that needs a lookup the context does not answer yet. */
    private static final class NeedsLookup extends RuntimeException {
        final Lookup lookup;

        NeedsLookup(Lookup lookup) {
            super(null, null, false, false);
            this.lookup = lookup;
        }
    }

    private Turn advance(Session session, Input input, TurnContext context) {
        Run run = new Run(session, context);
        String text = textOf(input);
        if (text != null && stopWords.hasNormalized(run.normalized(text))) {
            run.events.add(new Event.Understood(List.of(Command.STOP.target())));
            run.optOut();
            return run.turn();
        }
        if (run.session.optedOut()) {
            run.session = run.session.withOptedOut(false);
            run.events.add(new Event.ContactOptedIn());
        }
        if (run.session.survey() != null && run.answerSurvey(input, text)) {
            return run.turn();
        }
        run.followLanguageOf(text);
        // A clarifying question is answered now or forgotten, whatever the answer is.
        List<String> offered = run.session.offered();
        String offeredFor = run.session.offeredFor();
        run.session = run.session.withOffered(List.of(), null);
        if (text != null && restartWords.hasNormalized(run.normalized(text))) {
            // "hola" is both: a greeting to whoever reads the record, the main menu either way.
            run.events.add(new Event.Understood(List.of((greeting(text) ? Command.GREETING : Command.RESTART)
                    .target())));
            return run.startEntry().turn();
        }
        if (text != null && humanWords.hasNormalized(run.normalized(text))) {
            run.events.add(new Event.Understood(List.of(Command.HUMAN.target())));
            run.showNoticeIfFirst();
            run.askForPerson();
            return run.turn();
        }
        Optional<Boolean> follow = run.followWords(text);
        if (follow.isPresent()) {
            run.events.add(new Event.Understood(List.of(follow.get() ? FOLLOW_TARGET : UNFOLLOW_TARGET)));
            run.showNoticeIfFirst();
            Optional<String> code = codeIn(text);
            if (code.isPresent()) {
                run.events.add(new Event.FollowRequested(code.get(), follow.get()));
            } else {
                run.say(commands.texts().followWhich());
            }
            run.repromptInsideErrand();
            return run.turn();
        }
        if (text != null && statusWords.hasNormalized(run.normalized(text))) {
            run.events.add(new Event.Understood(List.of(Command.STATUS.target())));
            run.showNoticeIfFirst();
            run.askForStatus(text);
            run.repromptInsideErrand();
            return run.turn();
        }
        if (text != null && INCIDENT_CODE.matcher(text).find() && !run.waitsForFreeText()) {
            // A request's code typed anywhere but as an answer in words: its status.
            run.events.add(new Event.Understood(List.of(Command.STATUS.target())));
            run.showNoticeIfFirst();
            run.askForStatus(text);
            run.repromptInsideErrand();
            return run.turn();
        }
        if (!offered.isEmpty() && run.pickOffered(offered, offeredFor, input)) {
            return run.turn();
        }
        if (input instanceof Input.Unsupported) {
            // A voice note or a sticker: said what the bot can take, and the pending question again; no count.
            run.showNoticeIfFirst();
            run.say(commands.texts().unsupported());
            run.askPendingAgain();
            return run.turn();
        }
        if (input instanceof Input.Choice choice && CLARIFY_MENU.equals(choice.menu())) {
            // A button of a clarifying question already answered: nothing to do but ask what is pending.
            run.askPendingAgain();
            return run.turn();
        }
        Optional<Node> waiting = waitingNode(run.session);
        if (waiting.isEmpty() && run.session.state() == Session.State.WAITING && run.session.flowId() != null) {
            // A publish removed the question this conversation stood on (commands, a person, a status asked for were
            // handled above): say so, when the flows have words for it, and begin again at the main menu rather than
            // guess where the citizen meant to be.
            if (commands.texts().flowChanged() != null) {
                run.say(commands.texts().flowChanged());
            }
            return run.startEntry().turn();
        }
        if (waiting.isEmpty()) {
            run.fromIdle(input);
            return run.turn();
        }
        run.answer(waiting.get(), input);
        return run.turn();
    }

    private OptionalInt yesOrNo(String text) {
        if (text == null) {
            return OptionalInt.empty();
        }
        List<List<String>> answers = List.of(commands.yes().all(), commands.no().all());
        OptionalInt whole = OptionMatcher.match(text, answers);
        if (whole.isPresent()) {
            return whole;
        }
        String first = Words.normalize(text).split(" ", 2)[0];
        for (int i = 0; i < answers.size(); i++) {
            if (Words.isOneOf(first, answers.get(i))) {
                return OptionalInt.of(i);
            }
        }
        return OptionalInt.empty();
    }

    /**
     * Whether a citizen waiting for a person asks to go back to the bot: a restart word ("menú", "inici") that is
     * not a greeting. "Hola" to whoever answers keeps them in the queue.
     */
    public boolean restarts(Input input) {
        String text = textOf(input);
        return text != null && restartWords.has(text) && !greeting(text);
    }

    private boolean greeting(String text) {
        return understanding.read(text, Set.of()).clear().flatMap(c -> c.phrase().command())
                .filter(c -> c == Command.GREETING).isPresent();
    }

    /**
     * Starts the flow again at a node staff picked when handing the conversation back to the bot, or at
     * the main menu when {@code nodeRef} is empty. {@code nodeRef} is {@code flowId/nodeId}.
     */
    public Turn jumpTo(Session session, Optional<String> nodeRef, TurnContext context) {
        Run run = new Run(session.idle(), context.withoutLookups());
        if (nodeRef.isEmpty()) {
            return run.startAt(flows.entry(), flows.entry().start()).turn();
        }
        String[] parts = nodeRef.get().split("/", 2);
        Flow flow = flows.flow(parts[0]).orElseThrow(() -> new IllegalArgumentException("no flow " + parts[0]));
        String nodeId = parts.length > 1 ? parts[1] : flow.start();
        flow.node(nodeId).orElseThrow(() -> new IllegalArgumentException("no node " + nodeRef.get()));
        return run.startAt(flow, nodeId).turn();
    }

    /** Whether {@code flowId/nodeId} names a node a conversation can be handed back to. */
    public boolean hasNode(String nodeRef) {
        String[] parts = nodeRef.split("/", 2);
        return flows.flow(parts[0]).map(f -> parts.length == 1 || f.node(parts[1]).isPresent()).orElse(false);
    }

    private Optional<Node> waitingNode(Session session) {
        if (session.state() != Session.State.WAITING || session.flowId() == null) {
            return Optional.empty();
        }
        return flows.node(session.flowId(), session.nodeId());
    }

    private static boolean filesIncidents(Node node) {
        return node instanceof Node.Incident incident && incident.typeVar().isEmpty();
    }

    /** The incident code in a text, written as the host stores it ({@code INC-2026-000123}). */
    private static Optional<String> codeIn(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher matcher = INCIDENT_CODE.matcher(text);
        if (!matcher.find()) {
            return Optional.empty();
        }
        String prefix = matcher.group(1) == null ? "INC" : matcher.group(1).toUpperCase(java.util.Locale.ROOT);
        return Optional.of(prefix + "-" + matcher.group(2) + "-" + matcher.group(3));
    }

    static String textOf(Input input) {
        if (input instanceof Input.Text t) {
            return t.text();
        }
        return null;
    }

    /** One turn in progress: the session as it changes and the events so far. */
    final class Run {
        Session session;
        final TurnContext context;
        final List<Event> events = new ArrayList<>();
        private int steps;
        private int incidents;

        /** The last text {@link #normalized} worked on, and what it made of it. */
        private String lastText;
        private String lastNormalized;

        Run(Session session, TurnContext context) {
            this.session = session;
            this.context = context;
        }

        /**
         * {@link Words#normalize}, for the flows' labels from what the engine made of them once, and for the last
         * text it was asked (the turn's message, asked for many times a turn) from what it made of it then.
         */
        String normalized(String text) {
            if (text == null) {
                return "";
            }
            String label = normalizedLabels.get(text);
            if (label != null) {
                return label;
            }
            if (!text.equals(lastText)) {
                lastNormalized = Words.normalize(text);
                lastText = text;
            }
            return lastNormalized;
        }

        Turn turn() {
            if (!session.privacyNoticeShown() && flows.entry().firstContact().isEmpty()) {
                // Flows without a notice: the contact's first contact is over all the same.
                session = session.withNoticeShown();
            }
            return new Turn(session, town.isEmpty() ? events : events.stream().map(Engine.this::withTown).toList());
        }

        Language language() {
            return session.language();
        }

        Commands commands() {
            return commands;
        }

        /** What the host found for {@code lookup}; asks for it (ending the turn here) when it has not looked yet. */
        <T extends Found> Optional<T> lookUp(Lookup lookup, Class<T> type) {
            Optional<Found> found = context.found().get(lookup);
            if (found == null) {
                if (context.offline()) {
                    return Optional.empty();
                }
                throw new NeedsLookup(lookup);
            }
            return found.filter(type::isInstance).map(type::cast);
        }

        void say(LocalizedText text) {
            events.add(said(text));
        }

        private Event.MessageCreated said(LocalizedText text) {
            return new Event.MessageCreated(text.in(language()), List.of());
        }

        Run startEntry() {
            Flow entry = flows.entry();
            session = session.idle();
            if (!session.privacyNoticeShown() && entry.firstContact().isPresent()) {
                session = session.withNoticeShown();
                events.add(new Event.PrivacyNoticeShown());
                return startAt(entry, entry.firstContact().get());
            }
            return startAt(entry, entry.start());
        }

        Run startAt(Flow flow, String nodeId) {
            session = session.withoutVars();
            return goTo(flow, nodeId);
        }

        /** Enters nodes until one waits for the citizen or the flow ends. */
        Run goTo(Flow flow, String nodeId) {
            Flow currentFlow = flow;
            String current = nodeId;
            while (current != null) {
                if (++steps > MAX_STEPS_PER_TURN) {
                    session = session.idle();
                    return this;
                }
                Node node = currentFlow.node(current).orElseThrow(
                        () -> new IllegalStateException("validated flows have no dangling targets"));
                if (currentFlow == flows.entry() && current.equals(currentFlow.start())) {
                    // Back at the main menu: what the last errand collected is done with.
                    session = session.withoutVars();
                }
                Node.Target next = enter(currentFlow, node);
                if (next == null) {
                    return this;
                }
                if (next.isFlow()) {
                    currentFlow = flows.flow(next.flowId()).orElseThrow();
                    current = currentFlow.start();
                } else {
                    current = next.ref();
                }
            }
            return this;
        }

        /** Runs a node on entry; returns where to go on, or null when the turn stops here. */
        private Node.Target enter(Flow flow, Node node) {
            // A switch expression: a new kind that is not handled here does not compile.
            return switch (node.kind()) {
                case MESSAGE -> {
                    Node.Message message = (Node.Message) node;
                    say(message.text());
                    yield message.next();
                }
                case INFO -> {
                    Node.Info info = (Node.Info) node;
                    StringBuilder page = new StringBuilder();
                    page.append('*').append(info.title().in(language())).append("*\n").append(info.text().in(language()));
                    info.url().ifPresent(url -> page.append("\n").append(url));
                    events.add(new Event.MessageCreated(page.toString(), List.of()));
                    yield info.next();
                }
                case INCIDENT -> {
                    Node.Incident incident = (Node.Incident) node;
                    Optional<Found.Incident> same = nearby(incident);
                    if (same.isPresent()) {
                        askIfSame(flow, incident, same.get());
                        yield null;
                    }
                    file(incident, Optional.empty());
                    yield incident.next();
                }
                case NEWS, AGENDA, PHARMACIES -> {
                    Node.Live live = (Node.Live) node;
                    showLive(live);
                    yield live.next();
                }
                case DIRECTORY -> {
                    prompt(flow.id(), node);
                    session = session.waitingAt(flow.id(), node.id());
                    yield null;
                }
                case APPOINTMENTS -> {
                    session = session.waitingAt(flow.id(), node.id()).withRetries(0);
                    dialog((Node.Appointments) node).start(flow);
                    yield null;
                }
                case NOTICES -> {
                    // The node keeps its step in a variable named after it, while it is asked.
                    session = session.waitingAt(flow.id(), node.id()).withVar(node.id(), new Answer.Text(NOTICES_MENU));
                    prompt(flow.id(), node);
                    yield null;
                }
                case HANDOFF -> {
                    Node.Handoff handoff = (Node.Handoff) node;
                    say(handoff.text());
                    events.add(new Event.HandoffRequested(handoff.department()));
                    session = session.handedOffAt(flow.id(), node.id());
                    yield null;
                }
                case END -> {
                    ((Node.End) node).text().ifPresent(this::say);
                    session = session.idle();
                    yield null;
                }
                case TEXT, LOCATION, PHOTO -> {
                    Optional<String> var = answerVar(node);
                    if (var.isPresent() && session.ahead().contains(var.get()) && session.var(var.get()).isPresent()) {
                        // Answered before it was asked (a sentence, a photo or a pin sent ahead): skipped, once.
                        session = session.withoutAhead(var.get());
                        yield node.targets().get(0);
                    }
                    if (node instanceof Node.Location location) {
                        session = session.waitingAt(flow.id(), node.id());
                        if (offerPhotoPosition(location)) {
                            yield null;
                        }
                    }
                    prompt(flow.id(), node);
                    session = session.waitingAt(flow.id(), node.id());
                    yield null;
                }
                case MENU, LANGUAGE -> {
                    prompt(flow.id(), node);
                    session = session.waitingAt(flow.id(), node.id());
                    yield null;
                }
            };
        }

        private Optional<String> answerVar(Node node) {
            return switch (node.kind()) {
                case TEXT -> Optional.of(((Node.Text) node).var());
                case LOCATION -> Optional.of(((Node.Location) node).var());
                case PHOTO -> Optional.of(((Node.Photo) node).var());
                case MENU -> ((Node.Menu) node).var();
                case MESSAGE, INFO, INCIDENT, HANDOFF, LANGUAGE, NOTICES, NEWS, AGENDA, PHARMACIES, DIRECTORY,
                        APPOINTMENTS, END -> Optional.empty();
            };
        }

        private Found.Notices notices() {
            return lookUp(new Lookup.Notices(), Found.Notices.class)
                    .orElse(new Found.Notices(List.of(), List.of(), List.of()));
        }

        private String noticesStep(Node.Notices node) {
            return session.var(node.id()).filter(Answer.Text.class::isInstance)
                    .map(a -> ((Answer.Text) a).value()).orElse(NOTICES_MENU);
        }

        private String topicLabel(Found.Notices notices, String topic) {
            return notices.topics().stream().filter(t -> t.id().equals(topic)).findFirst()
                    .map(t -> t.labels().getOrDefault(language().code(), t.labels().getOrDefault(
                            Language.DEFAULT.code(), topic))).orElse(topic);
        }

        private String areaName(Found.Notices notices, String area) {
            if (area == null) {
                return commands.texts().noticesWholeTown().in(language());
            }
            return notices.areas().stream().filter(a -> a.id().equals(area)).findFirst()
                    .map(Found.Notices.Area::name).orElse(area);
        }

        /** The question of the step the notices node is at, with its options. */
        private Event.MessageCreated noticesQuestion(String flowId, Node.Notices node) {
            Found.Notices notices = notices();
            String step = noticesStep(node);
            String menu = flowId + "/" + node.id();
            Commands.SystemTexts texts = commands.texts();
            if (step.startsWith(NOTICES_AREA)) {
                List<String> options = new ArrayList<>(List.of(texts.noticesWholeTown().in(language())));
                notices.areas().forEach(a -> options.add(a.name()));
                return new Event.MessageCreated(texts.noticesArea().in(language()), options, menu);
            }
            if (step.equals(NOTICES_TOPIC)) {
                return new Event.MessageCreated(texts.noticesTopic().in(language()),
                        notices.topics().stream().map(t -> topicLabel(notices, t.id())).toList(), menu);
            }
            if (step.equals(NOTICES_REMOVE)) {
                return new Event.MessageCreated(texts.noticesWhich().in(language()), notices.mine().stream()
                        .map(s -> line(notices, s)).toList(), menu);
            }
            String list = notices.mine().isEmpty() ? texts.noticesNone().in(language())
                    : notices.mine().stream().map(s -> line(notices, s))
                            .collect(java.util.stream.Collectors.joining("; "));
            return new Event.MessageCreated(texts.noticesMenu().in(language(), Map.of("list", list)),
                    noticesChoices(notices).stream().map(c -> c.in(language())).toList(), menu);
        }

        private String line(Found.Notices notices, Found.Notices.Subscription s) {
            return commands.texts().noticesLine().in(language(), Map.of("topic", topicLabel(notices, s.topic()),
                    "area", areaName(notices, s.area())));
        }

        /** The notices menu's options: add, and with subscriptions, remove one or all; back. */
        private List<LocalizedText> noticesChoices(Found.Notices notices) {
            Commands.SystemTexts texts = commands.texts();
            return notices.mine().isEmpty() ? List.of(texts.noticesAdd(), texts.noticesBack())
                    : List.of(texts.noticesAdd(), texts.noticesRemove(), texts.noticesRemoveAll(), texts.noticesBack());
        }

        private void answerNotices(Flow flow, Node.Notices node, Input input) {
            Found.Notices notices = notices();
            String step = noticesStep(node);
            Commands.SystemTexts texts = commands.texts();
            if (step.startsWith(NOTICES_AREA)) {
                String topic = step.substring(NOTICES_AREA.length());
                Optional<String> area = Optional.empty();
                boolean chosen = false;
                if (input instanceof Input.Location pin) {
                    List<String> at = lookUp(new Lookup.AreasAt(pin.latitude(), pin.longitude()), Found.Areas.class)
                            .map(Found.Areas::ids).orElse(List.of());
                    area = at.stream().findFirst();
                    chosen = true;
                } else {
                    List<List<String>> labels = new ArrayList<>();
                    labels.add(List.copyOf(texts.noticesWholeTown().values().values()));
                    notices.areas().forEach(a -> labels.add(List.of(a.name(), a.id())));
                    OptionalInt index = chosen(input, labels);
                    if (index.isPresent()) {
                        chosen = true;
                        area = index.getAsInt() == 0 ? Optional.empty()
                                : Optional.of(notices.areas().get(index.getAsInt() - 1).id());
                    }
                }
                if (!chosen) {
                    if (!wholeCommand(input)) {
                        askAgain(texts.notUnderstood(), node);
                    }
                    return;
                }
                events.add(new Event.Subscribed(topic, area.orElse(null)));
                say(texts.noticesAdded(), Map.of("topic", topicLabel(notices, topic),
                        "area", areaName(notices, area.orElse(null))));
                leaveNotices(flow, node);
                return;
            }
            if (step.equals(NOTICES_TOPIC)) {
                List<List<String>> labels = notices.topics().stream()
                        .map(t -> (List<String>) new ArrayList<>(t.labels().values())).toList();
                OptionalInt index = chosen(input, labels);
                if (index.isEmpty()) {
                    if (!wholeCommand(input)) {
                        askAgain(texts.notUnderstood(), node);
                    }
                    return;
                }
                String topic = notices.topics().get(index.getAsInt()).id();
                if (notices.areas().isEmpty()) {
                    events.add(new Event.Subscribed(topic, null));
                    say(texts.noticesAdded(), Map.of("topic", topicLabel(notices, topic), "area", areaName(notices, null)));
                    leaveNotices(flow, node);
                    return;
                }
                moveNoticesTo(node, NOTICES_AREA + topic);
                return;
            }
            if (step.equals(NOTICES_REMOVE)) {
                List<List<String>> labels = notices.mine().stream().map(s -> List.of(line(notices, s))).toList();
                OptionalInt index = chosen(input, labels);
                if (index.isEmpty()) {
                    if (!wholeCommand(input)) {
                        askAgain(texts.notUnderstood(), node);
                    }
                    return;
                }
                Found.Notices.Subscription gone = notices.mine().get(index.getAsInt());
                events.add(new Event.Unsubscribed(gone.topic(), gone.area()));
                say(texts.noticesRemoved(), Map.of("topic", topicLabel(notices, gone.topic()),
                        "area", areaName(notices, gone.area())));
                leaveNotices(flow, node);
                return;
            }
            List<LocalizedText> choices = noticesChoices(notices);
            OptionalInt index = chosen(input, choices.stream()
                    .map(c -> (List<String>) new ArrayList<>(c.values().values())).toList());
            if (index.isEmpty()) {
                if (!wholeCommand(input)) {
                    askAgain(texts.notUnderstood(), node);
                }
                return;
            }
            LocalizedText choice = choices.get(index.getAsInt());
            if (choice == texts.noticesAdd()) {
                moveNoticesTo(node, NOTICES_TOPIC);
            } else if (choice == texts.noticesRemove()) {
                moveNoticesTo(node, NOTICES_REMOVE);
            } else if (choice == texts.noticesRemoveAll()) {
                events.add(new Event.UnsubscribedAll());
                say(texts.noticesRemovedAll());
                leaveNotices(flow, node);
            } else {
                leaveNotices(flow, node);
            }
        }

        /** Moves the notices node to a step and asks its question. */
        private void moveNoticesTo(Node.Notices node, String step) {
            session = session.withVar(node.id(), new Answer.Text(step));
            prompt(session.flowId(), node);
            session = session.waitingAt(session.flowId(), node.id()).withRetries(0);
        }

        private void leaveNotices(Flow flow, Node.Notices node) {
            session = session.withoutVar(node.id());
            follow(flow, node.next());
        }

        void say(LocalizedText text, Map<String, String> values) {
            events.add(new Event.MessageCreated(text.in(language(), values), List.of()));
        }

        /** Files the report the session holds, and says so. */
        private void file(Node.Incident node, Optional<String> possibleDuplicateOf) {
            String ref = context.turnId() + "-incident-" + (++incidents);
            IncidentDraft draft = IncidentDraft.read(node, session, maxPhotos);
            Event.IncidentReported report = new Event.IncidentReported(ref,
                    draft.category() == null ? "other" : draft.category(),
                    draft.description() == null ? "" : draft.description(), Optional.ofNullable(draft.place()),
                    draft.photoIds(), possibleDuplicateOf, draft.type());
            events.add(report);
            session = session.withLastReport(new Session.LastReport(report.ref(), context.now(),
                    report.photoIds().size()));
            say(node.text());
        }

        /**
         * An open incident of the same category near the place being reported, if the host finds one: a report
         * with coordinates is checked before it is filed.
         */
        private Optional<Found.Incident> nearby(Node.Incident node) {
            IncidentDraft draft = IncidentDraft.read(node, session, maxPhotos);
            Answer.Place place = draft.place();
            if (draft.category() == null || place == null || place.latitude() == null || place.longitude() == null) {
                return Optional.empty();
            }
            return lookUp(new Lookup.Nearby(draft.category(), place.latitude(), place.longitude()),
                    Found.Incident.class);
        }

        /** "This looks like INC-... reported on ... at ... Is it the same?", waiting at the incident node. */
        private void askIfSame(Flow flow, Node.Incident node, Found.Incident same) {
            session = session.waitingAt(flow.id(), node.id()).withDuplicate(same);
            prompt(flow.id(), node);
        }

        private Event.MessageCreated sameQuestion(String flowId, Node.Incident node, Found.Incident same) {
            LocalizedText status = switch (same.status()) {
                case "IN_PROGRESS" -> commands.texts().statusInProgress();
                default -> commands.texts().statusNew();
            };
            String question = commands.texts().duplicateQuestion().in(language(), Map.of("code", same.code(),
                    "date", same.date(), "address", same.address() == null ? "" : same.address(),
                    "status", status.in(language())));
            return new Event.MessageCreated(question, List.of(commands.texts().duplicateYes().in(language()),
                    commands.texts().duplicateNo().in(language())), flowId + "/" + node.id());
        }

        /**
         * The answer to "is it the same?": yes joins the citizen to that incident (no new one), no files the report
         * marked as a possible duplicate for staff; anything else is asked again.
         */
        private void answerSame(Flow flow, Node.Incident node, Input input) {
            Found.Incident same = session.duplicate();
            if (same == null) {
                // Nothing was asked here (a flow changed under a waiting session): file what there is.
                file(node, Optional.empty());
                follow(flow, node.next());
                return;
            }
            List<List<String>> answers = List.of(
                    concat(commands.yes().all(), commands.texts().duplicateYes().values().values()),
                    concat(commands.no().all(), commands.texts().duplicateNo().values().values()));
            OptionalInt answer = chosen(input, answers);
            if (answer.isEmpty() && !(input instanceof Input.Choice)) {
                answer = Engine.this.yesOrNo(textOf(input));
            }
            if (answer.isEmpty()) {
                if (!wholeCommand(input)) {
                    askAgain(commands.texts().notUnderstood(), node);
                }
                return;
            }
            session = session.withDuplicate(null);
            if (answer.getAsInt() == 0) {
                IncidentDraft draft = IncidentDraft.read(node, session, maxPhotos);
                events.add(new Event.IncidentJoined(same.code(), draft.photoIds()));
                say(commands.texts().duplicateJoined());
            } else {
                file(node, Optional.of(same.code()));
            }
            follow(flow, node.next());
        }

        private List<String> concat(List<String> a, java.util.Collection<String> b) {
            List<String> all = new ArrayList<>(a);
            all.addAll(b);
            return all;
        }

        private void prompt(String flowId, Node node) {
            String menuRef = flowId + "/" + node.id();
            Event.MessageCreated question = switch (node.kind()) {
                case MENU -> {
                    Node.Menu menu = (Node.Menu) node;
                    List<String> labels = menu.options().stream().map(o -> o.label().in(language())).toList();
                    yield new Event.MessageCreated(menu.text().in(language()), labels, menuRef);
                }
                case LANGUAGE -> {
                    Node.ChooseLanguage choose = (Node.ChooseLanguage) node;
                    List<String> labels = List.of(Language.values()).stream().map(Language::nativeName).toList();
                    yield new Event.MessageCreated(choose.text().in(language()), labels, menuRef);
                }
                case TEXT -> said(((Node.Text) node).text());
                case LOCATION -> said(((Node.Location) node).text());
                case PHOTO -> said(((Node.Photo) node).text());
                case INCIDENT -> {
                    if (session.duplicate() == null) {
                        throw new IllegalStateException("an incident node waits only to ask if it is a duplicate");
                    }
                    yield sameQuestion(flowId, (Node.Incident) node, session.duplicate());
                }
                case NOTICES -> noticesQuestion(flowId, (Node.Notices) node);
                case DIRECTORY -> said(((Node.Directory) node).text());
                case APPOINTMENTS -> dialog((Node.Appointments) node).question(flowId);
                case MESSAGE, INFO, HANDOFF, NEWS, AGENDA, PHARMACIES, END ->
                        throw new IllegalStateException(node.kind() + " does not wait");
            };
            events.add(question);
        }

        /** Handles the citizen's answer at the node the session waits at. */
        void answer(Node node, Input input) {
            Flow flow = flows.flow(session.flowId()).orElseThrow();
            Runnable handle = switch (node.kind()) {
                case MENU -> () -> answerMenu(flow, (Node.Menu) node, input);
                case LANGUAGE -> () -> answerLanguage(flow, (Node.ChooseLanguage) node, input);
                case TEXT -> () -> answerText(flow, (Node.Text) node, input);
                case LOCATION -> () -> answerLocation(flow, (Node.Location) node, input);
                case PHOTO -> () -> answerPhoto(flow, (Node.Photo) node, input);
                // It waits only when it asked whether the report is an incident already reported nearby.
                case INCIDENT -> () -> answerSame(flow, (Node.Incident) node, input);
                case NOTICES -> () -> answerNotices(flow, (Node.Notices) node, input);
                case DIRECTORY -> () -> answerDirectory(flow, (Node.Directory) node, input);
                case APPOINTMENTS -> () -> dialog((Node.Appointments) node).answer(flow, input);
                // Not a node that waits (a flow changed under a waiting session): start again.
                case MESSAGE, INFO, HANDOFF, NEWS, AGENDA, PHARMACIES, END -> this::startEntry;
            };
            handle.run();
        }

        OptionalInt chosen(Input input, List<List<String>> labels) {
            if (input instanceof Input.Choice choice) {
                String menu = choice.menu();
                if (menu != null && !menu.equals(session.flowId() + "/" + session.nodeId())) {
                    // A button of an older menu, still on the citizen's screen: it means nothing here.
                    return OptionalInt.empty();
                }
                return OptionMatcher.match(choice.position(), labels, this::normalized);
            }
            if (input instanceof Input.Text text) {
                return OptionMatcher.match(text.text(), labels, this::normalized);
            }
            return OptionalInt.empty();
        }

        private void answerMenu(Flow flow, Node.Menu menu, Input input) {
            if (addToLastReport(input)) {
                return;
            }
            if (input instanceof Input.Photos || input instanceof Input.Location) {
                if (!startReportWith(input)) {
                    askAgain(commands.texts().notUnderstood(), menu);
                }
                return;
            }
            List<List<String>> labels = menu.options().stream()
                    .map(o -> List.copyOf(o.label().values().values())).toList();
            OptionalInt index = chosen(input, labels);
            if (index.isPresent()) {
                choose(flow, menu, index.getAsInt(), null);
                return;
            }
            String text = textOf(input);
            Understanding.Reading reading = text == null ? new Understanding.Reading(List.of())
                    : understanding.read(text, localTargets(flow, menu));
            if (text != null && understand(text, reading)) {
                return;
            }
            misunderstood(menu, text, reading);
        }

        /** Takes option {@code index} of {@code menu}; a sentence that named it may answer the next question. */
        private void choose(Flow flow, Node.Menu menu, int index, String sentence) {
            Node.Option option = menu.options().get(index);
            events.add(new Event.Understood(List.of(Intents.targetOf(flow, menu, option))));
            boolean answeringThisMenu = flow.id().equals(session.flowId()) && menu.id().equals(session.nodeId());
            if (!answeringThisMenu) {
                // A sentence that leads elsewhere starts that errand afresh: nothing of another one comes along.
                session = session.withoutVars();
            }
            if (menu.var().isPresent()) {
                String value = option.value() == null || option.value().isBlank()
                        ? String.valueOf(index + 1) : option.value();
                session = session.withVar(menu.var().get(), new Answer.Choice(value, option.label().in(language())));
                if (sentence != null) {
                    // The next question does not show what was chosen from the sentence: the citizen is told.
                    say(fill(commands.texts().understood(), Map.of("choice", option.label().in(language()))));
                }
            }
            if (sentence != null && !option.next().isFlow()) {
                flow.node(option.next().ref())
                        .filter(Node.Text.class::isInstance).map(Node.Text.class::cast)
                        .filter(question -> describes(sentence, question))
                        .ifPresent(question -> session = session.withVarAhead(question.var(),
                                new Answer.Text(sentence.strip())));
            }
            follow(flow, option.next());
        }

        /** Whether a sentence that named a choice also answers the free-text question that follows it. */
        private boolean describes(String sentence, Node.Text question) {
            String text = sentence.strip();
            int length = text.codePointCount(0, text.length());
            return normalized(text).split(" ").length >= MIN_DESCRIPTION_WORDS
                    && length >= question.minLength() && length <= question.maxLength();
        }

        private Set<String> localTargets(Flow flow, Node.Menu menu) {
            Set<String> local = new LinkedHashSet<>();
            menu.options().forEach(o -> local.add(Intents.targetOf(flow, menu, o)));
            return local;
        }

        /**
         * Acts on what a sentence names, if it names something: opens a service, starts a report in a category,
         * carries out a command, or asks which of two or three it means. False when it names nothing. The
         * sentence is read once per turn, by the caller.
         */
        private boolean understand(String text, Understanding.Reading reading) {
            Optional<Language> named = namedLanguage(text, true);
            if (named.isPresent()) {
                speak(named.get());
                return true;
            }
            Optional<Language> mentioned = namedLanguage(text, false);
            if (mentioned.isPresent() && reading.candidates().stream().limit(MAX_OFFERED_LANGUAGE_CHECK)
                    .anyMatch(c -> isLanguageTarget(c.phrase()))) {
                // "Do you speak English?": a language request that names its language.
                speak(mentioned.get());
                return true;
            }
            Optional<Understanding.Candidate> clear = reading.clear();
            if (clear.isPresent()) {
                act(clear.get().phrase(), text);
                return true;
            }
            List<Understanding.Candidate> offered = reading.offered();
            if (!offered.isEmpty()) {
                clarify(offered.stream().map(Understanding.Candidate::target).toList(), text);
                return true;
            }
            return false;
        }

        /** Whether a phrase asks for a language: the language command, or an option that opens the language question. */
        private boolean isLanguageTarget(Intents.Phrase phrase) {
            if (phrase.command().isPresent()) {
                return phrase.command().get() == Command.LANGUAGE;
            }
            Intents.OptionRef ref = phrase.option().orElseThrow();
            Node.Option option = ((Node.Menu) flows.node(ref.flowId(), ref.menuId()).orElseThrow()).options()
                    .get(ref.index());
            return !option.next().isFlow() && flows.node(ref.flowId(), option.next().ref())
                    .filter(n -> n.kind() == NodeKind.LANGUAGE).isPresent();
        }

        /** Carries out what {@code phrase}'s target means; {@code sentence} is what the citizen wrote, if known. */
        private void act(Intents.Phrase phrase, String sentence) {
            if (phrase.command().isPresent()) {
                if (phrase.command().get() != Command.LANGUAGE) {
                    // A language request says which language it understood, when it knows.
                    events.add(new Event.Understood(List.of(phrase.target())));
                }
                command(phrase.command().get(), sentence);
                return;
            }
            Intents.OptionRef ref = phrase.option().orElseThrow();
            Flow flow = flows.flow(ref.flowId()).orElseThrow();
            Node.Menu menu = (Node.Menu) flow.node(ref.menuId()).orElseThrow();
            choose(flow, menu, ref.index(), sentence);
        }

        private void command(Command command, String sentence) {
            switch (command) {
                case HUMAN -> askForPerson();
                case STATUS -> {
                    askForStatus(sentence);
                    repromptInsideErrand();
                }
                case THANKS -> {
                    say(commands.texts().thanks());
                    repromptInsideErrand();
                }
                case GREETING -> greet();
                case STOP -> optOut();
                case RESTART -> startEntry();
                case OUT_OF_SCOPE -> {
                    // Understood, just not the town hall's: what it can help with, and the question to answer.
                    say(commands.texts().canHelpWith());
                    askPendingAgain();
                }
                case LANGUAGE -> {
                    Optional<Language> named = sentence == null ? Optional.empty() : namedLanguage(sentence, false);
                    if (named.isPresent()) {
                        speak(named.get());
                    } else {
                        events.add(new Event.Understood(List.of(Command.LANGUAGE.target())));
                        chooseLanguage();
                    }
                }
            }
        }

        /** At the main menu or outside any errand, a greeting is the main menu; inside one, a hello and the question again. */
        private void greet() {
            Optional<Node> waiting = waitingNode(session);
            if (waiting.isEmpty() || atMainMenu(waiting.get())) {
                startEntry();
                return;
            }
            say(commands.texts().greeting());
            reprompt(waiting.get());
        }

        /**
         * Photos that arrive just after a report was made (within {@link #PHOTO_BATCH_WINDOW}) go to that report,
         * up to its limit; whatever the conversation waits at, it still waits there. False for anything else.
         */
        private boolean addToLastReport(Input input) {
            Session.LastReport last = session.lastReport();
            if (!(input instanceof Input.Photos photos) || photos.ids().isEmpty() || last == null
                    || context.now().isAfter(last.at().plus(PHOTO_BATCH_WINDOW)) || context.now().isBefore(last.at())) {
                return false;
            }
            int room = maxPhotos - last.photos();
            List<String> added = photos.ids().subList(0, Math.min(room, photos.ids().size()));
            events.add(new Event.PhotosAdded(last.ref(), added));
            if (added.isEmpty()) {
                say(fill(commands.texts().photosFull(), Map.of("max", String.valueOf(maxPhotos))));
            } else {
                say(commands.texts().photoAdded());
            }
            session = session.withLastReport(new Session.LastReport(last.ref(), last.at(), last.photos() + added.size()));
            return true;
        }

        /** Whether the conversation waits for an answer in the citizen's own words (a description, an address). */
        boolean waitsForFreeText() {
            return waitingNode(session).filter(n -> n.kind() == NodeKind.TEXT || n.kind() == NodeKind.LOCATION)
                    .isPresent();
        }

        /** No more messages: the contact is opted out until they write again. */
        void optOut() {
            session = session.idle().withOptedOut(true);
            events.add(new Event.ContactOptedOut());
            say(commands.texts().optedOut());
        }

        /** Inside an errand, the question it waits at again, after an answer to something else. */
        void repromptInsideErrand() {
            Optional<Node> waiting = waitingNode(session);
            if (waiting.isPresent() && !atMainMenu(waiting.get())) {
                reprompt(waiting.get());
            }
        }

        private boolean atMainMenu(Node node) {
            return flows.entry().id().equals(session.flowId()) && flows.entry().start().equals(node.id());
        }

        /** Asks the question the session waits at again, without counting it as a misunderstanding. */
        private void reprompt(Node node) {
            int retries = session.retries();
            prompt(session.flowId(), node);
            session = session.waitingAt(session.flowId(), node.id()).withRetries(retries);
        }

        /** Switches to {@code language} at the citizen's request, says so, and asks the pending question again. */
        private void speak(Language language) {
            events.add(new Event.Understood(List.of(Command.LANGUAGE.target() + "=" + language.code())));
            if (language != session.language()) {
                session = session.withLanguage(language);
                events.add(new Event.LanguageChanged(language));
            }
            say(commands.texts().languageChanged());
            askPendingAgain();
        }

        /** "I want another language" without saying which: the flows' language question, if they have one. */
        private void chooseLanguage() {
            Flow entry = flows.entry();
            Optional<Node> question = entry.nodes().stream().filter(n -> n.kind() == NodeKind.LANGUAGE).findFirst();
            if (question.isPresent()) {
                goTo(entry, question.get().id());
            } else {
                startEntry();
            }
        }

        /**
         * The language a sentence asks for by name ("en castellano", "English please"); with {@code whole}, only
         * when the message is nothing but the name.
         */
        private Optional<Language> namedLanguage(String text, boolean whole) {
            String typed = normalized(text);
            Set<Language> named = new LinkedHashSet<>();
            languageNames.forEach((language, names) -> {
                for (String n : names) {
                    if (whole ? typed.equals(n) : (" " + typed + " ").contains(" " + n + " ")) {
                        named.add(language);
                    }
                }
            });
            return named.size() == 1 ? Optional.of(named.iterator().next()) : Optional.empty();
        }

        /** Offers the two or three targets a sentence may mean, as a menu of their labels. */
        private void clarify(List<String> targets, String sentence) {
            events.add(new Event.Understood(targets));
            List<String> labels = targets.stream().map(t -> labelOf(t, language())).toList();
            events.add(new Event.MessageCreated(commands.texts().didYouMean().in(language()), labels, CLARIFY_MENU));
            session = session.withOffered(targets, sentence);
        }

        /** What a target is called in a question: its option's label, or a command's first example. */
        private String labelOf(String target, Language language) {
            Intents.Phrase phrase = phraseOf(target, language);
            if (phrase.option().isPresent()) {
                Intents.OptionRef ref = phrase.option().get();
                Node.Menu menu = (Node.Menu) flows.node(ref.flowId(), ref.menuId()).orElseThrow();
                return menu.options().get(ref.index()).label().in(language);
            }
            String example = phrase.text();
            if (example.length() <= MAX_LABEL_LENGTH) {
                return example;
            }
            int cut = example.lastIndexOf(' ', MAX_LABEL_LENGTH - 1);
            return example.substring(0, cut > 0 ? cut : MAX_LABEL_LENGTH - 1) + "…";
        }

        private Intents.Phrase phraseOf(String target, Language language) {
            Intents.Phrase phrase = firstPhrase.get(target + "|" + language.code());
            return phrase != null ? phrase : firstPhrase.get(target);
        }

        /** Whether the answer picks one of the targets a clarifying question offered; if so, acts on it. */
        boolean pickOffered(List<String> asked, String sentence, Input input) {
            // Flows published since the question may have dropped a target.
            List<String> offered = asked.stream().filter(t -> firstPhrase.containsKey(t)).toList();
            if (offered.isEmpty()) {
                return false;
            }
            List<List<String>> labels = new ArrayList<>();
            for (String target : offered) {
                labels.add(List.of(Language.values()).stream().map(l -> labelOf(target, l)).toList());
            }
            OptionalInt index = OptionalInt.empty();
            if (input instanceof Input.Choice choice && (choice.menu() == null || CLARIFY_MENU.equals(choice.menu()))) {
                index = OptionMatcher.match(choice.position(), labels);
            } else if (input instanceof Input.Text text) {
                index = OptionMatcher.match(text.text(), labels);
            }
            if (index.isEmpty()) {
                return false;
            }
            act(phraseOf(offered.get(index.getAsInt()), language()), sentence);
            return true;
        }

        /** What a message means when the conversation waits for nothing. */
        void fromIdle(Input input) {
            if (addToLastReport(input)) {
                return;
            }
            if (input instanceof Input.Photos || input instanceof Input.Location) {
                showNoticeIfFirst();
                if (!startReportWith(input)) {
                    startEntry();
                }
                return;
            }
            String text = textOf(input);
            if (text == null) {
                startEntry();
                return;
            }
            boolean first = !session.privacyNoticeShown() && flows.entry().firstContact().isPresent();
            Understanding.Reading reading = understanding.read(text, Set.of());
            Optional<Understanding.Candidate> clear = reading.clear();
            boolean opensMenu = clear.isEmpty() || clear.get().phrase().command()
                    .filter(c -> c == Command.GREETING || c == Command.RESTART || first && c == Command.OUT_OF_SCOPE)
                    .isPresent();
            if (namedLanguage(text, true).isEmpty() && opensMenu && reading.offered().isEmpty()) {
                clear.ifPresent(c -> events.add(new Event.Understood(List.of(c.target()))));
                if (!first && clear.isEmpty() && normalized(text).split(" ").length >= MIN_SENTENCE_WORDS) {
                    // A question the town hall does not handle: what it can help with, then the menu.
                    say(commands.texts().canHelpWith());
                }
                startEntry();
                return;
            }
            showNoticeIfFirst();
            understand(text, reading);
        }

        /**
         * A contact's very first message is answered after the first-contact notice, whatever it says, when the
         * notice is a message (a notice of another kind is shown by the main menu's way in, as before).
         */
        void showNoticeIfFirst() {
            Flow entry = flows.entry();
            if (session.privacyNoticeShown() || entry.firstContact().isEmpty()) {
                return;
            }
            Optional<Node> notice = entry.node(entry.firstContact().get()).filter(Node.Message.class::isInstance);
            if (notice.isPresent()) {
                session = session.withNoticeShown();
                events.add(new Event.PrivacyNoticeShown());
                say(((Node.Message) notice.get()).text());
            }
        }

        /** Asks the question the conversation waits at again (or shows the main menu), counting nothing. */
        void askPendingAgain() {
            Optional<Node> waiting = waitingNode(session);
            if (waiting.isPresent()) {
                reprompt(waiting.get());
            } else {
                startAt(flows.entry(), flows.entry().start());
            }
        }

        /**
         * A photo or a pin sent inside a report before its question: kept for it, and the pending question asked
         * again. False outside a report.
         */
        /** A pin outside the municipality: not one of the town hall's incidents. */
        private boolean outside(Input input) {
            return input instanceof Input.Location pin && !area.contains(pin.latitude(), pin.longitude());
        }

        private boolean keepForLater(Input input) {
            Optional<Node.Incident> report = flows.flow(session.flowId()).flatMap(f -> f.nodes().stream()
                    .filter(Node.Incident.class::isInstance).map(Node.Incident.class::cast).findFirst());
            if (report.isEmpty()) {
                return false;
            }
            if (input instanceof Input.Photos photos && !photos.ids().isEmpty()) {
                session = session.withVarAhead(report.get().photoVar(), new Answer.Photos(photos.ids()));
                String location = report.get().locationVar();
                if (photos.located() && session.var(location).isEmpty()
                        && area.contains(photos.latitude(), photos.longitude())) {
                    // Where the photo says it was taken: offered at the location question, then forgotten.
                    session = session.withVar(location + PHOTO_POSITION, new Answer.Place(String.format(
                            java.util.Locale.ROOT, "%.5f, %.5f", photos.latitude(), photos.longitude()),
                            photos.latitude(), photos.longitude(), Answer.Place.Origin.PIN));
                }
                return true;
            }
            if (input instanceof Input.Location pin && !outside(pin)) {
                session = session.withVarAhead(report.get().locationVar(),
                        new Answer.Place(pin.address(), pin.latitude(), pin.longitude(), Answer.Place.Origin.PIN));
                return true;
            }
            return false;
        }

        /**
         * A photo or a pin sent where the bot asked for nothing of the kind starts a report that already has it
         * (or, inside the report, keeps it for later). False when the flows have no report to start.
         */
        private boolean startReportWith(Input input) {
            if (outside(input)) {
                say(commands.texts().locationOutside());
                askPendingAgain();
                return true;
            }
            // The flow that files incidents (not suggestions or questions, whose type a menu chooses).
            Optional<Flow> reportFlow = flows.flows().values().stream()
                    .filter(f -> f.nodes().stream().anyMatch(Engine::filesIncidents))
                    .sorted(java.util.Comparator.comparing(Flow::id)).findFirst();
            if (reportFlow.isEmpty()) {
                return false;
            }
            Flow flow = reportFlow.get();
            Node.Incident report = (Node.Incident) flow.nodes().stream()
                    .filter(Engine::filesIncidents).findFirst().orElseThrow();
            if (input instanceof Input.Photos photos && photos.ids().isEmpty()) {
                return false;
            }
            if (!flow.id().equals(session.flowId())) {
                session = session.withoutVars();
            }
            if (input instanceof Input.Photos photos) {
                session = session.withVarAhead(report.photoVar(), new Answer.Photos(photos.ids()));
            } else if (input instanceof Input.Location pin) {
                session = session.withVarAhead(report.locationVar(),
                        new Answer.Place(pin.address(), pin.latitude(), pin.longitude(), Answer.Place.Origin.PIN));
            } else {
                return false;
            }
            events.add(new Event.Understood(List.of(flow.id())));
            Optional<Node> waiting = waitingNode(session);
            if (waiting.isPresent() && flow.id().equals(session.flowId())) {
                reprompt(waiting.get());
            } else {
                goTo(flow, flow.start());
            }
            return true;
        }

        /**
         * An answer that fits nothing: at the main menu, or when it is about something the bot knows without
         * saying clearly what, it gets what the bot can help with (the services, in a sentence); anything else
         * "not understood". Both ask again.
         */
        private void misunderstood(Node node, String text, Understanding.Reading reading) {
            boolean aboutSomething = text != null && (atMainMenu(node) || reading.candidates().stream()
                    .anyMatch(c -> c.score() >= Understanding.MIN_HINT_SCORE));
            askAgain(aboutSomething ? commands.texts().canHelpWith() : commands.texts().notUnderstood(), node);
        }

        /** A person: of the department the menu being answered offers one of, or of the commands' department. */
        void askForPerson() {
            Optional<Node> waiting = waitingNode(session);
            if (waiting.isPresent() && waiting.get() instanceof Node.Menu menu) {
                Flow flow = flows.flow(session.flowId()).orElseThrow();
                for (Node.Option option : menu.options()) {
                    if (!option.next().isFlow()
                            && flow.node(option.next().ref()).filter(n -> n.kind() == NodeKind.HANDOFF).isPresent()) {
                        follow(flow, option.next());
                        return;
                    }
                }
            }
            handOffToPerson();
        }

        /**
         * The answer to the satisfaction question the host asked, if this message is one: a score (a button, a
         * number, an answer's words or its face), or after the score a comment. Anything else drops the question
         * and is handled as usual; either way it is asked once.
         */
        boolean answerSurvey(Input input, String text) {
            Session.Survey survey = session.survey();
            session = session.withSurvey(null);
            if (survey.about().startsWith(REMINDER_ABOUT)) {
                return answerReminder(survey.about().substring(REMINDER_ABOUT.length()), input);
            }
            if (!survey.scored()) {
                OptionalInt score = satisfactionScore(input, text);
                if (score.isEmpty()) {
                    return false;
                }
                events.add(new Event.SatisfactionGiven(survey.about(), score.getAsInt() + 1));
                say(commands.texts().satisfactionThanks());
                session = session.withSurvey(new Session.Survey(survey.about(), true));
                return true;
            }
            if (text == null || text.strip().length() < MIN_COMMENT_LENGTH || commandWord(text)) {
                return false;
            }
            events.add(new Event.SatisfactionCommented(survey.about(), text.strip()));
            say(commands.texts().satisfactionComment());
            return true;
        }

        /**
         * The answer to an appointment's reminder, if this message is one: "I'll come" (the town is told nothing more,
         * the citizen is thanked) or "cancel" (the appointment is cancelled and its time freed). Anything else is
         * handled as usual.
         */
        private boolean answerReminder(String code, Input input) {
            Commands.AppointmentTexts texts = commands.appointments();
            if (texts == null) {
                return false;
            }
            List<List<String>> answers = List.of(new ArrayList<>(texts.get("coming").values().values()),
                    new ArrayList<>(texts.get("cancel").values().values()));
            // Its buttons, or one of their words exactly: a number typed for a menu is not an answer to it.
            OptionalInt answer = OptionalInt.empty();
            if (input instanceof Input.Choice choice && REMINDER_MENU.equals(choice.menu())) {
                answer = OptionMatcher.match(choice.position(), answers);
            } else if (input instanceof Input.Text written) {
                for (int i = 0; i < answers.size() && answer.isEmpty(); i++) {
                    if (Words.isOneOf(written.text(), answers.get(i))) {
                        answer = OptionalInt.of(i);
                    }
                }
            }
            if (answer.isEmpty()) {
                return false;
            }
            if (answer.getAsInt() == 0) {
                say(texts.get("see_you"));
            } else if (lookUp(new Lookup.CancelAppointment(code), Found.Done.class).isPresent()) {
                say(texts.get("cancelled"), Map.of("code", code));
            }
            return true;
        }

        private OptionalInt satisfactionScore(Input input, String text) {
            List<List<String>> answers = new ArrayList<>();
            for (int i = 0; i < Commands.SATISFACTION_POINTS; i++) {
                List<String> names = new ArrayList<>();
                for (Language l : Language.values()) {
                    List<String> scale = commands.satisfactionScale().in(l);
                    if (i < scale.size()) {
                        names.add(scale.get(i));
                    }
                }
                answers.add(names);
            }
            if (input instanceof Input.Choice choice) {
                return SURVEY_MENU.equals(choice.menu()) ? OptionMatcher.match(choice.position(), answers)
                        : OptionalInt.empty();
            }
            if (text == null) {
                return OptionalInt.empty();
            }
            String typed = text.strip();
            for (int i = 0; i < answers.size(); i++) {
                // A face on its own ("🙂"): the first word of an answer.
                for (String answer : answers.get(i)) {
                    if (!typed.isEmpty() && answer.split(" ", 2)[0].equals(typed)) {
                        return OptionalInt.of(i);
                    }
                }
            }
            return OptionMatcher.match(typed, answers, this::normalized);
        }

        private boolean commandWord(String text) {
            String typed = normalized(text);
            for (Words.Known words : List.of(stopWords, restartWords, humanWords, statusWords, skipWords)) {
                if (words.hasNormalized(typed)) {
                    return true;
                }
            }
            return INCIDENT_CODE.matcher(text).find();
        }

        /** The host answers with the contact's requests; the session stays where it was. */
        void askForStatus(String text) {
            events.add(new Event.StatusRequested(codeIn(text)));
        }

        /**
         * Whether the message is the follow words (true) or the unfollow words (false) with or without an incident
         * code: "seguir INC-2026-000123", "deixar de seguir inc 2026 123". Without a code, only where no free text
         * is asked for.
         */
        Optional<Boolean> followWords(String text) {
            if (text == null) {
                return Optional.empty();
            }
            Matcher code = INCIDENT_CODE.matcher(text);
            boolean withCode = code.find();
            if (!withCode && waitsForFreeText()) {
                return Optional.empty();
            }
            String words = withCode ? text.substring(0, code.start()) + " " + text.substring(code.end()) : text;
            String typed = normalized(words);
            if (unfollowingWords.hasNormalized(typed)) {
                return Optional.of(false);
            }
            return followingWords.hasNormalized(typed) ? Optional.of(true) : Optional.empty();
        }

        /**
         * Switches to the language a message is clearly written in, if it is not the conversation's: the
         * contact is answered in the language they write.
         */
        void followLanguageOf(String text) {
            Optional<Language> written = understanding.languageOf(text, !session.privacyNoticeShown());
            if (written.isPresent() && written.get() != session.language()) {
                session = session.withLanguage(written.get());
                events.add(new Event.LanguageChanged(written.get()));
            }
        }

        private void answerLanguage(Flow flow, Node.ChooseLanguage node, Input input) {
            Language[] languages = Language.values();
            List<List<String>> labels = new ArrayList<>();
            for (Language l : languages) {
                List<String> names = new ArrayList<>(List.of(l.nativeName(), l.code()));
                names.addAll(commands.languageNames().in(l));
                labels.add(names);
            }
            OptionalInt index = chosen(input, labels);
            String text = textOf(input);
            if (index.isEmpty() && text != null) {
                // "En castellano, por favor" answers the question too; "gràcies" or "una persona" is no answer.
                Optional<Language> named = namedLanguage(text, false);
                if (named.isPresent()) {
                    index = OptionalInt.of(named.get().ordinal());
                } else if (wholeCommand(input)) {
                    return;
                }
            }
            if (index.isEmpty()) {
                askAgain(commands.texts().notUnderstood(), node);
                return;
            }
            Language language = languages[index.getAsInt()];
            if (language != session.language()) {
                session = session.withLanguage(language);
                events.add(new Event.LanguageChanged(language));
            }
            follow(flow, node.next());
        }

        /**
         * At a question that takes free text, a message that is nothing but a command ("gràcies", "vull parlar
         * amb una persona") is carried out rather than taken as the answer.
         */
        boolean wholeCommand(Input input) {
            String text = textOf(input);
            if (text == null || !understanding.mayBeWholeCommand(text)) {
                return false;
            }
            Optional<Understanding.Candidate> command = understanding.read(text, Set.of()).wholeCommand();
            command.ifPresent(c -> act(c.phrase(), text));
            return command.isPresent();
        }

        private void answerText(Flow flow, Node.Text node, Input input) {
            if (wholeCommand(input)) {
                return;
            }
            if (outside(input)) {
                say(commands.texts().locationOutside());
                reprompt(node);
                return;
            }
            boolean captioned = input instanceof Input.Photos p && p.caption() != null && !p.caption().isBlank();
            if ((input instanceof Input.Photos || input instanceof Input.Location) && keepForLater(input)
                    && !captioned) {
                // A photo or a pin before the words: kept for later, and the words asked for again.
                reprompt(node);
                return;
            }
            String text = input instanceof Input.Text t ? t.text().strip()
                    : input instanceof Input.Photos p && p.caption() != null ? p.caption().strip() : null;
            if (text == null) {
                // A photo or a pin where words were asked for: the question itself says what we need.
                askAgain(null, node);
                return;
            }
            int length = text.codePointCount(0, text.length());
            if (length < node.minLength()) {
                askAgain(fill(commands.texts().tooShort(), Map.of("min", String.valueOf(node.minLength()))), node);
                return;
            }
            if (length > node.maxLength()) {
                askAgain(fill(commands.texts().tooLong(), Map.of("max", String.valueOf(node.maxLength()))), node);
                return;
            }
            session = session.withVar(node.var(), new Answer.Text(text));
            follow(flow, node.next());
        }

        /** The appointments node's conversation; flows with one have its words (the validator sees to it). */
        private AppointmentDialog dialog(Node.Appointments node) {
            return new AppointmentDialog(this, node, commands.appointments());
        }

        /** A live source's items under the node's heading; the last good ones, dated, when the source fails. */
        private void showLive(Node.Live live) {
            Answer.Place near = live.near().flatMap(session::var).filter(Answer.Place.class::isInstance)
                    .map(Answer.Place.class::cast).filter(p -> p.latitude() != null).orElse(null);
            Found.Items found = lookUp(new Lookup.Live(live.kind().wireName(), live.source(), live.period().orElse(
                            live.kind() == NodeKind.AGENDA ? "week" : null), near == null ? null : near.latitude(),
                    near == null ? null : near.longitude(), live.count()), Found.Items.class)
                    .orElse(new Found.Items(List.of(), null, true));
            if (found.unavailable() && found.items().isEmpty()) {
                say(commands.texts().liveUnavailable());
                return;
            }
            if (found.items().isEmpty()) {
                say(live.empty());
            } else {
                StringBuilder page = new StringBuilder(live.text().in(language()));
                found.items().stream().limit(live.count())
                        .forEach(item -> page.append("\n\n").append(item(live.item(), item)));
                events.add(new Event.MessageCreated(page.toString(), List.of()));
            }
            if (found.asOf() != null) {
                say(fill(commands.texts().liveStale(), Map.of("date", found.asOf())));
            }
        }

        /**
         * One item in the words of {@code template}: a line, or a part of a line between " · ", whose fields are all
         * empty is left out, so "📞 {phone} · 📍 {address}" of a service with no address reads "📞 092".
         */
        String item(LocalizedText template, Map<String, String> fields) {
            List<String> lines = new ArrayList<>();
            for (String line : template.in(language()).split("\n", -1)) {
                List<String> parts = new ArrayList<>();
                for (String part : line.split(" · ", -1)) {
                    Matcher placeholder = FIELD.matcher(part);
                    boolean named = false;
                    boolean given = false;
                    while (placeholder.find()) {
                        named = true;
                        String value = fields.get(placeholder.group(1));
                        given |= value != null && !value.isBlank();
                    }
                    if (!named || given) {
                        parts.add(new LocalizedText(Map.of(language(), part)).in(language(), fields)
                                .replaceAll(" {2,}", " ").strip());
                    }
                }
                if (!parts.isEmpty() && !String.join("", parts).isBlank()) {
                    lines.add(String.join(" · ", parts));
                }
            }
            return String.join("\n", lines).strip();
        }

        /** A word for the directory: the entries it names, or the node's {@code none} and the question again. */
        private void answerDirectory(Flow flow, Node.Directory node, Input input) {
            if (wholeCommand(input)) {
                return;
            }
            String text = textOf(input);
            List<Node.Entry> found = text == null ? List.of() : Directory.search(node.entries(), text);
            if (found.isEmpty()) {
                askAgain(node.none(), node);
                return;
            }
            StringBuilder page = new StringBuilder();
            for (Node.Entry entry : found) {
                Map<String, String> fields = new HashMap<>();
                fields.put("name", entry.name().in(language()));
                fields.put("phone", entry.phone());
                fields.put("address", entry.address());
                fields.put("hours", entry.hours().map(h -> h.in(language())).orElse(""));
                page.append(page.isEmpty() ? "" : "\n\n").append(item(node.item(), fields));
            }
            events.add(new Event.MessageCreated(page.toString(), List.of()));
            follow(flow, node.next());
        }

        private void answerLocation(Flow flow, Node.Location node, Input input) {
            Session.Proposal proposal = session.proposed();
            if (proposal != null && !proposal.var().equals(node.var())) {
                proposal = null;
            }
            if (proposal != null && proposal.place() != null && answerProposal(flow, node, proposal, input)) {
                return;
            }
            if (wholeCommand(input)) {
                return;
            }
            if (outside(input)) {
                say(commands.texts().locationOutside());
                reprompt(node);
                return;
            }
            if (input instanceof Input.Photos && keepForLater(input)) {
                if (!offerPhotoPosition(node)) {
                    reprompt(node);
                }
                return;
            }
            Answer.Place place;
            if (input instanceof Input.Location pin) {
                place = new Answer.Place(pin.address(), pin.latitude(), pin.longitude(), Answer.Place.Origin.PIN);
            } else if (input instanceof Input.Text text && !text.text().isBlank()) {
                String written = text.text().strip();
                Optional<Found.Place> mapped = lookUp(new Lookup.Address(written), Found.Place.class);
                if (mapped.isPresent()) {
                    propose(node, new Session.Proposal(node.var(), written, new Answer.Place(mapped.get().name(),
                            mapped.get().latitude(), mapped.get().longitude(), Answer.Place.Origin.ADDRESS),
                            proposal == null ? 0 : proposal.rejected()));
                    return;
                }
                place = new Answer.Place(written, null, null, Answer.Place.Origin.ADDRESS);
            } else {
                askAgain(commands.texts().locationExpected(), node);
                return;
            }
            session = session.withVar(node.var(), place);
            follow(flow, node.next());
        }

        /**
         * Asks whether the map's place for a typed address is the right one ("Carrer del Born, 5? Yes / No"), with
         * a link to it on the map; the question waits at the location node.
         */
        /**
         * Offers where a photo sent earlier says it was taken, as the place to confirm (yes: that place; no: the
         * question as usual); the position is forgotten either way. False when no photo said where.
         */
        private boolean offerPhotoPosition(Node.Location node) {
            Optional<Answer> taken = session.var(node.var() + PHOTO_POSITION);
            if (taken.isEmpty() || !(taken.get() instanceof Answer.Place place)) {
                return false;
            }
            session = session.withoutVar(node.var() + PHOTO_POSITION);
            propose(node, new Session.Proposal(node.var(), null, place, 0));
            return true;
        }

        private void propose(Node.Location node, Session.Proposal proposal) {
            Answer.Place place = proposal.place();
            String map = String.format(java.util.Locale.ROOT,
                    "https://www.openstreetmap.org/?mlat=%.5f&mlon=%.5f#map=18/%.5f/%.5f", place.latitude(),
                    place.longitude(), place.latitude(), place.longitude());
            // A photo's place (nothing was written) has its own question when the flows give one.
            LocalizedText ask = proposal.written() == null && commands.texts().locationPhoto() != null
                    ? commands.texts().locationPhoto() : commands.texts().locationConfirm();
            String question = ask.in(language(), Map.of("address", place.address(), "map", map));
            events.add(new Event.MessageCreated(question, List.of(firstWord(commands.yes()), firstWord(commands.no())),
                    session.flowId() + "/" + node.id()));
            session = session.waitingAt(session.flowId(), node.id()).withProposal(proposal);
        }

        /** 0 for yes, 1 for no: a button, "1", "sí", "no", or a sentence that starts with one ("sí, és aquí"). */
        private OptionalInt yesOrNo(Input input) {
            if (input instanceof Input.Choice) {
                return chosen(input, List.of(commands.yes().all(), commands.no().all()));
            }
            return Engine.this.yesOrNo(textOf(input));
        }

        private String firstWord(LocalizedWords words) {
            List<String> list = words.in(language());
            return list.isEmpty() ? "" : list.get(0);
        }

        /**
         * The answer to "is it here?": yes takes the map's place; no asks for the address again, and a second no
         * takes the address as written, without a place on the map (staff will find it). Anything else is not
         * an answer to it (a new address, a pin, a command): false.
         */
        private boolean answerProposal(Flow flow, Node.Location node, Session.Proposal proposal, Input input) {
            OptionalInt answer = yesOrNo(input);
            if (answer.isEmpty()) {
                return false;
            }
            if (answer.getAsInt() == 0) {
                session = session.withProposal(null).withVar(node.var(), proposal.place());
                follow(flow, node.next());
                return true;
            }
            if (proposal.rejected() >= 1) {
                session = session.withProposal(null).withVar(node.var(),
                        new Answer.Place(proposal.written(), null, null, Answer.Place.Origin.WRITTEN));
                follow(flow, node.next());
                return true;
            }
            say(commands.texts().locationExpected());
            session = session.waitingAt(session.flowId(), node.id())
                    .withProposal(new Session.Proposal(node.var(), proposal.written(), null, proposal.rejected() + 1));
            return true;
        }

        private void answerPhoto(Flow flow, Node.Photo node, Input input) {
            if (input instanceof Input.Photos photos && !photos.ids().isEmpty()) {
                List<String> ids = photos.ids().size() > maxPhotos ? photos.ids().subList(0, maxPhotos) : photos.ids();
                session = session.withVar(node.var(), new Answer.Photos(ids));
                follow(flow, node.next());
            } else if (input instanceof Input.Text text && skipWords.hasNormalized(normalized(text.text()))) {
                session = session.withVar(node.var(), new Answer.Skipped());
                follow(flow, node.next());
            } else if (wholeCommand(input)) {
                return;
            } else {
                askAgain(commands.texts().photoExpected(), node);
            }
        }

        void follow(Flow flow, Node.Target target) {
            if (target.isFlow()) {
                Flow next = flows.flow(target.flowId()).orElseThrow();
                goTo(next, next.start());
            } else {
                goTo(flow, target.ref());
            }
        }

        /**
         * Says why the answer did not fit, if there is something to say, and asks the same question again;
         * after {@value Engine#MAX_MISUNDERSTOOD} such answers in a row, hands over to a person instead.
         */
        void askAgain(LocalizedText why, Node node) {
            int retries = session.retries() + 1;
            if (retries >= MAX_MISUNDERSTOOD) {
                handOffToPerson();
                return;
            }
            if (retries == MAX_MISUNDERSTOOD - 1) {
                // The citizen is told before a person is brought in.
                LocalizedText warning = commands.texts().handoffWarning();
                say(why == null ? warning : joined(why, warning));
            } else if (why != null) {
                say(why);
            }
            prompt(session.flowId(), node);
            session = session.waitingAt(session.flowId(), node.id()).withRetries(retries);
        }

        /** Asks for a person of the department the flow names for help, and waits for them. */
        void handOffToPerson() {
            say(commands.texts().humanRequested());
            events.add(new Event.HandoffRequested(commands.texts().humanDepartment()));
            session = session.handedOffAt(session.flowId(), session.nodeId());
        }

        private LocalizedText joined(LocalizedText first, LocalizedText second) {
            Map<Language, String> both = new java.util.EnumMap<>(Language.class);
            for (Language l : Language.values()) {
                both.put(l, first.in(l) + "\n" + second.in(l));
            }
            return new LocalizedText(both);
        }

        LocalizedText fill(LocalizedText text, Map<String, String> values) {
            Map<Language, String> filled = new java.util.EnumMap<>(Language.class);
            text.values().keySet().forEach(language -> filled.put(language, text.in(language, values)));
            return new LocalizedText(filled);
        }
    }
}

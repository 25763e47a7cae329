package org.civicbot.bot.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.civicbot.flows.Commands;
import org.civicbot.flows.Flow;
import org.civicbot.flows.FlowBundle;
import org.civicbot.flows.Language;
import org.civicbot.flows.LocalizedText;
import org.civicbot.flows.Node;

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

    private final FlowBundle flows;
    private final Commands commands;

    public Engine(FlowBundle flows) {
        this.flows = flows;
        this.commands = flows.commands();
    }

    public FlowBundle flows() {
        return flows;
    }

    /** Advances the session with what the citizen sent. */
    public Turn resume(Session session, Input input, TurnContext context) {
        Run run = new Run(session, context);
        String text = textOf(input);
        if (text != null && Words.isOneOf(text, commands.stop().all())) {
            run.session = run.session.idle().withOptedOut(true);
            run.events.add(new Event.ContactOptedOut());
            run.say(commands.texts().optedOut());
            return run.turn();
        }
        if (run.session.optedOut()) {
            run.session = run.session.withOptedOut(false);
            run.events.add(new Event.ContactOptedIn());
        }
        if (text != null && Words.isOneOf(text, commands.restart().all())) {
            return run.startEntry().turn();
        }
        if (text != null && Words.isOneOf(text, commands.human().all())) {
            run.handOffToPerson();
            return run.turn();
        }
        Optional<Node> waiting = waitingNode(run.session);
        if (waiting.isEmpty()) {
            return run.startEntry().turn();
        }
        run.answer(waiting.get(), input);
        return run.turn();
    }

    /** Whether the input is a command to go back to the main menu ("hola", "menu"...). */
    public boolean restarts(Input input) {
        String text = textOf(input);
        return text != null && Words.isOneOf(text, commands.restart().all());
    }

    /**
     * Starts the flow again at a node staff picked when handing the conversation back to the bot, or at
     * the main menu when {@code nodeRef} is empty. {@code nodeRef} is {@code flowId/nodeId}.
     */
    public Turn jumpTo(Session session, Optional<String> nodeRef, TurnContext context) {
        Run run = new Run(session.idle(), context);
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

    private static String textOf(Input input) {
        if (input instanceof Input.Text t) {
            return t.text();
        }
        return null;
    }

    /** One turn in progress: the session as it changes and the events so far. */
    private final class Run {
        private Session session;
        private final TurnContext context;
        private final List<Event> events = new ArrayList<>();
        private int steps;
        private int incidents;

        Run(Session session, TurnContext context) {
            this.session = session;
            this.context = context;
        }

        Turn turn() {
            return new Turn(session, events);
        }

        Language language() {
            return session.language();
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
                    events.add(reported(incident));
                    say(incident.text());
                    yield incident.next();
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
                case MENU, TEXT, LOCATION, PHOTO, LANGUAGE -> {
                    prompt(flow.id(), node);
                    session = session.waitingAt(flow.id(), node.id());
                    yield null;
                }
            };
        }

        private Event.IncidentReported reported(Node.Incident node) {
            String ref = context.turnId() + "-incident-" + (++incidents);
            String category = session.var(node.categoryVar())
                    .map(a -> a instanceof Answer.Choice c ? c.value() : a instanceof Answer.Text t ? t.value() : null)
                    .orElse("other");
            String description = session.var(node.descriptionVar())
                    .map(a -> a instanceof Answer.Text t ? t.value() : "")
                    .orElse("");
            Optional<Answer.Place> place = session.var(node.locationVar())
                    .filter(Answer.Place.class::isInstance).map(Answer.Place.class::cast);
            List<String> photos = session.var(node.photoVar())
                    .filter(Answer.Photos.class::isInstance).map(a -> ((Answer.Photos) a).ids()).orElse(List.of());
            return new Event.IncidentReported(ref, category, description, place, photos);
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
                case MESSAGE, INFO, INCIDENT, HANDOFF, END -> throw new IllegalStateException(node.kind() + " does not wait");
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
                // Not a node that waits (a flow changed under a waiting session): start again.
                case MESSAGE, INFO, INCIDENT, HANDOFF, END -> this::startEntry;
            };
            handle.run();
        }

        private OptionalInt chosen(Input input, List<List<String>> labels) {
            if (input instanceof Input.Choice choice) {
                String menu = choice.menu();
                if (menu != null && !menu.equals(session.flowId() + "/" + session.nodeId())) {
                    // A button of an older menu, still on the citizen's screen: it means nothing here.
                    return OptionalInt.empty();
                }
                return OptionMatcher.match(choice.position(), labels);
            }
            if (input instanceof Input.Text text) {
                return OptionMatcher.match(text.text(), labels);
            }
            return OptionalInt.empty();
        }

        private void answerMenu(Flow flow, Node.Menu menu, Input input) {
            List<List<String>> labels = menu.options().stream()
                    .map(o -> List.copyOf(o.label().values().values())).toList();
            OptionalInt index = chosen(input, labels);
            if (index.isEmpty()) {
                askAgain(commands.texts().notUnderstood(), menu);
                return;
            }
            Node.Option option = menu.options().get(index.getAsInt());
            if (menu.var().isPresent()) {
                String value = option.value() == null || option.value().isBlank()
                        ? String.valueOf(index.getAsInt() + 1) : option.value();
                session = session.withVar(menu.var().get(), new Answer.Choice(value, option.label().in(language())));
            }
            follow(flow, option.next());
        }

        private void answerLanguage(Flow flow, Node.ChooseLanguage node, Input input) {
            Language[] languages = Language.values();
            List<List<String>> labels = new ArrayList<>();
            for (Language l : languages) {
                labels.add(List.of(l.nativeName(), l.code()));
            }
            OptionalInt index = chosen(input, labels);
            if (index.isEmpty()) {
                askAgain(commands.texts().notUnderstood(), node);
                return;
            }
            Language language = languages[index.getAsInt()];
            session = session.withLanguage(language);
            events.add(new Event.LanguageChanged(language));
            follow(flow, node.next());
        }

        private void answerText(Flow flow, Node.Text node, Input input) {
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

        private void answerLocation(Flow flow, Node.Location node, Input input) {
            Answer.Place place;
            if (input instanceof Input.Location pin) {
                place = new Answer.Place(pin.address(), pin.latitude(), pin.longitude(), Answer.Place.Origin.PIN);
            } else if (input instanceof Input.Text text && !text.text().isBlank()) {
                place = new Answer.Place(text.text().strip(), null, null, Answer.Place.Origin.ADDRESS);
            } else {
                askAgain(commands.texts().locationExpected(), node);
                return;
            }
            session = session.withVar(node.var(), place);
            follow(flow, node.next());
        }

        private void answerPhoto(Flow flow, Node.Photo node, Input input) {
            if (input instanceof Input.Photos photos && !photos.ids().isEmpty()) {
                session = session.withVar(node.var(), new Answer.Photos(photos.ids()));
                follow(flow, node.next());
            } else if (input instanceof Input.Text text && Words.isOneOf(text.text(), commands.skip().all())) {
                session = session.withVar(node.var(), new Answer.Skipped());
                follow(flow, node.next());
            } else {
                askAgain(commands.texts().photoExpected(), node);
            }
        }

        private void follow(Flow flow, Node.Target target) {
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
        private void askAgain(LocalizedText why, Node node) {
            int retries = session.retries() + 1;
            if (retries >= MAX_MISUNDERSTOOD) {
                handOffToPerson();
                return;
            }
            if (why != null) {
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

        private LocalizedText fill(LocalizedText text, Map<String, String> values) {
            Map<Language, String> filled = new java.util.EnumMap<>(Language.class);
            text.values().forEach((language, value) -> {
                String result = value;
                for (Map.Entry<String, String> e : values.entrySet()) {
                    result = result.replace("{" + e.getKey() + "}", e.getValue());
                }
                filled.put(language, result);
            });
            return new LocalizedText(filled);
        }
    }
}

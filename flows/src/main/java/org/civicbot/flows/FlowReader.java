package org.civicbot.flows;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads one flow file into the model through SnakeYAML's node tree, so that every element keeps its line and
 * column. Bad input never throws: each problem becomes an {@link Issue}, and reading goes on as far as it can
 * so one pass reports as much as possible.
 */
final class FlowReader {

    /** The fields of a node of each kind besides {@code id} and {@code kind}; the JSON Schema mirrors this. */
    record KindFields(List<String> required, List<String> optional) {
        List<String> all() {
            return Stream.of(List.of("id", "kind"), required, optional).flatMap(List::stream).toList();
        }
    }

    static final Map<NodeKind, KindFields> FIELDS = fields();

    static final List<String> FLOW_FIELDS = List.of("spec", "id", "start", "first_contact", "commands", "nodes");
    static final List<String> ENTRY_FIELDS = List.of("name", "phone", "address", "hours", "keywords");
    static final List<String> OPTION_FIELDS = List.of("label", "value", "next", "examples", "keywords");
    static final List<String> COMMAND_FIELDS = List.of("restart", "human", "stop", "skip", "status", "yes", "no", "follow", "unfollow", "satisfaction_scale", "examples",
            "language_names", "texts", "notices", "appointments");
    static final List<String> NOTICE_FIELDS = List.of("queue_wait", "queue_closed", "when", "incident_in_progress",
            "incident_assigned", "incident_update", "incident_closed", "incident_closed_note", "incident_reopened",
            "incident_registered", "satisfaction_incident", "satisfaction_chat",
            "outcome_positive", "outcome_negative", "outcome_not_our_competence", "outcome_suspended", "outcome_duplicate",
            "outcome_improper", "incident_merged", "page_title",
            "page_intro", "page_step_received", "page_step_in_progress", "page_step_closed", "page_updates",
            "page_update_received", "page_update_in_progress", "page_update_assigned", "page_update_closed",
            "page_update_reopened", "page_privacy", "page_not_found", "request_incident", "request_other", "announcement");
    static final List<String> TEXT_FIELDS = List.of("not_understood", "too_short", "too_long", "location_expected",
            "photo_expected", "opted_out", "human_requested", "human_department", "thanks", "greeting",
            "can_help_with", "did_you_mean", "handoff_warning", "language_changed", "status_none", "status_list",
            "status_line", "status_own_line", "status_detail", "status_own_detail", "status_new", "status_in_progress", "status_closed", "status_unknown", "photo_added", "photos_full", "location_outside", "location_confirm", "unsupported", "status_follow", "follow_which", "follow_started", "follow_stopped",
            "follow_closed", "duplicate_question", "duplicate_yes", "duplicate_no", "duplicate_joined", "satisfaction_thanks", "satisfaction_comment",
            "notices_menu", "notices_none", "notices_line", "notices_add", "notices_remove", "notices_remove_all", "notices_back", "notices_topic", "notices_area", "notices_whole_town", "notices_which", "notices_added", "notices_removed", "notices_removed_all", "understood", "flow_changed", "live_stale", "live_unavailable",
            "location_photo");

    static final int DEFAULT_MIN_LENGTH = 1;
    static final int DEFAULT_MAX_LENGTH = 1000;
    /** Items a news, agenda or pharmacies node shows when it does not say. */
    static final int DEFAULT_COUNT = 5;

    private static Map<NodeKind, KindFields> fields() {
        Map<NodeKind, KindFields> f = new EnumMap<>(NodeKind.class);
        f.put(NodeKind.MESSAGE, new KindFields(List.of("text", "next"), List.of()));
        f.put(NodeKind.MENU, new KindFields(List.of("text", "options"), List.of("var")));
        f.put(NodeKind.TEXT, new KindFields(List.of("text", "var", "next"), List.of("min_length", "max_length")));
        f.put(NodeKind.LOCATION, new KindFields(List.of("text", "var", "next"), List.of()));
        f.put(NodeKind.PHOTO, new KindFields(List.of("text", "var", "next"), List.of()));
        f.put(NodeKind.INFO, new KindFields(List.of("title", "text", "next"), List.of("url")));
        f.put(NodeKind.INCIDENT, new KindFields(List.of("text", "next"),
                List.of("category_var", "description_var", "location_var", "photo_var", "type_var")));
        f.put(NodeKind.HANDOFF, new KindFields(List.of("text", "department"), List.of()));
        f.put(NodeKind.LANGUAGE, new KindFields(List.of("text", "next"), List.of()));
        f.put(NodeKind.NOTICES, new KindFields(List.of("next"), List.of()));
        f.put(NodeKind.APPOINTMENTS, new KindFields(List.of("next"), List.of()));
        for (NodeKind live : List.of(NodeKind.NEWS, NodeKind.AGENDA, NodeKind.PHARMACIES)) {
            List<String> optional = new ArrayList<>(List.of("count"));
            if (live == NodeKind.AGENDA) {
                optional.add("period");
            }
            if (live == NodeKind.PHARMACIES) {
                optional.add("near");
            }
            f.put(live, new KindFields(List.of("source", "text", "item", "empty", "next"), optional));
        }
        f.put(NodeKind.DIRECTORY, new KindFields(List.of("text", "item", "none", "entries", "next"), List.of()));
        f.put(NodeKind.END, new KindFields(List.of(), List.of("text")));
        return f;
    }

    private final String file;
    private final List<Issue> issues = new ArrayList<>();
    private final Map<String, Position> fields = new HashMap<>();
    private final Set<String> brokenNodeIds = new LinkedHashSet<>();

    private FlowReader(String file) {
        this.file = file;
    }

    static ReadFlow read(FlowSource source) {
        return new FlowReader(source.fileName()).readFile(source.yaml());
    }

    private ReadFlow readFile(String yaml) {
        Position top = new Position(file, 1, 1);
        org.yaml.snakeyaml.nodes.Node root;
        try {
            // SafeConstructor: compose never builds objects, but nothing here should be able to ask it to.
            root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getContext() == null ? e.getProblem() : e.getContext() + ": " + e.getProblem();
            issues.add(Issue.error(mark == null ? top : at(mark), Rules.YAML_SYNTAX, problem));
            return result(Optional.empty(), top, Optional.empty());
        } catch (YAMLException e) {
            issues.add(Issue.error(top, Rules.YAML_SYNTAX, e.getMessage()));
            return result(Optional.empty(), top, Optional.empty());
        }
        if (root == null) {
            issues.add(Issue.error(top, Rules.MISSING_FIELD,
                    "the file is empty; a flow needs at least spec, id, start and nodes"));
            return result(Optional.empty(), top, Optional.empty());
        }
        if (!(root instanceof MappingNode rootMap)) {
            issues.add(Issue.error(at(root), Rules.WRONG_TYPE,
                    "a flow file must be a mapping of fields, not " + describe(root)));
            return result(Optional.empty(), at(root), Optional.empty());
        }
        Position position = at(rootMap);
        Fields flow = new Fields(rootMap, "flow", "");
        Optional<String> id = Optional.ofNullable(flow.string("id", true));
        id.ifPresent(i -> flow.context = "flow \"" + i + "\"");
        Integer spec = flow.integer("spec", true);
        if (spec != null && !FlowSpec.supported().contains(spec)) {
            issues.add(Issue.error(flow.positionOf("spec"), Rules.UNSUPPORTED_SPEC, "spec " + spec
                    + " is not supported; this build reads spec " + joined(FlowSpec.supported())));
            flow.commit();
            return result(id, position, Optional.empty());
        }
        Fields fields = flow;
        if (spec != null && spec != FlowSpec.CURRENT) {
            // Re-read the migrated tree; its values keep the marks of the file as written.
            fields = new Fields(FlowSpec.migrate(rootMap, spec), flow.context, "");
            fields.string("id", true);
            fields.integer("spec", true);
        }
        String start = fields.string("start", true);
        Optional<String> firstContact = Optional.ofNullable(fields.string("first_contact", false));
        Optional<Commands> commands = Optional.empty();
        MappingNode commandsMap = fields.mapping("commands", false);
        if (commandsMap != null) {
            commands = readCommands(commandsMap);
        }
        List<Node> nodes = new ArrayList<>();
        SequenceNode nodeList = fields.list("nodes", true);
        if (nodeList != null) {
            int index = 0;
            for (org.yaml.snakeyaml.nodes.Node item : nodeList.getValue()) {
                index++;
                if (!(item instanceof MappingNode nodeMap)) {
                    issues.add(Issue.error(at(item), Rules.WRONG_TYPE,
                            "node " + index + " must be a mapping of fields, not " + describe(item)));
                    continue;
                }
                readNode(nodeMap, index, nodes.size()).ifPresent(nodes::add);
            }
        }
        fields.checkKeys(FLOW_FIELDS);
        fields.commit();
        Optional<Flow> built = Optional.empty();
        if (fields.ok && id.isPresent()) {
            built = Optional.of(new Flow(id.get(), FlowSpec.CURRENT, start, firstContact, nodes, commands, position));
        }
        return result(id, position, built);
    }

    private ReadFlow result(Optional<String> id, Position position, Optional<Flow> flow) {
        return new ReadFlow(id, position, flow, fields, brokenNodeIds, issues);
    }

    private Optional<Commands> readCommands(MappingNode map) {
        Fields c = new Fields(map, "commands", "commands.");
        LocalizedWords restart = c.words("restart", true);
        LocalizedWords human = c.words("human", true);
        LocalizedWords stop = c.words("stop", true);
        LocalizedWords skip = c.words("skip", true);
        LocalizedWords status = c.words("status", false);
        LocalizedWords yes = c.words("yes", true);
        LocalizedWords no = c.words("no", true);
        LocalizedWords follow = c.words("follow", true);
        LocalizedWords unfollow = c.words("unfollow", true);
        LocalizedWords satisfactionScale = c.words("satisfaction_scale", true);
        LocalizedWords languageNames = c.words("language_names", false);
        Map<Command, LocalizedWords> examples = new EnumMap<>(Command.class);
        MappingNode examplesMap = c.mapping("examples", false);
        if (examplesMap != null) {
            Fields e = new Fields(examplesMap, "commands.examples", "commands.examples.");
            for (Command command : Command.values()) {
                LocalizedWords words = e.words(command.wireName(), false);
                if (words != null) {
                    examples.put(command, words);
                }
            }
            e.checkKeys(Stream.of(Command.values()).map(Command::wireName).toList());
            e.commit();
            c.ok &= e.ok;
        }
        MappingNode textsMap = c.mapping("texts", true);
        MappingNode noticesMap = c.mapping("notices", true);
        MappingNode appointmentsMap = c.mapping("appointments", false);
        c.checkKeys(COMMAND_FIELDS);
        c.commit();
        if (textsMap == null) {
            return Optional.empty();
        }
        Fields t = new Fields(textsMap, "commands.texts", "commands.texts.");
        var texts = new Commands.SystemTexts(t.text("not_understood", true), t.text("too_short", true),
                t.text("too_long", true), t.text("location_expected", true), t.text("photo_expected", true),
                t.text("opted_out", true), t.text("human_requested", true), t.string("human_department", true),
                t.text("thanks", true), t.text("greeting", true), t.text("can_help_with", true),
                t.text("did_you_mean", true), t.text("handoff_warning", true), t.text("language_changed", true),
                t.text("status_none", true), t.text("status_list", true), t.text("status_line", true),
                t.text("status_own_line", true), t.text("status_detail", true), t.text("status_own_detail", true),
                t.text("status_new", true), t.text("status_in_progress", true), t.text("status_closed", true),
                t.text("status_unknown", true), t.text("photo_added", true), t.text("photos_full", true),
                t.text("location_outside", true), t.text("location_confirm", true), t.text("unsupported", true),
                t.text("status_follow", true), t.text("follow_which", true), t.text("follow_started", true), t.text("follow_stopped", true),
                t.text("follow_closed", true), t.text("duplicate_question", true), t.text("duplicate_yes", true),
                t.text("duplicate_no", true), t.text("duplicate_joined", true), t.text("satisfaction_thanks", true),
                t.text("satisfaction_comment", true), t.text("notices_menu", true), t.text("notices_none", true), t.text("notices_line", true), t.text("notices_add", true), t.text("notices_remove", true), t.text("notices_remove_all", true), t.text("notices_back", true), t.text("notices_topic", true), t.text("notices_area", true), t.text("notices_whole_town", true), t.text("notices_which", true), t.text("notices_added", true), t.text("notices_removed", true), t.text("notices_removed_all", true),
                t.text("understood", true), t.text("flow_changed", false),
                t.text("live_stale", false), t.text("live_unavailable", false), t.text("location_photo", false));
        t.checkKeys(TEXT_FIELDS);
        t.commit();
        if (noticesMap == null) {
            return Optional.empty();
        }
        Fields n = new Fields(noticesMap, "commands.notices", "commands.notices.");
        var notices = new Commands.NoticeTexts(n.text("queue_wait", true), n.text("queue_closed", true),
                n.text("when", true), n.text("incident_in_progress", true), n.text("incident_assigned", true),
                n.text("incident_update", true), n.text("incident_closed", true), n.text("incident_closed_note", true),
                n.text("incident_reopened", true), n.text("incident_registered", true),
                n.text("satisfaction_incident", true), n.text("satisfaction_chat", true),
                n.text("outcome_positive", true), n.text("outcome_negative", true),
                n.text("outcome_not_our_competence", true), n.text("outcome_suspended", true),
                n.text("outcome_duplicate", true), n.text("outcome_improper", true), n.text("incident_merged", true),
                n.text("request_incident", true), n.text("request_other", true), n.text("announcement", true),
                new Commands.PageTexts(n.text("page_title", true), n.text("page_intro", true),
                        n.text("page_step_received", true), n.text("page_step_in_progress", true),
                        n.text("page_step_closed", true), n.text("page_updates", true),
                        n.text("page_update_received", true), n.text("page_update_in_progress", true),
                        n.text("page_update_assigned", true), n.text("page_update_closed", true),
                        n.text("page_update_reopened", true), n.text("page_privacy", true),
                        n.text("page_not_found", true)));
        n.checkKeys(NOTICE_FIELDS);
        n.commit();
        Commands.AppointmentTexts appointments = null;
        boolean appointmentsOk = true;
        if (appointmentsMap != null) {
            Fields a = new Fields(appointmentsMap, "commands.appointments", "commands.appointments.");
            Map<String, LocalizedText> read = new java.util.LinkedHashMap<>();
            for (String key : Commands.AppointmentTexts.KEYS) {
                LocalizedText text = a.text(key, true);
                if (text != null) {
                    read.put(key, text);
                }
            }
            a.checkKeys(Commands.AppointmentTexts.KEYS);
            a.commit();
            appointmentsOk = a.ok;
            appointments = a.ok ? new Commands.AppointmentTexts(read) : null;
        }
        if (!c.ok || !t.ok || !n.ok || !appointmentsOk) {
            return Optional.empty();
        }
        return Optional.of(new Commands(restart, human, stop, skip, status == null ? LocalizedWords.NONE : status, yes, no, follow, unfollow, satisfactionScale,
                examples, languageNames == null ? LocalizedWords.NONE : languageNames, texts, notices, appointments));
    }

    private Optional<Node> readNode(MappingNode map, int number, int index) {
        String prefix = "nodes[" + index + "].";
        Fields n = new Fields(map, "node " + number, prefix);
        Position position = at(map);
        String id = n.string("id", true);
        if (id != null) {
            n.context = "node \"" + id + "\"";
        }
        String kindName = n.string("kind", true);
        Optional<NodeKind> kind = Optional.ofNullable(kindName).flatMap(NodeKind::fromWireName);
        if (kindName != null && kind.isEmpty()) {
            issues.add(Issue.error(n.positionOf("kind"), Rules.UNKNOWN_KIND, n.context + " has unknown kind \""
                    + kindName + "\"; known kinds: " + joined(Stream.of(NodeKind.values()).map(NodeKind::wireName)
                            .toList())));
            n.ok = false;
        }
        Node node = kind.isEmpty() ? null : readKind(kind.get(), n, id, position);
        if (node == null || !n.ok) {
            if (id != null) {
                brokenNodeIds.add(id);
            }
            return Optional.empty();
        }
        n.commit();
        return Optional.of(node);
    }

    /** Reads the fields of one kind; {@code null} when a required one is missing or unreadable. */
    private Node readKind(NodeKind kind, Fields n, String id, Position position) {
        n.context = n.context + " (" + kind.wireName() + ")";
        n.checkKeys(FIELDS.get(kind).all());
        // A switch expression: a new kind that is not read here does not compile.
        Node node = switch (kind) {
            case MESSAGE -> {
                LocalizedText text = n.text("text", true);
                Node.Target next = n.target("next");
                yield n.ok ? new Node.Message(id, position, text, next) : null;
            }
            case MENU -> {
                LocalizedText text = n.text("text", true);
                Optional<String> var = Optional.ofNullable(n.string("var", false));
                List<Node.Option> options = readOptions(n);
                yield n.ok ? new Node.Menu(id, position, text, options, var) : null;
            }
            case TEXT -> {
                LocalizedText text = n.text("text", true);
                String var = n.string("var", true);
                Integer min = n.integer("min_length", false);
                Integer max = n.integer("max_length", false);
                Node.Target next = n.target("next");
                yield n.ok ? new Node.Text(id, position, text, var, min == null ? DEFAULT_MIN_LENGTH : min,
                            max == null ? DEFAULT_MAX_LENGTH : max, next) : null;
            }
            case LOCATION -> {
                LocalizedText text = n.text("text", true);
                String var = n.string("var", true);
                Node.Target next = n.target("next");
                yield n.ok ? new Node.Location(id, position, text, var, next) : null;
            }
            case PHOTO -> {
                LocalizedText text = n.text("text", true);
                String var = n.string("var", true);
                Node.Target next = n.target("next");
                yield n.ok ? new Node.Photo(id, position, text, var, next) : null;
            }
            case INFO -> {
                LocalizedText title = n.text("title", true);
                LocalizedText text = n.text("text", true);
                Optional<String> url = Optional.ofNullable(n.string("url", false));
                Node.Target next = n.target("next");
                yield n.ok ? new Node.Info(id, position, title, text, url, next) : null;
            }
            case INCIDENT -> {
                LocalizedText text = n.text("text", true);
                String category = n.stringOr("category_var", "category");
                String description = n.stringOr("description_var", "description");
                String location = n.stringOr("location_var", "location");
                String photo = n.stringOr("photo_var", "photo");
                Optional<String> type = Optional.ofNullable(n.string("type_var", false));
                Node.Target next = n.target("next");
                yield n.ok ? new Node.Incident(id, position, text, category, description, location, photo, type, next)
                        : null;
            }
            case HANDOFF -> {
                LocalizedText text = n.text("text", true);
                String department = n.string("department", true);
                yield n.ok ? new Node.Handoff(id, position, text, department) : null;
            }
            case LANGUAGE -> {
                LocalizedText text = n.text("text", true);
                Node.Target next = n.target("next");
                yield n.ok ? new Node.ChooseLanguage(id, position, text, next) : null;
            }
            case NOTICES -> {
                Node.Target next = n.target("next");
                yield n.ok ? new Node.Notices(id, position, next) : null;
            }
            case APPOINTMENTS -> {
                Node.Target next = n.target("next");
                yield n.ok ? new Node.Appointments(id, position, next) : null;
            }
            case NEWS, AGENDA, PHARMACIES -> {
                String source = n.string("source", true);
                Integer count = n.integer("count", false);
                Optional<String> period = Optional.ofNullable(kind == NodeKind.AGENDA ? n.string("period", false)
                        : null);
                if (period.isPresent() && !Node.Live.PERIODS.contains(period.get())) {
                    issues.add(Issue.error(n.positionOf("period"), Rules.WRONG_TYPE, n.context + " has period \""
                            + period.get() + "\"; an agenda shows " + joined(Node.Live.PERIODS)));
                    n.ok = false;
                }
                Optional<String> near = Optional.ofNullable(kind == NodeKind.PHARMACIES ? n.string("near", false)
                        : null);
                LocalizedText text = n.text("text", true);
                LocalizedText item = n.text("item", true);
                LocalizedText empty = n.text("empty", true);
                Node.Target next = n.target("next");
                yield n.ok ? new Node.Live(id, position, kind, source, period, near,
                        count == null ? DEFAULT_COUNT : count, text, item, empty, next) : null;
            }
            case DIRECTORY -> {
                LocalizedText text = n.text("text", true);
                LocalizedText item = n.text("item", true);
                LocalizedText none = n.text("none", true);
                List<Node.Entry> entries = readEntries(n);
                Node.Target next = n.target("next");
                yield n.ok ? new Node.Directory(id, position, text, item, none, entries, next) : null;
            }
            case END -> {
                Optional<LocalizedText> text = Optional.ofNullable(n.text("text", false));
                yield n.ok ? new Node.End(id, position, text) : null;
            }
        };
        return id == null ? null : node;
    }

    private List<Node.Entry> readEntries(Fields directory) {
        SequenceNode list = directory.list("entries", true);
        List<Node.Entry> entries = new ArrayList<>();
        if (list == null) {
            return entries;
        }
        int number = 0;
        for (org.yaml.snakeyaml.nodes.Node item : list.getValue()) {
            number++;
            String context = "entry " + number + " of " + directory.context;
            if (!(item instanceof MappingNode map)) {
                issues.add(Issue.error(at(item), Rules.WRONG_TYPE,
                        context + " must be a mapping of fields, not " + describe(item)));
                directory.ok = false;
                continue;
            }
            Fields e = new Fields(map, context, directory.prefix + "entries[" + entries.size() + "].");
            LocalizedText name = e.text("name", true);
            String phone = e.string("phone", false);
            String address = e.string("address", false);
            LocalizedText hours = e.text("hours", false);
            LocalizedWords keywords = e.words("keywords", false);
            e.checkKeys(ENTRY_FIELDS);
            directory.local.putAll(e.local);
            if (!e.ok) {
                directory.ok = false;
                continue;
            }
            entries.add(new Node.Entry(name, phone == null ? "" : phone, address == null ? "" : address,
                    Optional.ofNullable(hours), keywords == null ? LocalizedWords.NONE : keywords, at(map)));
        }
        return entries;
    }

    private List<Node.Option> readOptions(Fields menu) {
        SequenceNode list = menu.list("options", true);
        List<Node.Option> options = new ArrayList<>();
        if (list == null) {
            return options;
        }
        int number = 0;
        for (org.yaml.snakeyaml.nodes.Node item : list.getValue()) {
            number++;
            String context = "option " + number + " of " + menu.context;
            if (!(item instanceof MappingNode map)) {
                issues.add(Issue.error(at(item), Rules.WRONG_TYPE,
                        context + " must be a mapping of fields, not " + describe(item)));
                menu.ok = false;
                continue;
            }
            Fields o = new Fields(map, context, menu.prefix + "options[" + options.size() + "].");
            LocalizedText label = o.text("label", true);
            String value = o.string("value", false);
            Node.Target next = o.target("next");
            LocalizedWords examples = o.words("examples", false);
            LocalizedWords keywords = o.words("keywords", false);
            o.checkKeys(OPTION_FIELDS);
            // An option's fields go to the menu's, so they are kept or dropped with it.
            menu.local.putAll(o.local);
            if (!o.ok) {
                menu.ok = false;
                continue;
            }
            options.add(new Node.Option(label, value == null ? "" : value, next, at(map),
                    examples == null ? LocalizedWords.NONE : examples, keywords == null ? LocalizedWords.NONE : keywords));
        }
        return options;
    }

    /**
     * The fields of one YAML mapping as the reader consumes them: reports what is missing or of the wrong
     * type as it goes, and remembers where each value was written.
     */
    private final class Fields {

        private final MappingNode map;
        private final String prefix;
        private final Map<String, NodeTuple> tuples = new LinkedHashMap<>();
        private final List<ScalarNode> repeatedKeys = new ArrayList<>();
        private final Map<String, Position> local = new HashMap<>();
        private String context;
        private boolean ok = true;

        Fields(MappingNode map, String context, String prefix) {
            this.map = map;
            this.context = context;
            this.prefix = prefix;
            for (NodeTuple tuple : map.getValue()) {
                if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                    issues.add(Issue.error(at(tuple.getKeyNode()), Rules.WRONG_TYPE,
                            "field names must be plain words, not " + describe(tuple.getKeyNode())));
                    continue;
                }
                if (tuples.putIfAbsent(key.getValue(), tuple) != null) {
                    repeatedKeys.add(key);
                }
            }
        }

        /** Reports repeated and unknown field names; unknown is most often a typo of a known one. */
        void checkKeys(List<String> known) {
            for (ScalarNode key : repeatedKeys) {
                Position first = at(tuples.get(key.getValue()).getKeyNode());
                issues.add(Issue.error(at(key), Rules.YAML_SYNTAX, "field \"" + key.getValue() + "\" of " + context
                        + " is written twice; first at line " + first.line()));
            }
            for (Map.Entry<String, NodeTuple> entry : tuples.entrySet()) {
                if (!known.contains(entry.getKey())) {
                    issues.add(Issue.error(at(entry.getValue().getKeyNode()), Rules.UNKNOWN_FIELD, context
                            + " has unknown field \"" + entry.getKey() + "\"; known fields: " + joined(known)));
                }
            }
        }

        /** Keeps the positions read here for the validator. */
        void commit() {
            fields.putAll(local);
        }

        Position positionOf(String key) {
            NodeTuple tuple = tuples.get(key);
            return tuple == null ? at(map) : at(tuple.getValueNode());
        }

        /** The value of {@code key}; absent and {@code null} (an empty value) are the same. */
        private org.yaml.snakeyaml.nodes.Node value(String key) {
            NodeTuple tuple = tuples.get(key);
            if (tuple == null || Tag.NULL.equals(tuple.getValueNode().getTag())) {
                return null;
            }
            local.put(prefix + key, at(tuple.getValueNode()));
            return tuple.getValueNode();
        }

        private void missing(String key) {
            issues.add(Issue.error(at(map), Rules.MISSING_FIELD, context + " lacks required field \"" + key + "\""));
            ok = false;
        }

        private void wrongType(String key, org.yaml.snakeyaml.nodes.Node value, String expected) {
            issues.add(Issue.error(at(value), Rules.WRONG_TYPE, "field \"" + key + "\" of " + context + " must be "
                    + expected + ", not " + describe(value)));
            ok = false;
        }

        /**
         * A scalar as written. YAML 1.1 reads {@code no}, {@code 1} or {@code on} as booleans and numbers; a flow
         * field is always text, so the literal is kept whatever type YAML gave it.
         */
        String string(String key, boolean required) {
            var value = value(key);
            if (value == null) {
                if (required) {
                    missing(key);
                }
                return null;
            }
            if (!(value instanceof ScalarNode scalar)) {
                wrongType(key, value, "a text");
                return null;
            }
            return scalar.getValue();
        }

        String stringOr(String key, String fallback) {
            String value = string(key, false);
            return value == null ? fallback : value;
        }

        Integer integer(String key, boolean required) {
            var value = value(key);
            if (value == null) {
                if (required) {
                    missing(key);
                }
                return null;
            }
            if (!(value instanceof ScalarNode scalar) || !Tag.INT.equals(scalar.getTag())) {
                wrongType(key, value, "a whole number");
                return null;
            }
            try {
                return Integer.valueOf(scalar.getValue().replace("_", ""));
            } catch (NumberFormatException e) {
                wrongType(key, value, "a whole number");
                return null;
            }
        }

        /** A required target: its absence is a missing target, the rule editors look for on broken paths. */
        Node.Target target(String key) {
            var value = value(key);
            if (value == null) {
                issues.add(Issue.error(at(map), Rules.MISSING_TARGET,
                        context + " needs \"" + key + "\": where to go after it"));
                ok = false;
                return null;
            }
            if (!(value instanceof ScalarNode scalar)) {
                wrongType(key, value, "a node id or flow:<id>");
                return null;
            }
            return new Node.Target(scalar.getValue(), at(scalar));
        }

        MappingNode mapping(String key, boolean required) {
            var value = value(key);
            if (value == null) {
                if (required) {
                    missing(key);
                }
                return null;
            }
            if (!(value instanceof MappingNode mapping)) {
                wrongType(key, value, "a mapping of fields");
                return null;
            }
            return mapping;
        }

        SequenceNode list(String key, boolean required) {
            var value = value(key);
            if (value == null) {
                if (required) {
                    missing(key);
                }
                return null;
            }
            if (!(value instanceof SequenceNode sequence)) {
                wrongType(key, value, "a list");
                return null;
            }
            return sequence;
        }

        /** A text by language; a missing or blank language is left to the validator's missing-translation. */
        LocalizedText text(String key, boolean required) {
            MappingNode byLanguage = mapping(key, required);
            if (byLanguage == null) {
                return null;
            }
            Map<Language, String> values = new EnumMap<>(Language.class);
            for (NodeTuple tuple : byLanguage.getValue()) {
                Language language = language(key, tuple);
                if (language == null || Tag.NULL.equals(tuple.getValueNode().getTag())) {
                    continue;
                }
                if (tuple.getValueNode() instanceof ScalarNode scalar) {
                    values.put(language, scalar.getValue());
                } else {
                    wrongType(key + "." + language.code(), tuple.getValueNode(), "a text");
                }
            }
            return new LocalizedText(values);
        }

        /**
         * Words by language, each a list; a single word is accepted where a list of one is meant. Each word's
         * position is kept as {@code key.ca[0]}.
         */
        LocalizedWords words(String key, boolean required) {
            MappingNode byLanguage = mapping(key, required);
            if (byLanguage == null) {
                return null;
            }
            Map<Language, List<String>> values = new EnumMap<>(Language.class);
            for (NodeTuple tuple : byLanguage.getValue()) {
                Language language = language(key, tuple);
                var value = tuple.getValueNode();
                if (language == null || Tag.NULL.equals(value.getTag())) {
                    continue;
                }
                if (value instanceof ScalarNode scalar) {
                    local.put(prefix + key + "." + language.code() + "[0]", at(scalar));
                    values.put(language, List.of(scalar.getValue()));
                } else if (value instanceof SequenceNode sequence) {
                    List<String> words = new ArrayList<>();
                    for (var word : sequence.getValue()) {
                        if (word instanceof ScalarNode scalar) {
                            local.put(prefix + key + "." + language.code() + "[" + words.size() + "]", at(scalar));
                            words.add(scalar.getValue());
                        } else {
                            wrongType(key + "." + language.code(), word, "a word");
                        }
                    }
                    values.put(language, words);
                } else {
                    wrongType(key + "." + language.code(), value, "a list of words");
                }
            }
            return new LocalizedWords(values);
        }

        private Language language(String key, NodeTuple tuple) {
            String code = tuple.getKeyNode() instanceof ScalarNode k ? k.getValue() : "";
            Optional<Language> language = Stream.of(Language.values()).filter(l -> l.code().equals(code)).findFirst();
            if (language.isEmpty()) {
                issues.add(Issue.error(at(tuple.getKeyNode()), Rules.UNKNOWN_FIELD, "field \"" + key + "\" of "
                        + context + " has unknown language \"" + code + "\"; known languages: "
                        + joined(Stream.of(Language.values()).map(Language::code).toList())));
                return null;
            }
            return language.get();
        }
    }

    private Position at(org.yaml.snakeyaml.nodes.Node node) {
        return at(node.getStartMark());
    }

    /** SnakeYAML counts lines and columns from 0; editors and compilers from 1. */
    private Position at(Mark mark) {
        return new Position(file, mark.getLine() + 1, mark.getColumn() + 1);
    }

    private static String describe(org.yaml.snakeyaml.nodes.Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        Tag tag = node.getTag();
        if (Tag.INT.equals(tag) || Tag.FLOAT.equals(tag)) {
            return "a number";
        }
        if (Tag.BOOL.equals(tag)) {
            return "a yes/no value";
        }
        return "a text";
    }

    static String joined(Iterable<?> items) {
        List<String> parts = new ArrayList<>();
        items.forEach(i -> parts.add(String.valueOf(i)));
        return parts.stream().collect(Collectors.joining(", "));
    }
}

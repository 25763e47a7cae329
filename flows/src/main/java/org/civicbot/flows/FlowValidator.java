package org.civicbot.flows;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a set of flows as a whole (targets across flows, reachability from the entry flow, translations,
 * channel limits) and reports every problem with the position it was written at.
 */
public final class FlowValidator {

    /** Where an issue about the set as a whole, not about one file, is reported. */
    static final Position ALL_FLOWS = new Position("<flows>", 0, 0);

    private final List<Issue> issues = new ArrayList<>();

    private FlowValidator() {}

    /** Checks flows built in code; positions are those the flows and nodes carry. */
    public static ValidationReport validate(Collection<Flow> flows) {
        return ValidationReport.of(validateRead(flows.stream().map(ReadFlow::of).toList()));
    }

    /**
     * Checks that every option of the menus that choose an incident's category names one of the town's categories
     * ({@code known}: kept as data and managed by admins); each one that does not is an error at the option.
     */
    public static ValidationReport checkCategories(FlowBundle flows, Set<String> known) {
        List<Issue> found = new ArrayList<>();
        for (Node.Option option : flows.categoryOptions()) {
            if (!known.contains(option.value())) {
                found.add(Issue.error(option.position(), Rules.UNKNOWN_CATEGORY, "category \"" + option.value()
                        + "\" is not one of the town's categories; add it (Administration, categories) or choose one"
                        + " of " + String.join(", ", new java.util.TreeSet<>(known))));
            }
        }
        return ValidationReport.of(found);
    }

    /** Checks what the reader made of each file; the reader's own issues are not repeated here. */
    static List<Issue> validateRead(List<ReadFlow> reads) {
        FlowValidator validator = new FlowValidator();
        validator.check(reads);
        return validator.issues;
    }

    private void check(List<ReadFlow> reads) {
        Map<String, ReadFlow> byId = new LinkedHashMap<>();
        for (ReadFlow read : reads) {
            if (read.declaredId().isEmpty()) {
                continue;
            }
            String id = read.declaredId().get();
            ReadFlow first = byId.putIfAbsent(id, read);
            if (first != null) {
                error(read.field("id", read.position()), Rules.DUPLICATE_ID, "flow id \"" + id
                        + "\" is already used at " + first.field("id", first.position()));
            }
        }
        // A file whose id cannot be read may well be the entry flow; its own errors say what to fix.
        boolean everyIdRead = reads.stream().allMatch(r -> r.declaredId().isPresent());
        if (everyIdRead && !byId.containsKey(FlowBundle.ENTRY_FLOW)) {
            error(ALL_FLOWS, Rules.MISSING_ENTRY_FLOW, "no flow has id \"" + FlowBundle.ENTRY_FLOW
                    + "\", the flow every conversation enters at");
        }
        Set<String> menuVars = new HashSet<>();
        for (ReadFlow read : reads) {
            read.flow().ifPresent(flow -> flow.nodes().stream().filter(n -> n.kind() == NodeKind.MENU)
                    .forEach(n -> ((Node.Menu) n).var().ifPresent(menuVars::add)));
        }
        Map<String, Set<String>> flowsReachedFrom = new HashMap<>();
        for (ReadFlow read : reads) {
            if (read.flow().isPresent() && byId.get(read.flow().get().id()) == read) {
                flowsReachedFrom.put(read.flow().get().id(), checkFlow(read, byId.keySet(), menuVars));
            }
        }
        // An unreachable flow is only worth reporting once every file reads: a broken node may be the way in.
        boolean complete = reads.stream().allMatch(ReadFlow::complete);
        if (complete) {
            checkLoops(reads);
        }
        checkPhrases(reads, byId);
        checkLiveTexts(reads, byId);
        checkAppointmentTexts(reads, byId);
        if (complete && byId.containsKey(FlowBundle.ENTRY_FLOW)) {
            Set<String> reached = reach(FlowBundle.ENTRY_FLOW, flowsReachedFrom);
            for (Map.Entry<String, ReadFlow> entry : byId.entrySet()) {
                if (!reached.contains(entry.getKey())) {
                    error(entry.getValue().position(), Rules.UNREACHABLE_NODE, "flow \"" + entry.getKey()
                            + "\" is not reachable from the entry flow \"" + FlowBundle.ENTRY_FLOW + "\"");
                }
            }
        }
    }

    /** Flows that show live sources need the entry flow's words for a source that failed. */
    private void checkLiveTexts(List<ReadFlow> reads, Map<String, ReadFlow> byId) {
        Optional<Node> live = reads.stream().flatMap(r -> r.flow().stream()).flatMap(f -> f.nodes().stream())
                .filter(n -> n.kind().live()).findFirst();
        ReadFlow entry = byId.get(FlowBundle.ENTRY_FLOW);
        if (live.isEmpty() || entry == null || entry.flow().flatMap(Flow::commands).isEmpty()) {
            return;
        }
        Commands.SystemTexts texts = entry.flow().get().commands().get().texts();
        Position at = entry.field("commands.texts", entry.position());
        if (texts.liveStale() == null) {
            error(at, Rules.LIVE_SOURCE, "node \"" + live.get().id() + "\" shows a live source, so commands.texts"
                    + " needs live_stale: what to say under the last good items when the source fails ({date})");
        } else {
            checkText(entry, "commands.texts.", "live_stale", texts.liveStale(), "commands.texts", at);
        }
        if (texts.liveUnavailable() == null) {
            error(at, Rules.LIVE_SOURCE, "node \"" + live.get().id() + "\" shows a live source, so commands.texts"
                    + " needs live_unavailable: what to say when the source has never answered");
        } else {
            checkText(entry, "commands.texts.", "live_unavailable", texts.liveUnavailable(), "commands.texts", at);
        }
    }

    /** Flows with an appointments node need the entry flow's {@code commands.appointments}, in every language. */
    private void checkAppointmentTexts(List<ReadFlow> reads, Map<String, ReadFlow> byId) {
        Optional<Node> node = reads.stream().flatMap(r -> r.flow().stream()).flatMap(f -> f.nodes().stream())
                .filter(n -> n.kind() == NodeKind.APPOINTMENTS).findFirst();
        ReadFlow entry = byId.get(FlowBundle.ENTRY_FLOW);
        if (entry == null || entry.flow().flatMap(Flow::commands).isEmpty()) {
            return;
        }
        Commands.AppointmentTexts texts = entry.flow().get().commands().get().appointments();
        Position at = entry.field("commands.appointments", entry.field("commands", entry.position()));
        if (texts == null) {
            node.ifPresent(n -> error(at, Rules.MISSING_FIELD, "node \"" + n.id() + "\" books appointments, so commands"
                    + " needs \"appointments\": its questions and answers (" + String.join(", ",
                    Commands.AppointmentTexts.KEYS) + ")"));
            return;
        }
        for (String key : Commands.AppointmentTexts.KEYS) {
            checkText(entry, "commands.appointments.", key, texts.get(key), "commands.appointments", at);
        }
    }

    /** Checks one flow; answers the flows its reachable nodes go to. */
    private Set<String> checkFlow(ReadFlow read, Set<String> knownFlows, Set<String> menuVars) {
        Flow flow = read.flow().orElseThrow();
        String name = "flow \"" + flow.id() + "\"";
        boolean entry = flow.id().equals(FlowBundle.ENTRY_FLOW);
        if (entry && flow.commands().isEmpty() && !read.fields().containsKey("commands")) {
            error(flow.position(), Rules.MISSING_COMMANDS, "entry " + name
                    + " has no \"commands\": the words that restart, ask for a person, stop and skip");
        }
        if (!entry && (flow.commands().isPresent() || read.fields().containsKey("commands"))) {
            error(read.field("commands", flow.position()), Rules.COMMANDS_OUTSIDE_ENTRY, name
                    + " has \"commands\", which only the entry flow \"" + FlowBundle.ENTRY_FLOW + "\" may have");
        }
        if (!entry && flow.firstContact().isPresent()) {
            error(read.field("first_contact", flow.position()), Rules.FIRST_CONTACT_OUTSIDE_ENTRY, name
                    + " has \"first_contact\", which only the entry flow \"" + FlowBundle.ENTRY_FLOW + "\" may have");
        }
        flow.commands().ifPresent(commands -> checkCommands(read, commands));

        Map<String, Node> byId = new LinkedHashMap<>();
        for (Node node : flow.nodes()) {
            Node first = byId.putIfAbsent(node.id(), node);
            if (first != null) {
                error(node.position(), Rules.DUPLICATE_ID, "node id \"" + node.id() + "\" is already used in " + name
                        + " at " + first.position());
            }
        }
        Set<String> known = new HashSet<>(byId.keySet());
        known.addAll(read.brokenNodeIds());
        checkEntryPoint(read, "start", flow.start(), known, name);
        flow.firstContact().ifPresent(fc -> checkEntryPoint(read, "first_contact", fc, known, name));

        for (int i = 0; i < flow.nodes().size(); i++) {
            Node node = flow.nodes().get(i);
            for (Node.Target target : node.targets()) {
                checkTarget(node, target, known, knownFlows, name);
            }
            checkNode(read, "nodes[" + i + "].", node, menuVars);
        }

        Set<String> reached = new HashSet<>();
        Deque<String> queue = new ArrayDeque<>();
        queue.add(flow.start());
        flow.firstContact().ifPresent(queue::add);
        Set<String> flowsReached = new HashSet<>();
        while (!queue.isEmpty()) {
            String id = queue.poll();
            Node node = byId.get(id);
            if (node == null || !reached.add(id)) {
                continue;
            }
            for (Node.Target target : node.targets()) {
                if (target.isFlow()) {
                    flowsReached.add(target.flowId());
                } else {
                    queue.add(target.ref());
                }
            }
        }
        if (read.complete()) {
            for (Node node : byId.values()) {
                if (!reached.contains(node.id())) {
                    error(node.position(), Rules.UNREACHABLE_NODE,
                            "node \"" + node.id() + "\" is not reachable from the start of " + name);
                }
            }
        }
        return flowsReached;
    }

    private void checkEntryPoint(ReadFlow read, String field, String ref, Set<String> known, String name) {
        if (!known.contains(ref)) {
            error(read.field(field, read.position()), Rules.DANGLING_TARGET,
                    field + " \"" + ref + "\" is not a node of " + name);
        }
    }

    private void checkTarget(Node node, Node.Target target, Set<String> known, Set<String> knownFlows, String name) {
        if (target.isFlow()) {
            if (!knownFlows.contains(target.flowId())) {
                error(target.position(), Rules.DANGLING_TARGET, "node \"" + node.id() + "\" goes to \"" + target.ref()
                        + "\", but no flow has id \"" + target.flowId() + "\"");
            }
        } else if (!known.contains(target.ref())) {
            error(target.position(), Rules.DANGLING_TARGET, "node \"" + node.id() + "\" goes to \"" + target.ref()
                    + "\", which is not a node of " + name);
        }
    }

    private void checkNode(ReadFlow read, String prefix, Node node, Set<String> menuVars) {
        String name = "node \"" + node.id() + "\"";
        // A switch expression: a new kind that is not checked here does not compile.
        Runnable check = switch (node.kind()) {
            case MESSAGE -> () -> checkText(read, prefix, "text", ((Node.Message) node).text(), name, node.position());
            case MENU -> () -> checkMenu(read, prefix, (Node.Menu) node, name);
            case TEXT -> () -> {
                Node.Text text = (Node.Text) node;
                checkText(read, prefix, "text", text.text(), name, node.position());
                checkBounds(read, prefix, text, name);
            };
            case LOCATION -> () -> checkText(read, prefix, "text", ((Node.Location) node).text(), name, node.position());
            case PHOTO -> () -> checkText(read, prefix, "text", ((Node.Photo) node).text(), name, node.position());
            case INFO -> () -> {
                Node.Info info = (Node.Info) node;
                checkText(read, prefix, "title", info.title(), name, node.position());
                checkText(read, prefix, "text", info.text(), name, node.position());
            };
            case INCIDENT -> () -> {
                Node.Incident incident = (Node.Incident) node;
                checkText(read, prefix, "text", incident.text(), name, node.position());
                if (!menuVars.contains(incident.categoryVar())) {
                    issues.add(Issue.warning(node.position(), Rules.INCIDENT_WITHOUT_CATEGORY, name
                            + " files the incident under variable \"" + incident.categoryVar()
                            + "\", which no menu sets"));
                }
                incident.typeVar().ifPresent(typeVar -> checkRequestTypes(read, name, node, typeVar));
            };
            case HANDOFF -> () -> checkText(read, prefix, "text", ((Node.Handoff) node).text(), name, node.position());
            case LANGUAGE -> () -> checkText(read, prefix, "text", ((Node.ChooseLanguage) node).text(), name,
                    node.position());
            // Its words are the commands' texts (notices_*), checked with them.
            case NOTICES -> () -> { };
            case NEWS, AGENDA, PHARMACIES -> () -> checkLive(read, prefix, (Node.Live) node, name);
            // Its words are commands.appointments, checked with the entry flow.
            case APPOINTMENTS -> () -> { };
            case DIRECTORY -> () -> checkDirectory(read, prefix, (Node.Directory) node, name);
            case END -> () -> ((Node.End) node).text()
                    .ifPresent(text -> checkText(read, prefix, "text", text, name, node.position()));
        };
        check.run();
    }

    private void checkLive(ReadFlow read, String prefix, Node.Live live, String name) {
        checkText(read, prefix, "text", live.text(), name, live.position());
        checkText(read, prefix, "item", live.item(), name, live.position());
        checkText(read, prefix, "empty", live.empty(), name, live.position());
        if (live.count() < 1 || live.count() > Node.Live.MAX_COUNT) {
            error(read.field(prefix + "count", live.position()), Rules.LIVE_SOURCE, name + " shows " + live.count()
                    + " items; it may show 1 to " + Node.Live.MAX_COUNT);
        }
        if (live.source().isBlank()) {
            error(read.field(prefix + "source", live.position()), Rules.LIVE_SOURCE, name
                    + " names no source; write the name of one of civicbot.content.sources");
        }
    }

    private void checkDirectory(ReadFlow read, String prefix, Node.Directory directory, String name) {
        checkText(read, prefix, "text", directory.text(), name, directory.position());
        checkText(read, prefix, "item", directory.item(), name, directory.position());
        checkText(read, prefix, "none", directory.none(), name, directory.position());
        if (directory.entries().isEmpty()) {
            error(read.field(prefix + "entries", directory.position()), Rules.DIRECTORY_ENTRIES, name
                    + " has no entries; write at least one service with its name and phone or address");
        }
        for (int i = 0; i < directory.entries().size(); i++) {
            Node.Entry entry = directory.entries().get(i);
            String at = prefix + "entries[" + i + "].";
            String entryName = "entry " + (i + 1) + " of " + name;
            checkText(read, at, "name", entry.name(), entryName, entry.position());
            entry.hours().ifPresent(hours -> checkText(read, at, "hours", hours, entryName, entry.position()));
            if (entry.phone().isBlank() && entry.address().isBlank()) {
                error(entry.position(), Rules.DIRECTORY_ENTRIES, entryName
                        + " has neither a phone nor an address: a citizen could not reach it");
            }
        }
    }

    private void checkMenu(ReadFlow read, String prefix, Node.Menu menu, String name) {
        checkText(read, prefix, "text", menu.text(), name, menu.position());
        int count = menu.options().size();
        if (count == 0) {
            error(read.field(prefix + "options", menu.position()), Rules.MENU_LIMITS, name + " has no options");
        }
        if (count > ChannelLimits.MAX_MENU_OPTIONS) {
            error(read.field(prefix + "options", menu.position()), Rules.MENU_LIMITS, name + " has " + count
                    + " options; a WhatsApp list holds at most " + ChannelLimits.MAX_MENU_OPTIONS);
        }
        for (int i = 0; i < count; i++) {
            Node.Option option = menu.options().get(i);
            String optionName = "option " + (i + 1) + " of " + name;
            String path = prefix + "options[" + i + "].";
            checkText(read, path, "label", option.label(), optionName, option.position());
            checkWords(read, path + "examples", "examples of " + optionName, option.examples(), option.position(),
                    true);
            checkWords(read, path + "keywords", "keywords of " + optionName, option.keywords(), option.position(),
                    true);
            for (Language language : Language.values()) {
                String label = option.label().values().get(language);
                if (label != null && ChannelLimits.length(label) > ChannelLimits.MAX_OPTION_LABEL_LENGTH) {
                    error(read.field(path + "label", option.position()), Rules.MENU_LIMITS, optionName + " has a "
                            + ChannelLimits.length(label) + "-character label in " + language.code()
                            + "; a button stays readable up to " + ChannelLimits.MAX_OPTION_LABEL_LENGTH);
                }
            }
        }
        for (Language language : Language.values()) {
            String text = menu.text().values().get(language);
            if (text == null || ChannelLimits.length(text) > ChannelLimits.MAX_TEXT_LENGTH) {
                continue;
            }
            int rendered = ChannelLimits.renderedMenuLength(text,
                    menu.options().stream().map(o -> o.label().in(language)).toList());
            if (rendered > ChannelLimits.MAX_TEXT_LENGTH) {
                error(read.field(prefix + "text", menu.position()), Rules.MENU_LIMITS, name + " is " + rendered
                        + " characters in " + language.code() + " with its options listed; a message holds at most "
                        + ChannelLimits.MAX_TEXT_LENGTH);
            }
        }
    }

    private void checkBounds(ReadFlow read, String prefix, Node.Text text, String name) {
        Position min = read.field(prefix + "min_length", text.position());
        Position max = read.field(prefix + "max_length", text.position());
        if (text.minLength() < 0) {
            error(min, Rules.BAD_LENGTH_BOUNDS, name + " has min_length " + text.minLength()
                    + ", but a length cannot be negative");
        }
        if (text.maxLength() < text.minLength()) {
            error(max, Rules.BAD_LENGTH_BOUNDS, name + " has max_length " + text.maxLength()
                    + " below its min_length " + text.minLength() + ", so no answer fits");
        }
        if (text.maxLength() > ChannelLimits.MAX_TEXT_LENGTH) {
            error(max, Rules.BAD_LENGTH_BOUNDS, name + " has max_length " + text.maxLength()
                    + ", more than the " + ChannelLimits.MAX_TEXT_LENGTH + " characters a message holds");
        }
    }

    private void checkCommands(ReadFlow read, Commands commands) {
        Position at = read.field("commands", read.position());
        checkWords(read, "commands.restart", "\"restart\" of commands", commands.restart(), at, false);
        checkWords(read, "commands.human", "\"human\" of commands", commands.human(), at, false);
        checkWords(read, "commands.stop", "\"stop\" of commands", commands.stop(), at, false);
        checkWords(read, "commands.skip", "\"skip\" of commands", commands.skip(), at, false);
        checkWords(read, "commands.yes", "\"yes\" of commands", commands.yes(), at, false);
        checkWords(read, "commands.no", "\"no\" of commands", commands.no(), at, false);
        checkWords(read, "commands.follow", "\"follow\" of commands", commands.follow(), at, false);
        checkWords(read, "commands.unfollow", "\"unfollow\" of commands", commands.unfollow(), at, false);
        checkWords(read, "commands.satisfaction_scale", "\"satisfaction_scale\" of commands",
                commands.satisfactionScale(), at, false);
        for (Language language : Language.values()) {
            int answers = commands.satisfactionScale().in(language).size();
            if (answers != 0 && answers != Commands.SATISFACTION_POINTS) {
                error(read.field("commands.satisfaction_scale", at), Rules.MENU_LIMITS, "\"satisfaction_scale\" has "
                        + answers + " answers in " + language.code() + "; it needs exactly "
                        + Commands.SATISFACTION_POINTS + ", the worst first");
            }
        }
        checkWords(read, "commands.status", "\"status\" of commands", commands.status(), at, true);
        checkWords(read, "commands.language_names", "\"language_names\" of commands", commands.languageNames(), at,
                true);
        for (Command command : Command.values()) {
            checkWords(read, "commands.examples." + command.wireName(), "examples of command \""
                    + command.wireName() + "\"", commands.examples(command), at, true);
        }
        Commands.SystemTexts texts = commands.texts();
        Position textsAt = read.field("commands.texts", at);
        String prefix = "commands.texts.";
        String name = "commands.texts";
        checkText(read, prefix, "not_understood", texts.notUnderstood(), name, textsAt);
        checkText(read, prefix, "too_short", texts.tooShort(), name, textsAt);
        checkText(read, prefix, "too_long", texts.tooLong(), name, textsAt);
        checkText(read, prefix, "location_expected", texts.locationExpected(), name, textsAt);
        checkText(read, prefix, "photo_expected", texts.photoExpected(), name, textsAt);
        checkText(read, prefix, "opted_out", texts.optedOut(), name, textsAt);
        checkText(read, prefix, "human_requested", texts.humanRequested(), name, textsAt);
        checkText(read, prefix, "thanks", texts.thanks(), name, textsAt);
        checkText(read, prefix, "greeting", texts.greeting(), name, textsAt);
        checkText(read, prefix, "can_help_with", texts.canHelpWith(), name, textsAt);
        checkText(read, prefix, "did_you_mean", texts.didYouMean(), name, textsAt);
        checkText(read, prefix, "handoff_warning", texts.handoffWarning(), name, textsAt);
        checkText(read, prefix, "language_changed", texts.languageChanged(), name, textsAt);
        checkText(read, prefix, "status_none", texts.statusNone(), name, textsAt);
        checkText(read, prefix, "status_list", texts.statusList(), name, textsAt);
        checkText(read, prefix, "status_line", texts.statusLine(), name, textsAt);
        checkText(read, prefix, "status_own_line", texts.statusOwnLine(), name, textsAt);
        checkText(read, prefix, "status_detail", texts.statusDetail(), name, textsAt);
        checkText(read, prefix, "status_own_detail", texts.statusOwnDetail(), name, textsAt);
        checkText(read, prefix, "status_new", texts.statusNew(), name, textsAt);
        checkText(read, prefix, "status_in_progress", texts.statusInProgress(), name, textsAt);
        checkText(read, prefix, "status_closed", texts.statusClosed(), name, textsAt);
        checkText(read, prefix, "status_unknown", texts.statusUnknown(), name, textsAt);
        checkText(read, prefix, "photo_added", texts.photoAdded(), name, textsAt);
        checkText(read, prefix, "photos_full", texts.photosFull(), name, textsAt);
        checkText(read, prefix, "location_outside", texts.locationOutside(), name, textsAt);
        checkText(read, prefix, "location_confirm", texts.locationConfirm(), name, textsAt);
        checkText(read, prefix, "unsupported", texts.unsupported(), name, textsAt);
        checkText(read, prefix, "status_follow", texts.statusFollow(), name, textsAt);
        checkText(read, prefix, "follow_which", texts.followWhich(), name, textsAt);
        checkText(read, prefix, "follow_started", texts.followStarted(), name, textsAt);
        checkText(read, prefix, "follow_stopped", texts.followStopped(), name, textsAt);
        checkText(read, prefix, "follow_closed", texts.followClosed(), name, textsAt);
        checkText(read, prefix, "duplicate_question", texts.duplicateQuestion(), name, textsAt);
        checkText(read, prefix, "duplicate_yes", texts.duplicateYes(), name, textsAt);
        checkText(read, prefix, "duplicate_no", texts.duplicateNo(), name, textsAt);
        checkText(read, prefix, "duplicate_joined", texts.duplicateJoined(), name, textsAt);
        checkText(read, prefix, "satisfaction_thanks", texts.satisfactionThanks(), name, textsAt);
        checkText(read, prefix, "satisfaction_comment", texts.satisfactionComment(), name, textsAt);
        checkText(read, prefix, "notices_menu", texts.noticesMenu(), name, textsAt);
        checkText(read, prefix, "notices_none", texts.noticesNone(), name, textsAt);
        checkText(read, prefix, "notices_line", texts.noticesLine(), name, textsAt);
        checkText(read, prefix, "notices_add", texts.noticesAdd(), name, textsAt);
        checkText(read, prefix, "notices_remove", texts.noticesRemove(), name, textsAt);
        checkText(read, prefix, "notices_remove_all", texts.noticesRemoveAll(), name, textsAt);
        checkText(read, prefix, "notices_back", texts.noticesBack(), name, textsAt);
        checkText(read, prefix, "notices_topic", texts.noticesTopic(), name, textsAt);
        checkText(read, prefix, "notices_area", texts.noticesArea(), name, textsAt);
        checkText(read, prefix, "notices_whole_town", texts.noticesWholeTown(), name, textsAt);
        checkText(read, prefix, "notices_which", texts.noticesWhich(), name, textsAt);
        checkText(read, prefix, "notices_added", texts.noticesAdded(), name, textsAt);
        checkText(read, prefix, "notices_removed", texts.noticesRemoved(), name, textsAt);
        checkText(read, prefix, "notices_removed_all", texts.noticesRemovedAll(), name, textsAt);
        checkText(read, prefix, "understood", texts.understood(), name, textsAt);
        if (texts.flowChanged() != null) {
            checkText(read, prefix, "flow_changed", texts.flowChanged(), name, textsAt);
        }
        if (texts.locationPhoto() != null) {
            checkText(read, prefix, "location_photo", texts.locationPhoto(), name, textsAt);
        }
        Commands.NoticeTexts notices = commands.notices();
        Position noticesAt = read.field("commands.notices", at);
        String n = "commands.notices.";
        String notice = "commands.notices";
        checkText(read, n, "queue_wait", notices.queueWait(), notice, noticesAt);
        checkText(read, n, "queue_closed", notices.queueClosed(), notice, noticesAt);
        checkText(read, n, "when", notices.when(), notice, noticesAt);
        checkText(read, n, "incident_in_progress", notices.incidentInProgress(), notice, noticesAt);
        checkText(read, n, "incident_assigned", notices.incidentAssigned(), notice, noticesAt);
        checkText(read, n, "incident_update", notices.incidentUpdate(), notice, noticesAt);
        checkText(read, n, "incident_closed", notices.incidentClosed(), notice, noticesAt);
        checkText(read, n, "incident_closed_note", notices.incidentClosedNote(), notice, noticesAt);
        checkText(read, n, "incident_reopened", notices.incidentReopened(), notice, noticesAt);
        checkText(read, n, "incident_registered", notices.incidentRegistered(), notice, noticesAt);
        checkText(read, n, "satisfaction_incident", notices.satisfactionIncident(), notice, noticesAt);
        checkText(read, n, "satisfaction_chat", notices.satisfactionChat(), notice, noticesAt);
        checkText(read, n, "outcome_positive", notices.outcomePositive(), notice, noticesAt);
        checkText(read, n, "outcome_negative", notices.outcomeNegative(), notice, noticesAt);
        checkText(read, n, "outcome_not_our_competence", notices.outcomeNotOurCompetence(), notice, noticesAt);
        checkText(read, n, "outcome_suspended", notices.outcomeSuspended(), notice, noticesAt);
        checkText(read, n, "outcome_duplicate", notices.outcomeDuplicate(), notice, noticesAt);
        checkText(read, n, "outcome_improper", notices.outcomeImproper(), notice, noticesAt);
        checkText(read, n, "incident_merged", notices.incidentMerged(), notice, noticesAt);
        checkText(read, n, "request_incident", notices.requestIncident(), notice, noticesAt);
        checkText(read, n, "request_other", notices.requestOther(), notice, noticesAt);
        checkText(read, n, "announcement", notices.announcement(), notice, noticesAt);
        Commands.PageTexts page = notices.page();
        checkText(read, n, "page_title", page.title(), notice, noticesAt);
        checkText(read, n, "page_intro", page.intro(), notice, noticesAt);
        checkText(read, n, "page_step_received", page.stepReceived(), notice, noticesAt);
        checkText(read, n, "page_step_in_progress", page.stepInProgress(), notice, noticesAt);
        checkText(read, n, "page_step_closed", page.stepClosed(), notice, noticesAt);
        checkText(read, n, "page_updates", page.updates(), notice, noticesAt);
        checkText(read, n, "page_update_received", page.received(), notice, noticesAt);
        checkText(read, n, "page_update_in_progress", page.inProgress(), notice, noticesAt);
        checkText(read, n, "page_update_assigned", page.assigned(), notice, noticesAt);
        checkText(read, n, "page_update_closed", page.closed(), notice, noticesAt);
        checkText(read, n, "page_update_reopened", page.reopened(), notice, noticesAt);
        checkText(read, n, "page_privacy", page.privacy(), notice, noticesAt);
        checkText(read, n, "page_not_found", page.notFound(), notice, noticesAt);
    }

    /** Every language has words, when the list is required or written at all. */
    private void checkWords(ReadFlow read, String path, String name, LocalizedWords words, Position fallback,
            boolean optional) {
        if (optional && words.isEmpty()) {
            return;
        }
        List<String> missing = new ArrayList<>();
        for (Language language : Language.values()) {
            if (words.in(language).stream().allMatch(String::isBlank)) {
                missing.add(language.code());
            }
        }
        if (!missing.isEmpty()) {
            error(read.field(path, fallback), Rules.MISSING_TRANSLATION, name + " has no words in "
                    + FlowReader.joined(missing));
        }
    }

    /**
     * No phrase names two targets that lead to different places: a citizen writing it could not be routed.
     * Phrases are compared as the matcher sees them, so "Incidència" and "incidencies" are one phrase.
     */
    private void checkPhrases(List<ReadFlow> reads, Map<String, ReadFlow> byId) {
        List<Intents.Phrase> phrases = new ArrayList<>();
        for (ReadFlow read : reads) {
            if (read.flow().isEmpty() || byId.get(read.flow().get().id()) != read) {
                continue;
            }
            Flow flow = read.flow().get();
            flow.commands().ifPresent(commands -> phrases.addAll(
                    Intents.ofCommands(commands, read::field, read.field("commands", flow.position()))));
            phrases.addAll(Intents.ofFlow(flow, read::field));
        }
        Map<String, Intents.Phrase> claimed = new HashMap<>();
        for (Intents.Phrase phrase : phrases) {
            String key = Phrases.key(phrase.language(), phrase.text());
            if (key.isEmpty()) {
                error(phrase.position(), Rules.INTENT_CONFLICT, "phrase \"" + phrase.text() + "\" ("
                        + phrase.language().code() + ") of " + phrase.target() + " has no word to match");
                continue;
            }
            Intents.Phrase first = claimed.putIfAbsent(phrase.language().code() + " " + key, phrase);
            if (first != null && !first.target().equals(phrase.target())) {
                error(phrase.position(), Rules.INTENT_CONFLICT, "phrase \"" + phrase.text() + "\" ("
                        + phrase.language().code() + ") of " + phrase.target() + " is already claimed by "
                        + first.target() + " (\"" + first.text() + "\" at " + first.position()
                        + "); keep it under one of them");
            }
        }
    }

    /** The menus that set an incident node's {@code type_var} offer request types only. */
    private void checkRequestTypes(ReadFlow read, String name, Node node, String typeVar) {
        boolean set = false;
        for (Node other : read.flow().map(Flow::nodes).orElse(List.of())) {
            if (other instanceof Node.Menu menu && menu.var().filter(typeVar::equals).isPresent()) {
                set = true;
                for (Node.Option option : menu.options()) {
                    if (RequestType.fromWire(option.value()).isEmpty()) {
                        error(option.position(), Rules.WRONG_TYPE, "option \"" + option.value() + "\" of menu \""
                                + menu.id() + "\" sets the request type of " + name + "; it must be one of "
                                + java.util.Arrays.stream(RequestType.values()).map(RequestType::wireName)
                                        .collect(java.util.stream.Collectors.joining(", ")));
                    }
                }
            }
        }
        if (!set) {
            issues.add(Issue.warning(node.position(), Rules.INCIDENT_WITHOUT_CATEGORY, name
                    + " takes its request type from variable \"" + typeVar + "\", which no menu sets"));
        }
    }

    private void checkText(ReadFlow read, String prefix, String field, LocalizedText text, String owner,
            Position fallback) {
        Position at = read.field(prefix + field, fallback);
        List<String> missing = new ArrayList<>();
        for (Language language : Language.values()) {
            String value = text.values().get(language);
            if (value == null || value.isBlank()) {
                missing.add(language.code());
            } else if (ChannelLimits.length(value) > ChannelLimits.MAX_TEXT_LENGTH) {
                error(at, Rules.TEXT_TOO_LONG, "\"" + field + "\" of " + owner + " is " + ChannelLimits.length(value)
                        + " characters in " + language.code() + "; a message holds at most "
                        + ChannelLimits.MAX_TEXT_LENGTH);
            }
        }
        if (!missing.isEmpty()) {
            error(at, Rules.MISSING_TRANSLATION, "\"" + field + "\" of " + owner + " lacks a translation in "
                    + FlowReader.joined(missing));
        }
    }

    /**
     * Finds cycles through nodes that go on without waiting (message, info, incident), following
     * {@code flow:} targets to the other flow's start. Each cycle is reported once, at its first node.
     */
    private void checkLoops(List<ReadFlow> reads) {
        Map<String, Node> nodes = new LinkedHashMap<>();
        Map<String, String> starts = new HashMap<>();
        for (ReadFlow read : reads) {
            read.flow().ifPresent(flow -> {
                starts.putIfAbsent(flow.id(), flow.id() + "/" + flow.start());
                flow.nodes().forEach(n -> nodes.putIfAbsent(flow.id() + "/" + n.id(), n));
            });
        }
        Set<String> done = new HashSet<>();
        for (String start : nodes.keySet()) {
            List<String> path = new ArrayList<>();
            String current = start;
            while (current != null && !done.contains(current)) {
                int seen = path.indexOf(current);
                if (seen >= 0) {
                    List<String> cycle = new ArrayList<>(path.subList(seen, path.size()));
                    cycle.add(current);
                    error(nodes.get(current).position(), Rules.ENDLESS_LOOP, "node \"" + current
                            + "\" starts a loop of nodes that never wait for an answer: " + String.join(" -> ", cycle));
                    break;
                }
                path.add(current);
                Node node = nodes.get(current);
                boolean passesThrough = node != null && (node.kind() == NodeKind.MESSAGE
                        || node.kind() == NodeKind.INFO || node.kind() == NodeKind.INCIDENT);
                if (!passesThrough || node.targets().isEmpty()) {
                    break;
                }
                Node.Target next = node.targets().get(0);
                String flowId = current.substring(0, current.indexOf('/'));
                current = next.isFlow() ? starts.get(next.flowId()) : flowId + "/" + next.ref();
            }
            done.addAll(path);
        }
    }

    private static Set<String> reach(String entry, Map<String, Set<String>> edges) {
        Set<String> reached = new HashSet<>();
        Deque<String> queue = new ArrayDeque<>(List.of(entry));
        while (!queue.isEmpty()) {
            String id = queue.poll();
            if (reached.add(id)) {
                queue.addAll(Optional.ofNullable(edges.get(id)).orElse(Set.of()));
            }
        }
        return reached;
    }

    private void error(Position position, String rule, String message) {
        issues.add(Issue.error(position, rule, message));
    }
}

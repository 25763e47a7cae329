package org.civicbot.flows;

import java.util.List;
import java.util.Optional;

/**
 * One step of a flow. Each kind is a record below; {@link #targets()} lists where it may go next,
 * as node ids of the same flow or {@code flow:<id>} for the start of another flow.
 */
public sealed interface Node {

    String id();

    NodeKind kind();

    Position position();

    /** Every target this node may go to, with the position of the field that names it. */
    List<Target> targets();

    /** A reference to another node, and where the reference is written. */
    record Target(String ref, Position position) {

        public static final String FLOW_PREFIX = "flow:";

        public boolean isFlow() {
            return ref.startsWith(FLOW_PREFIX);
        }

        public String flowId() {
            return ref.substring(FLOW_PREFIX.length());
        }
    }

    /**
     * An option of a menu: its label, the value stored in the menu's variable, where it goes, and the phrases
     * and keywords that name it in a sentence written anywhere ({@link LocalizedWords#NONE} when it has none).
     */
    record Option(LocalizedText label, String value, Target next, Position position, LocalizedWords examples,
            LocalizedWords keywords) {}

    record Message(String id, Position position, LocalizedText text, Target next) implements Node {
        public NodeKind kind() { return NodeKind.MESSAGE; }
        public List<Target> targets() { return List.of(next); }
    }

    record Menu(String id, Position position, LocalizedText text, List<Option> options, Optional<String> var)
            implements Node {
        public Menu {
            options = List.copyOf(options);
        }
        public NodeKind kind() { return NodeKind.MENU; }
        public List<Target> targets() { return options.stream().map(Option::next).toList(); }
    }

    record Text(String id, Position position, LocalizedText text, String var, int minLength, int maxLength,
            Target next) implements Node {
        public NodeKind kind() { return NodeKind.TEXT; }
        public List<Target> targets() { return List.of(next); }
    }

    record Location(String id, Position position, LocalizedText text, String var, Target next) implements Node {
        public NodeKind kind() { return NodeKind.LOCATION; }
        public List<Target> targets() { return List.of(next); }
    }

    record Photo(String id, Position position, LocalizedText text, String var, Target next) implements Node {
        public NodeKind kind() { return NodeKind.PHOTO; }
        public List<Target> targets() { return List.of(next); }
    }

    record Info(String id, Position position, LocalizedText title, LocalizedText text, Optional<String> url,
            Target next) implements Node {
        public NodeKind kind() { return NodeKind.INFO; }
        public List<Target> targets() { return List.of(next); }
    }

    /**
     * Creates an incident from the variables named here. {@code text} is the confirmation and may
     * contain {@code {incident.code}}, which the host fills in once the code is allocated.
     */
    /**
     * Files what the citizen told: an incident, or the {@link RequestType} a menu stored in {@code typeVar}
     * (a suggestion, a complaint, a question).
     */
    record Incident(String id, Position position, LocalizedText text, String categoryVar, String descriptionVar,
            String locationVar, String photoVar, Optional<String> typeVar, Target next) implements Node {
        public NodeKind kind() { return NodeKind.INCIDENT; }
        public List<Target> targets() { return List.of(next); }
    }

    /** The contact's notice subscriptions, in the words of {@code commands.texts.notices_*}. */
    record Notices(String id, Position position, Target next) implements Node {
        public NodeKind kind() { return NodeKind.NOTICES; }
        public List<Target> targets() { return List.of(next); }
    }

    /**
     * The items of a live information source: {@code text} as a heading, then {@code item} once per item (at most
     * {@code count}) with the item's fields as placeholders, or {@code empty} when there is none.
     *
     * @param kind {@link NodeKind#NEWS}, {@link NodeKind#AGENDA} or {@link NodeKind#PHARMACIES}
     * @param source the source's name ({@code civicbot.content.sources.<name>})
     * @param period an agenda's days: {@code today}, {@code weekend} or {@code week} (the next 7 days)
     * @param near a location variable: the pharmacies nearest to it come first, with their distance
     */
    record Live(String id, Position position, NodeKind kind, String source, Optional<String> period,
            Optional<String> near, int count, LocalizedText text, LocalizedText item, LocalizedText empty, Target next)
            implements Node {
        public static final List<String> PERIODS = List.of("today", "weekend", "week");
        public static final int MAX_COUNT = 10;

        public List<Target> targets() { return List.of(next); }
    }

    /**
     * The town's directory of services: asks for a word ({@code text}), answers with the entries it names, a
     * line each in the words of {@code item} ({@code {name}}, {@code {phone}}, {@code {address}}, {@code {hours}}),
     * and goes on; when none matches, says {@code none} and asks again.
     */
    record Directory(String id, Position position, LocalizedText text, LocalizedText item, LocalizedText none,
            List<Entry> entries, Target next) implements Node {
        public Directory {
            entries = List.copyOf(entries);
        }
        public NodeKind kind() { return NodeKind.DIRECTORY; }
        public List<Target> targets() { return List.of(next); }
    }

    /** One service of the directory; it is found by the words of its name and its keywords, in any language. */
    record Entry(LocalizedText name, String phone, String address, Optional<LocalizedText> hours,
            LocalizedWords keywords, Position position) {}

    /** Cita prèvia, in the words of {@code commands.appointments}: book, move, cancel; then {@code next}. */
    record Appointments(String id, Position position, Target next) implements Node {
        public NodeKind kind() { return NodeKind.APPOINTMENTS; }
        public List<Target> targets() { return List.of(next); }
    }

    record Handoff(String id, Position position, LocalizedText text, String department) implements Node {
        public NodeKind kind() { return NodeKind.HANDOFF; }
        public List<Target> targets() { return List.of(); }
    }

    record ChooseLanguage(String id, Position position, LocalizedText text, Target next) implements Node {
        public NodeKind kind() { return NodeKind.LANGUAGE; }
        public List<Target> targets() { return List.of(next); }
    }

    record End(String id, Position position, Optional<LocalizedText> text) implements Node {
        public NodeKind kind() { return NodeKind.END; }
        public List<Target> targets() { return List.of(); }
    }
}

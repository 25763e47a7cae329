package org.civicbot.flows;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The phrases that name something in a sentence, whatever the bot just asked: the global commands' examples and
 * the options that carry examples or keywords (services, incident categories), with their labels. Each belongs
 * to a target whose id says where it leads:
 * <ul>
 *   <li>{@code command:human}, {@code command:status}... for a {@link Command};</li>
 *   <li>{@code incident/category=roads_pavements} for an option of a menu that stores a value in a variable;</li>
 *   <li>otherwise the option's destination: {@code info} for {@code flow:info}, {@code main/appointment} for the
 *       node {@code appointment} of flow {@code main}.</li>
 * </ul>
 * So two options in two menus that lead to the same place are one target.
 */
public final class Intents {

    /** Where a phrase comes from: an option's label, an editor's example sentence, or a keyword. */
    public enum Source { LABEL, EXAMPLE, KEYWORD }

    /**
     * One phrase of one target, in one language.
     *
     * @param option the option it names; empty for a command
     * @param command the command it says; empty for an option
     */
    public record Phrase(String target, Language language, String text, Source source, Position position,
            Optional<OptionRef> option, Optional<Command> command) {}

    /** An option of a menu, by where it is written. */
    public record OptionRef(String flowId, String menuId, int index) {}

    private Intents() {}

    /** The target id of an option of {@code menu} in {@code flow}. */
    public static String targetOf(Flow flow, Node.Menu menu, Node.Option option) {
        if (menu.var().isPresent() && option.value() != null && !option.value().isBlank()) {
            return flow.id() + "/" + menu.id() + "=" + option.value();
        }
        Node.Target next = option.next();
        return next.isFlow() ? next.flowId() : flow.id() + "/" + next.ref();
    }

    /** Every phrase of the bundle, commands first, then options in the order the files list them. */
    public static List<Phrase> of(FlowBundle bundle) {
        List<Phrase> phrases = new ArrayList<>();
        phrases.addAll(ofCommands(bundle.commands(), (path, fallback) -> fallback, bundle.entry().position()));
        bundle.flows().values().forEach(flow -> phrases.addAll(ofFlow(flow, (path, fallback) -> fallback)));
        return phrases;
    }

    /**
     * The phrases of the commands; {@code position} finds where a path such as
     * {@code commands.examples.human.ca[2]} was written.
     */
    static List<Phrase> ofCommands(Commands commands, BiFunction<String, Position, Position> position,
            Position fallback) {
        List<Phrase> phrases = new ArrayList<>();
        for (Command command : Command.values()) {
            String path = "commands.examples." + command.wireName();
            add(phrases, commands.examples(command), Source.EXAMPLE, command.target(), path,
                    position.apply(path, fallback), position, Optional.empty(), Optional.of(command));
        }
        return phrases;
    }

    /** The phrases of the options of one flow that carry examples or keywords. */
    static List<Phrase> ofFlow(Flow flow, BiFunction<String, Position, Position> position) {
        List<Phrase> phrases = new ArrayList<>();
        for (int n = 0; n < flow.nodes().size(); n++) {
            if (!(flow.nodes().get(n) instanceof Node.Menu menu)) {
                continue;
            }
            for (int i = 0; i < menu.options().size(); i++) {
                Node.Option option = menu.options().get(i);
                if (option.examples().isEmpty() && option.keywords().isEmpty()) {
                    continue;
                }
                String target = targetOf(flow, menu, option);
                String path = "nodes[" + n + "].options[" + i + "].";
                Optional<OptionRef> ref = Optional.of(new OptionRef(flow.id(), menu.id(), i));
                Position labelAt = position.apply(path + "label", option.position());
                option.label().values().forEach((language, label) -> phrases.add(
                        new Phrase(target, language, label, Source.LABEL, labelAt, ref, Optional.empty())));
                add(phrases, option.examples(), Source.EXAMPLE, target, path + "examples",
                        option.position(), position, ref, Optional.empty());
                add(phrases, option.keywords(), Source.KEYWORD, target, path + "keywords",
                        option.position(), position, ref, Optional.empty());
            }
        }
        return phrases;
    }

    private static void add(List<Phrase> phrases, LocalizedWords words, Source source, String target, String path,
            Position fallback, BiFunction<String, Position, Position> position, Optional<OptionRef> option,
            Optional<Command> command) {
        words.values().forEach((language, list) -> {
            for (int k = 0; k < list.size(); k++) {
                Position at = position.apply(path + "." + language.code() + "[" + k + "]", fallback);
                phrases.add(new Phrase(target, language, list.get(k), source, at, option, command));
            }
        });
    }
}

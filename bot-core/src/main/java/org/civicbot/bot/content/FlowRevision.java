package org.civicbot.bot.content;

import java.time.Instant;
import java.util.List;
import org.civicbot.flows.FlowSource;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;

/**
 * A published state of the whole bot: every flow file as it was when someone published, numbered from 1 (the
 * built-in flows, or {@code civicbot.flows-dir}'s, the first time the store is used). The newest is the one in force;
 * a rollback publishes an earlier file again, as a new revision, so the history only grows.
 *
 * @param number its place in the history; unique, so two publishes at once cannot both be the next one
 * @param files every flow file, by name ({@code main.yaml})
 * @param changed the files this revision changed (all of them for the first)
 * @param comment what the editor said it changes
 * @param restoredFrom for a rollback, the revision whose file it published again
 * @param override for a publish an admin forced past failing conversation tests, why; null otherwise
 */
@org.springframework.data.mongodb.core.mapping.Document("flow_revisions")
public record FlowRevision(@Id long number, List<File> files, List<String> changed, String comment, String by,
        Instant at, Long restoredFrom, String override) {

    @PersistenceCreator
    public FlowRevision {
        files = files == null ? List.of() : List.copyOf(files);
        changed = changed == null ? List.of() : List.copyOf(changed);
    }

    /** A flow file: its name and its YAML. */
    public record File(String name, String yaml) {}

    /** The files as the flow reader takes them. */
    public List<FlowSource> sources() {
        return files.stream().map(f -> new FlowSource(f.name(), f.yaml())).toList();
    }

    /** The file of that name, if this revision has it. */
    public java.util.Optional<File> file(String name) {
        return files.stream().filter(f -> f.name().equals(name)).findFirst();
    }
}

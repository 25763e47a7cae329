package org.civicbot.flows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The version of the flow file format, apart from any flow's content revision, and the migrations that bring
 * an older file up to {@link #CURRENT} before it is read.
 */
public final class FlowSpec {

    /** The version this build writes and reads natively. */
    public static final int CURRENT = 1;

    /**
     * One migration per version, keyed by the version it reads: the migration for {@code n} rewrites a file of
     * spec {@code n} into spec {@code n + 1}. Spec 1 is the first, so there is none yet; when spec 2 comes, the
     * entry {@code 1 -> ...} goes here together with a data-file test of a spec 1 file and its spec 2 result.
     */
    static final Map<Integer, Migration> MIGRATIONS = Map.of();

    /** Rewrites a flow file's node tree, in place, from one spec version into the next. */
    @FunctionalInterface
    interface Migration {
        void apply(MappingNode root);
    }

    private FlowSpec() {}

    /** The versions this build can read: {@link #CURRENT} and every older one a chain of migrations lifts. */
    public static SortedSet<Integer> supported() {
        return supported(MIGRATIONS, CURRENT);
    }

    static SortedSet<Integer> supported(Map<Integer, Migration> migrations, int current) {
        SortedSet<Integer> versions = new TreeSet<>();
        versions.add(current);
        for (int v = current - 1; migrations.containsKey(v); v--) {
            versions.add(v);
        }
        return versions;
    }

    static MappingNode migrate(MappingNode root, int from) {
        return migrate(root, from, MIGRATIONS, CURRENT);
    }

    /**
     * Applies every migration from {@code from} up to {@code target}, then writes {@code spec: target}, keeping
     * the marks of the original value so positions still point into the file as written.
     */
    static MappingNode migrate(MappingNode root, int from, Map<Integer, Migration> migrations, int target) {
        if (!supported(migrations, target).contains(from)) {
            throw new IllegalArgumentException("spec " + from + " cannot be migrated to " + target);
        }
        if (from == target) {
            return root;
        }
        for (int v = from; v < target; v++) {
            migrations.get(v).apply(root);
        }
        List<NodeTuple> tuples = new ArrayList<>(root.getValue());
        for (int i = 0; i < tuples.size(); i++) {
            NodeTuple tuple = tuples.get(i);
            if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals("spec")) {
                var old = tuple.getValueNode();
                tuples.set(i, new NodeTuple(key, new ScalarNode(Tag.INT, String.valueOf(target), old.getStartMark(),
                        old.getEndMark(), DumperOptions.ScalarStyle.PLAIN)));
            }
        }
        root.setValue(tuples);
        return root;
    }
}

package org.civicbot.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

class FlowSpecTests {

    static final String SPEC_1 = "spec: 1\nid: f\nstart: bye\nnodes:\n- {id: bye, kind: end}\n";

    static MappingNode compose(String yaml) {
        return (MappingNode) new Yaml().compose(new StringReader(yaml));
    }

    static String dump(MappingNode node) {
        StringWriter out = new StringWriter();
        new Yaml().serialize(node, out);
        return out.toString();
    }

    @Test
    void readsSpecOneOnlyForNow() {
        assertThat(FlowSpec.CURRENT).isEqualTo(1);
        assertThat(FlowSpec.supported()).containsExactly(1);
    }

    @Test
    void passesACurrentFileThroughUnchanged() {
        MappingNode root = compose(SPEC_1);
        String before = dump(root);

        assertThat(FlowSpec.migrate(root, 1)).isSameAs(root);
        assertThat(dump(root)).isEqualTo(before);
    }

    @Test
    void refusesANewerSpecAsUnsupported() {
        String report = Flows.check(java.util.List.of(new FlowSource("main.yaml", SPEC_1.replace("spec: 1", "spec: 2").replace("id: f", "id: main"))))
                .format();

        assertThat(report).isEqualTo(
                "main.yaml:1:7: error [unsupported-spec] spec 2 is not supported; this build reads spec 1");
        assertThatThrownBy(() -> FlowSpec.migrate(compose(SPEC_1), 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void appliesOneMigrationPerVersionAndWritesTheNewSpec() {
        // A made-up spec 2 that renamed "start" to "begin": the shape a real migration will take.
        Map<Integer, FlowSpec.Migration> migrations = Map.of(1, root -> root.getValue().replaceAll(tuple ->
                ((ScalarNode) tuple.getKeyNode()).getValue().equals("start")
                        ? new NodeTuple(new ScalarNode(((ScalarNode) tuple.getKeyNode()).getTag(), "begin",
                                tuple.getKeyNode().getStartMark(), tuple.getKeyNode().getEndMark(),
                                ((ScalarNode) tuple.getKeyNode()).getScalarStyle()), tuple.getValueNode())
                        : tuple));

        assertThat(FlowSpec.supported(migrations, 2)).containsExactly(1, 2);
        MappingNode migrated = FlowSpec.migrate(compose(SPEC_1), 1, migrations, 2);

        assertThat(dump(migrated)).isEqualTo(dump(compose(SPEC_1.replace("spec: 1", "spec: 2")
                .replace("start:", "begin:"))));
        assertThat(migrated.getValue().get(0).getValueNode().getStartMark().getColumn()).isEqualTo(6);
    }
}

package org.civicbot.flows;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Every node kind is described for editors: a section of its own in docs/flows.md. (The reader, the
 * validator and the engine handle kinds in switch expressions, so a kind one of them forgets does not
 * compile; the schema and the golden conversation cases have guard tests of their own.)
 */
class NodeKindDocsTests {

    @Test
    void everyKindHasItsSectionInTheFlowsGuide() throws IOException {
        String guide = Files.readString(Path.of("..", "docs", "flows.md"));
        for (NodeKind kind : NodeKind.values()) {
            assertThat(guide).as("docs/flows.md section for %s", kind).contains("\n### " + kind.wireName() + "\n");
        }
    }

    @Test
    void aKindWaitsExactlyWhenItAsksTheCitizenSomething() {
        assertThat(java.util.Arrays.stream(NodeKind.values()).filter(NodeKind::waits))
                .containsExactlyInAnyOrder(NodeKind.MENU, NodeKind.TEXT, NodeKind.LOCATION, NodeKind.PHOTO,
                        NodeKind.LANGUAGE, NodeKind.NOTICES, NodeKind.DIRECTORY, NodeKind.APPOINTMENTS);
    }
}

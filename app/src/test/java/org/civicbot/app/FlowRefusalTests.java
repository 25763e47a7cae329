package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.civicbot.flows.FlowSource;
import org.civicbot.flows.Flows;
import org.civicbot.flows.InvalidFlowsException;
import org.junit.jupiter.api.Test;

/** The app does not start on flows that do not validate, and says exactly what is wrong. */
class FlowRefusalTests {

    /** An editor copies the default flows, as the README says, and mistypes one target. */
    @Test
    void refusesToStartOnABrokenFlowAndReportsWhere() throws IOException {
        Path flows = Files.createTempDirectory("civicbot-flows-");
        for (FlowSource source : Flows.defaults()) {
            String yaml = source.fileName().equals("main.yaml")
                    ? source.yaml().replaceFirst("\n    next: main_menu\n", "\n    next: main_manu\n") : source.yaml();
            Files.writeString(flows.resolve(source.fileName()), yaml);
        }
        List<String> lines = Files.readAllLines(flows.resolve("main.yaml"));
        int line = 0;
        while (!lines.get(line).contains("next: main_manu")) {
            line++;
        }
        int column = lines.get(line).indexOf("main_manu") + 1;

        assertThatThrownBy(() -> FullStackTest.separateApp().run(
                "--server.port=0", "--management.server.port=-1", "--civicbot.data-dir=" + FullStackTest.tempDir(), "--civicbot.flows-dir=" + flows))
                .rootCause()
                .isInstanceOf(InvalidFlowsException.class)
                .hasMessage("main.yaml:" + (line + 1) + ":" + column + ": error [dangling-target] node \"privacy_notice\""
                        + " goes to \"main_manu\", which is not a node of flow \"main\"");
        assertThat(flows.resolve("main.yaml")).exists();
    }
}

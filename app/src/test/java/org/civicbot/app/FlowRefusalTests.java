package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.civicbot.flows.InvalidFlowsException;
import org.junit.jupiter.api.Test;

/** The app does not start on flows that do not validate, and says exactly what is wrong. */
class FlowRefusalTests {

    @Test
    void refusesToStartOnABrokenFlowAndReportsWhere() throws IOException {
        Path flows = Files.createTempDirectory("civicbot-flows-");
        Files.writeString(flows.resolve("main.yaml"), """
                spec: 1
                id: main
                start: hello
                nodes:
                  - {id: hello, kind: message, text: {ca: Hola, es: Hola, en: Hi}, next: nowhere}
                commands:
                  restart: {ca: [hola], es: [hola], en: [hi]}
                  human: {ca: [persona], es: [persona], en: [person]}
                  stop: {ca: [baixa], es: [baja], en: [stop]}
                  skip: {ca: [ometre], es: [omitir], en: [skip]}
                  texts:
                    not_understood: {ca: No, es: No, en: No}
                    too_short: {ca: "{min}", es: "{min}", en: "{min}"}
                    too_long: {ca: "{max}", es: "{max}", en: "{max}"}
                    location_expected: {ca: On, es: Donde, en: Where}
                    photo_expected: {ca: Foto, es: Foto, en: Photo}
                    opted_out: {ca: Fet, es: Hecho, en: Done}
                    human_requested: {ca: Ara, es: Ahora, en: Now}
                    human_department: citizen_service
                    thanks: {ca: "thanks ca", es: "thanks es", en: "thanks en"}
                    greeting: {ca: "greeting ca", es: "greeting es", en: "greeting en"}
                    can_help_with: {ca: "can_help_with ca", es: "can_help_with es", en: "can_help_with en"}
                    did_you_mean: {ca: "did_you_mean ca", es: "did_you_mean es", en: "did_you_mean en"}
                    handoff_warning: {ca: "handoff_warning ca", es: "handoff_warning es", en: "handoff_warning en"}
                    language_changed: {ca: "language_changed ca", es: "language_changed es", en: "language_changed en"}
                    status_none: {ca: "status_none ca", es: "status_none es", en: "status_none en"}
                    status_list: {ca: "status_list ca", es: "status_list es", en: "status_list en"}
                    status_line: {ca: "status_line ca", es: "status_line es", en: "status_line en"}
                    status_new: {ca: "status_new ca", es: "status_new es", en: "status_new en"}
                    status_in_progress: {ca: "status_in_progress ca", es: "status_in_progress es", en: "status_in_progress en"}
                    status_closed: {ca: "status_closed ca", es: "status_closed es", en: "status_closed en"}
                    status_unknown: {ca: "Cap {code}.", es: "Ninguna {code}.", en: "No {code}."}
                    understood: {ca: "Entesos: {choice}.", es: "Entendido: {choice}.", en: "Got it: {choice}."}
                """);

        assertThatThrownBy(() -> FullStackTest.separateApp().run(
                "--server.port=0", "--management.server.port=-1", "--civicbot.data-dir=" + FullStackTest.tempDir(), "--civicbot.flows-dir=" + flows))
                .rootCause()
                .isInstanceOf(InvalidFlowsException.class)
                .hasMessage("main.yaml:5:74: error [dangling-target] node \"hello\" goes to \"nowhere\", which is not"
                        + " a node of flow \"main\"");
        assertThat(flows.resolve("main.yaml")).exists();
    }
}

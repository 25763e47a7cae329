package org.civicbot.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowsTests {

    @Test
    void defaultFlowsLoadWithoutErrorsOrWarnings() {
        ValidationReport report = Flows.check(Flows.defaults());

        assertThat(report.format()).isEmpty();
        assertThat(Flows.load(Flows.defaults()).flows()).containsOnlyKeys("main", "incident", "info", "requests");
    }

    @Test
    void defaultMainMenuHasTheEightServices() {
        FlowBundle bundle = Flows.load(Flows.defaults());
        Node.Menu menu = (Node.Menu) bundle.node("main", bundle.entry().start()).orElseThrow();

        assertThat(menu.id()).isEqualTo("main_menu");
        assertThat(menu.options()).extracting(o -> o.label().in(Language.CA)).containsExactly(
                "Comunicar una incidència", "Demanar cita prèvia", "Informació municipal", "Turisme",
                "Serveis socials", "Suport a empreses", "Ocupació", "Preferències");
        assertThat(menu.options().get(0).next().ref()).isEqualTo("flow:incident");
        assertThat(bundle.entry().firstContact()).contains("privacy_notice");
    }

    @Test
    void defaultIncidentMenuOffersTheSevenCategories() {
        FlowBundle bundle = Flows.load(Flows.defaults());
        Flow incident = bundle.flow("incident").orElseThrow();
        Node.Menu menu = (Node.Menu) incident.node(incident.start()).orElseThrow();

        assertThat(menu.var()).contains("category");
        assertThat(menu.options()).extracting(Node.Option::value).containsExactly("cleaning_waste", "parks_gardens",
                "street_lighting", "street_furniture", "roads_pavements", "traffic_transport", "other", "");
        assertThat(menu.options().get(2).label().in(Language.CA)).isEqualTo("Enllumenat públic");
        assertThat(menu.options().get(7).next().ref()).isEqualTo("flow:main");
    }

    @Test
    void defaultIncidentPathCollectsDescriptionLocationAndOptionalPhoto() {
        Flow incident = Flows.load(Flows.defaults()).flow("incident").orElseThrow();

        Node.Text description = (Node.Text) incident.node("description").orElseThrow();
        assertThat(description.minLength()).isEqualTo(10);
        assertThat(description.maxLength()).isEqualTo(1000);
        assertThat(description.next().ref()).isEqualTo("address");
        assertThat(incident.node("address").orElseThrow().kind()).isEqualTo(NodeKind.LOCATION);
        Node.Photo photo = (Node.Photo) incident.node("photo").orElseThrow();
        assertThat(photo.text().in(Language.CA)).contains("OMETRE");
        Node.Incident create = (Node.Incident) incident.node("create").orElseThrow();
        for (Language language : Language.values()) {
            assertThat(create.text().in(language)).contains("{incident.code}");
        }
        assertThat(create.next().ref()).isEqualTo("flow:main");
    }

    @Test
    void defaultCommandsUnderstandHolaAndTheSkipWordThePhotoStepNames() {
        Commands commands = Flows.load(Flows.defaults()).commands();

        assertThat(commands.restart().in(Language.CA)).contains("hola");
        assertThat(commands.skip().in(Language.CA)).contains("ometre");
        assertThat(commands.skip().in(Language.ES)).contains("omitir");
        assertThat(commands.skip().in(Language.EN)).contains("skip");
        assertThat(commands.stop().in(Language.CA)).contains("baixa");
        assertThat(commands.texts().humanDepartment()).isEqualTo("citizen_service");
    }

    @Test
    void refusesToLoadInvalidFlowsWithTheReportAsMessage() {
        List<FlowSource> sources = List.of(new FlowSource("main.yaml", "spec: 1\nid: main\n"));

        assertThatThrownBy(() -> Flows.load(sources)).isInstanceOf(InvalidFlowsException.class)
                .hasMessage("""
                        main.yaml:1:1: error [missing-field] flow "main" lacks required field "nodes"
                        main.yaml:1:1: error [missing-field] flow "main" lacks required field "start\"""")
                .satisfies(e -> assertThat(((InvalidFlowsException) e).report().errors()).hasSize(2));
    }

    @Test
    void readsEveryYamlFileOfADirectoryByName(@TempDir Path dir) throws IOException {
        for (FlowSource source : Flows.defaults()) {
            Files.writeString(dir.resolve(source.fileName()), source.yaml(), StandardCharsets.UTF_8);
        }
        Files.writeString(dir.resolve("notes.txt"), "not a flow");

        List<FlowSource> sources = Flows.fromDirectory(dir);

        assertThat(sources).extracting(FlowSource::fileName).containsExactly("incident.yaml", "info.yaml", "main.yaml", "requests.yaml");
        assertThat(Flows.check(sources).isValid()).isTrue();
    }
}

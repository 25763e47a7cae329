package org.civicbot.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.List;

import org.junit.jupiter.api.Test;

class FlowReaderTests {

    static final String FLOW = """
            # a comment line
            spec: 1
            id: incident
            start: ask
            nodes:
              - id: ask
                kind: menu
                var: category
                text: {ca: Tria, es: Elige, en: Choose}
                options:
                  - label: {ca: Llum, es: Luz, en: Light}
                    value: street_lighting
                    next: done
              - {id: done, kind: end}
            """;

    @Test
    void keepsTheOneBasedPositionOfFlowNodesOptionsAndTargets() {
        ReadFlow read = FlowReader.read(new FlowSource("incident.yaml", FLOW));
        Flow flow = read.flow().orElseThrow();

        assertThat(read.issues()).isEmpty();
        assertThat(flow.position()).isEqualTo(new Position("incident.yaml", 2, 1));
        Node.Menu menu = (Node.Menu) flow.node("ask").orElseThrow();
        assertThat(menu.position()).isEqualTo(new Position("incident.yaml", 6, 5));
        Node.Option option = menu.options().get(0);
        assertThat(option.position()).isEqualTo(new Position("incident.yaml", 11, 9));
        assertThat(option.next()).isEqualTo(new Node.Target("done", new Position("incident.yaml", 13, 15)));
        assertThat(flow.node("done").orElseThrow().position()).isEqualTo(new Position("incident.yaml", 14, 5));
        assertThat(read.fields()).containsEntry("start", new Position("incident.yaml", 4, 8))
                .containsEntry("nodes[0].options[0].label", new Position("incident.yaml", 11, 16));
    }

    @Test
    void readsEveryFieldIntoTheModel() {
        Flow flow = FlowReader.read(new FlowSource("incident.yaml", FLOW)).flow().orElseThrow();
        Node.Menu menu = (Node.Menu) flow.node("ask").orElseThrow();

        assertThat(flow.id()).isEqualTo("incident");
        assertThat(flow.spec()).isEqualTo(FlowSpec.CURRENT);
        assertThat(flow.start()).isEqualTo("ask");
        assertThat(flow.firstContact()).isEmpty();
        assertThat(flow.commands()).isEmpty();
        assertThat(menu.var()).contains("category");
        assertThat(menu.text()).isEqualTo(LocalizedText.of("Tria", "Elige", "Choose"));
        assertThat(menu.options().get(0).value()).isEqualTo("street_lighting");
        assertThat(flow.node("done").orElseThrow()).isInstanceOf(Node.End.class);
    }

    @Test
    void fillsDefaultsForOptionalFields() {
        Flow flow = FlowReader.read(new FlowSource("f.yaml", """
                spec: 1
                id: f
                start: say
                nodes:
                  - {id: say, kind: text, text: {ca: a, es: a, en: a}, var: said, next: make}
                  - {id: make, kind: incident, text: {ca: a, es: a, en: a}, next: say}
                """)).flow().orElseThrow();

        Node.Text text = (Node.Text) flow.node("say").orElseThrow();
        assertThat(text.minLength()).isEqualTo(FlowReader.DEFAULT_MIN_LENGTH);
        assertThat(text.maxLength()).isEqualTo(FlowReader.DEFAULT_MAX_LENGTH);
        Node.Incident incident = (Node.Incident) flow.node("make").orElseThrow();
        assertThat(List.of(incident.categoryVar(), incident.descriptionVar(), incident.locationVar(),
                incident.photoVar())).containsExactly("category", "description", "location", "photo");
    }

    @Test
    void keepsYamlBooleansAndNumbersAsTheWordsWritten() {
        Flow flow = FlowReader.read(new FlowSource("f.yaml", """
                spec: 1
                id: f
                start: menu
                nodes:
                  - id: menu
                    kind: menu
                    text: {ca: a, es: a, en: a}
                    options:
                      - {label: {ca: no, es: "no", en: 1}, value: on, next: menu}
                """)).flow().orElseThrow();

        Node.Option option = ((Node.Menu) flow.node("menu").orElseThrow()).options().get(0);
        assertThat(option.label()).isEqualTo(LocalizedText.of("no", "no", "1"));
        assertThat(option.value()).isEqualTo("on");
    }

    @Test
    void neverThrowsOnBadInput() {
        List<String> inputs = List.of("", "   ", "[]", "- a\n- b", "just text", "{", "spec: one\nid: [x]\nnodes: 5",
                "nodes:\n  - 7\n  - [a]\n  - {id: x, kind: menu, options: {a: b}}", "---\na: 1\n---\nb: 2\n",
                "a: &x [*x]", "spec: 1\nid: x\nstart: y\nnodes:\n  - {id: y, kind: end, text: [a]}\n",
                "spec: 1\nid: x\nstart: y\ncommands: {restart: 5, texts: {not_understood: {fr: a}}}\nnodes: []\n",
                "\u0000\u0001binary", "? [a, b]\n: c\n", "spec: 99999999999999\nid: x\n");
        for (String input : inputs) {
            assertThatCode(() -> {
                ReadFlow read = FlowReader.read(new FlowSource("bad.yaml", input));
                assertThat(read.issues()).as(input).isNotEmpty();
                Flows.check(List.of(new FlowSource("bad.yaml", input)));
            }).as(input).doesNotThrowAnyException();
        }
    }

    @Test
    void reportsARepeatedFieldWhereItIsWrittenAgain() {
        ReadFlow read = FlowReader.read(new FlowSource("f.yaml", "spec: 1\nid: f\nid: g\nstart: a\nnodes: []\n"));

        assertThat(read.issues()).extracting(Issue::format).containsExactly(
                "f.yaml:3:1: error [yaml-syntax] field \"id\" of flow \"f\" is written twice; first at line 2");
    }

    @Test
    void reportsAnUnknownLanguage() {
        ReadFlow read = FlowReader.read(new FlowSource("f.yaml", """
                spec: 1
                id: f
                start: bye
                nodes:
                  - {id: bye, kind: end, text: {ca: a, es: a, en: a, fr: a}}
                """));

        assertThat(read.issues()).extracting(Issue::format).containsExactly("f.yaml:5:54: error [unknown-field]"
                + " field \"text\" of node \"bye\" (end) has unknown language \"fr\"; known languages: ca, es, en");
    }
}

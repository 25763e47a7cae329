package org.civicbot.flows;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The JSON Schema editors use must say what the reader reads, no more and no less. */
class FlowSchemaTests {

    static JsonNode schema() throws IOException {
        try (InputStream in = FlowSchemaTests.class.getResourceAsStream("/schema/flow-spec-1.schema.json")) {
            assertThat(in).as("schema on the classpath").isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }

    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void isDraft2020JsonNamingEveryNodeKind() throws IOException {
        JsonNode schema = schema();

        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.path("properties").path("spec").path("const").asInt()).isEqualTo(FlowSpec.CURRENT);
        List<String> wireNames = java.util.Arrays.stream(NodeKind.values()).map(NodeKind::wireName).toList();
        assertThat(strings(schema.at("/$defs/node/properties/kind/enum"))).containsExactlyElementsOf(wireNames);
        assertThat(schema.at("/$defs/node/allOf")).hasSize(wireNames.size());
    }

    @Test
    void requiresAndAllowsExactlyTheFieldsTheReaderDoesForEachKind() throws IOException {
        JsonNode defs = schema().path("$defs");
        for (NodeKind kind : NodeKind.values()) {
            FlowReader.KindFields fields = FlowReader.FIELDS.get(kind);
            JsonNode def = defs.path(kind.wireName());
            List<String> required = new ArrayList<>(List.of("id", "kind"));
            required.addAll(fields.required());
            assertThat(strings(def.path("required"))).as(kind.wireName()).containsExactlyInAnyOrderElementsOf(required);
            assertThat(names(def.path("properties"))).as(kind.wireName())
                    .containsExactlyInAnyOrderElementsOf(fields.all());
            assertThat(def.path("additionalProperties").asBoolean(true)).isFalse();
        }
    }

    @Test
    void describesTheFlowOptionAndCommandFieldsTheReaderReads() throws IOException {
        JsonNode schema = schema();

        assertThat(names(schema.path("properties"))).containsExactlyInAnyOrderElementsOf(FlowReader.FLOW_FIELDS);
        assertThat(names(schema.at("/$defs/option/properties")))
                .containsExactlyInAnyOrderElementsOf(FlowReader.OPTION_FIELDS);
        assertThat(names(schema.at("/$defs/commands/properties")))
                .containsExactlyInAnyOrderElementsOf(FlowReader.COMMAND_FIELDS);
        assertThat(names(schema.at("/$defs/commands/properties/texts/properties")))
                .containsExactlyInAnyOrderElementsOf(FlowReader.TEXT_FIELDS);
        assertThat(schema.at("/$defs/menu/properties/options/maxItems").asInt())
                .isEqualTo(ChannelLimits.MAX_MENU_OPTIONS);
    }
}

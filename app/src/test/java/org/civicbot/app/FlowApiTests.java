package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.civicbot.backoffice.staff.StaffUser;
import org.civicbot.bot.Channel;
import org.civicbot.bot.conversation.ConversationIds;
import org.civicbot.bot.outbox.OutboxEntry;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Content editors change the bot through the API without a restart: a published text is what the next "hola" gets;
 * a broken draft is refused at publish with its line and column and the bot keeps the last good revision; a rollback
 * brings the earlier text back; agents may not touch the flows.
 */
class FlowApiTests extends FullStackTest {

    private static final MediaType YAML = MediaType.parseMediaType("text/yaml;charset=UTF-8");
    private static final String ORIGINAL = "Hola! Sóc l'assistent de l'Ajuntament.";
    private static final String EDITED = "Bon dia! Sóc l'assistent renovat de l'Ajuntament.";

    @Test
    void anEditorPublishesATextTheBotSaysAtOnceAndRollsItBack() {
        staff("flow-editor", StaffUser.Role.EDITOR);
        staff("flow-agent", StaffUser.Role.AGENT);
        as("flow-agent").get().uri("/api/v1/flows").exchange().expectStatus().isForbidden();
        as("flow-agent").put().uri("/api/v1/flows/main").contentType(YAML).bodyValue("spec: 1").exchange()
                .expectStatus().isForbidden();

        JsonNode flows = okGet("flow-editor", "/api/v1/flows");
        assertThat(flows.findValuesAsText("id")).contains("main", "incident", "info", "requests");
        String published = yaml("main");
        assertThat(published).contains(ORIGINAL);
        long before = flows.get(0).get("revision").asLong();
        try {
            JsonNode saved = put("main", published.replace(ORIGINAL, EDITED));
            assertThat(saved.get("valid").asBoolean()).isTrue();
            assertThat(yaml("main")).as("the draft is what the editor reads back").contains(EDITED);
            assertThat(said("whatsapp:+34600000701", "hola")).as("a draft is not live").contains(ORIGINAL);

            long revision = json(publish("main", "Salutació nova").expectStatus().isOk().expectBody(String.class)
                    .returnResult().getResponseBody()).get("revision").asLong();
            assertThat(revision).isEqualTo(before + 1);
            assertThat(said("whatsapp:+34600000702", "hola")).contains(EDITED).doesNotContain(ORIGINAL);

            // A broken draft: saved, reported at its line and column, refused at publish; the bot keeps revision n.
            String broken = yaml("main").replaceFirst("next: flow:incident", "next: flow:enlloc");
            JsonNode report = put("main", broken);
            assertThat(report.get("valid").asBoolean()).isFalse();
            JsonNode issue = firstError(report);
            assertThat(issue.get("file").asText()).isEqualTo("main.yaml");
            assertThat(issue.get("line").asInt()).isEqualTo(lineOf(broken, "next: flow:enlloc"));
            assertThat(issue.get("column").asInt()).isPositive();
            assertThat(issue.get("message").asText()).contains("enlloc");
            JsonNode refused = json(publish("main", "Trencat").expectStatus().isEqualTo(422).expectBody(String.class)
                    .returnResult().getResponseBody());
            assertThat(refused.get("valid").asBoolean()).isFalse();
            assertThat(firstError(refused).get("line").asInt()).isEqualTo(issue.get("line").asInt());
            assertThat(said("whatsapp:+34600000703", "hola")).contains(EDITED);
            assertThat(okGet("flow-editor", "/api/v1/flows").get(0).get("revision").asLong()).isEqualTo(revision);

            JsonNode history = okGet("flow-editor", "/api/v1/flows/main/revisions");
            assertThat(history.get(0).get("revision").asLong()).isEqualTo(revision);
            assertThat(history.get(0).get("comment").asText()).isEqualTo("Salutació nova");
            assertThat(history.get(0).get("by").asText()).isEqualTo("flow-editor");
        } finally {
            // Back to the text the other tests expect, as an editor would: the broken draft thrown away, and the first
            // revision's file published again.
            as("flow-editor").delete().uri("/api/v1/flows/main/draft").exchange();
            long restored = json(as("flow-editor").post().uri("/api/v1/flows/main/revisions/" + firstOf("main")
                            + "/publish").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of()).exchange()
                    .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody())
                    .get("revision").asLong();
            assertThat(restored).isGreaterThan(before);
        }
        assertThat(said("whatsapp:+34600000704", "hola")).contains(ORIGINAL).doesNotContain(EDITED);
        assertThat(okGet("flow-editor", "/api/v1/flows/main/revisions").get(0).get("restoredFrom").asLong())
                .isEqualTo(firstOf("main"));
    }

    /**
     * A conversation test recorded from the preview runs before every publish: a draft that answers it differently is
     * refused with the test and the step; only an admin publishes past it, with a reason the revision keeps.
     */
    @Test
    void aFailingConversationTestBlocksThePublishUnlessAnAdminGivesAReason() {
        staff("flow-editor", StaffUser.Role.EDITOR);
        staff("flow-admin");
        String published = yaml("main");
        long first = firstOf("main");
        JsonNode test = json(postAs("flow-editor", "/api/v1/flows/tests", Map.of("name", "Salutació",
                "language", "ca", "flows", "published", "steps", List.of(Map.of("text", "hola"))))
                .expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody());
        String testId = test.get("id").asText();
        assertThat(test.get("expected").get(0).toString()).contains(ORIGINAL);
        try {
            assertThat(put("main", published.replace(ORIGINAL, EDITED)).get("valid").asBoolean()).isTrue();
            JsonNode blocked = json(publish("main", "Canvi sense provar").expectStatus().isEqualTo(422)
                    .expectBody(String.class).returnResult().getResponseBody());
            JsonNode failed = blocked.get("failedTests").get(0);
            assertThat(failed.get("name").asText()).isEqualTo("Salutació");
            assertThat(failed.get("step").asInt()).isEqualTo(1);
            assertThat(failed.get("actual").toString()).contains(EDITED);
            assertThat(said("whatsapp:+34600000721", "hola")).contains(ORIGINAL);

            Map<String, Object> anyway = Map.of("comment", "Urgent", "override", "Canvi aprovat per l'alcaldia");
            postAs("flow-editor", "/api/v1/flows/main/publish", anyway).expectStatus().isForbidden();
            long revision = json(postAs("flow-admin", "/api/v1/flows/main/publish", anyway).expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody()).get("revision").asLong();
            JsonNode history = okGet("flow-editor", "/api/v1/flows/main/revisions");
            assertThat(history.get(0).get("revision").asLong()).isEqualTo(revision);
            assertThat(history.get(0).get("override").asText()).isEqualTo("Canvi aprovat per l'alcaldia");
            assertThat(said("whatsapp:+34600000722", "hola")).contains(EDITED);
        } finally {
            as("flow-editor").delete().uri("/api/v1/flows/tests/" + testId).exchange().expectStatus().isForbidden();
            as("flow-admin").delete().uri("/api/v1/flows/tests/" + testId).exchange().expectStatus().isNoContent();
            as("flow-editor").delete().uri("/api/v1/flows/main/draft").exchange();
            as("flow-editor").post().uri("/api/v1/flows/main/revisions/" + first + "/publish")
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of()).exchange().expectStatus().isOk();
        }
        assertThat(said("whatsapp:+34600000723", "hola")).contains(ORIGINAL);
    }

    /** A draft begun before someone else published the same flow is refused at publish: it would undo their change. */
    @Test
    void aDraftBegunBeforeAnotherPublishIsRefusedRatherThanUndoIt() {
        staff("flow-editor", StaffUser.Role.EDITOR);
        as("flow-editor").delete().uri("/api/v1/flows/main/draft").exchange();
        String published = yaml("main");
        long loaded = okGet("flow-editor", "/api/v1/flows").get(0).get("revision").asLong();
        long first = firstOf("main");
        try {
            put("main", published.replace(ORIGINAL, EDITED));
            publish("main", "La primera").expectStatus().isOk();
            // A second editor had loaded the flow before that publish, and saves from there.
            JsonNode late = json(as("flow-editor").put().uri("/api/v1/flows/main?base=" + loaded).contentType(YAML)
                    .bodyValue(published.replace(ORIGINAL, "Bon vespre!")).exchange().expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody());
            assertThat(late.get("valid").asBoolean()).isTrue();
            assertThat(publish("main", "La segona").expectStatus().isEqualTo(409).expectBody(String.class)
                    .returnResult().getResponseBody()).contains("would undo");
            assertThat(said("whatsapp:+34600000731", "hola")).contains(EDITED);
        } finally {
            as("flow-editor").delete().uri("/api/v1/flows/main/draft").exchange();
            as("flow-editor").post().uri("/api/v1/flows/main/revisions/" + first + "/publish")
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of()).exchange().expectStatus().isOk();
        }
    }

    /** Saving a draft says how many conversations wait mid-flow on it, so the editor knows whom a publish reaches. */
    @Test
    void aSavedDraftSaysHowManyConversationsWaitInItsFlow() {
        staff("flow-editor", StaffUser.Role.EDITOR);
        whatsapp("whatsapp:+34600000711", "hola");
        whatsapp("whatsapp:+34600000711", "1");
        String incident = yaml("incident");
        try {
            JsonNode saved = put("incident", incident);
            assertThat(saved.get("valid").asBoolean()).isTrue();
            assertThat(saved.get("liveSessions").get("inFlow").asLong()).isPositive();
            assertThat(saved.get("liveSessions").get("onRemovedNodes").asLong()).isZero();
            assertThat(saved.get("liveSessions").get("onChangedNodes").asLong()).as("the same draft, moved lines")
                    .isZero();
            // The question the conversation waits at now says something else: it sits on a changed node.
            JsonNode reworded = put("incident", ("# a comment that moves every line down\n" + incident).replace(
                    "De quin tipus és la incidència?", "Quin tipus d'incidència és?"));
            assertThat(reworded.get("liveSessions").get("onChangedNodes").asLong()).isPositive();
            assertThat(reworded.get("liveSessions").get("onRemovedNodes").asLong()).isZero();
            // What the draft changes, compared with what is published: one line out, one in.
            JsonNode diff = json(as("flow-editor").get().uri("/api/v1/flows/incident/diff?from=published&to=draft")
                    .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
            assertThat(diff.get("added").asInt()).isEqualTo(2);
            assertThat(diff.get("removed").asInt()).isEqualTo(1);
            assertThat(diff.get("lines").get(0).asText()).isEqualTo("--- incident.yaml (published)");
            java.util.List<String> lines = new java.util.ArrayList<>();
            diff.get("lines").forEach(l -> lines.add(l.asText()));
            assertThat(lines).contains("+# a comment that moves every line down")
                    .anyMatch(l -> l.startsWith("-") && l.contains("De quin tipus és la incidència?"))
                    .anyMatch(l -> l.startsWith("+") && l.contains("Quin tipus d'incidència és?"));
            as("flow-editor").get().uri("/api/v1/flows/incident/diff?from=abc").exchange().expectStatus()
                    .isBadRequest();
        } finally {
            as("flow-editor").delete().uri("/api/v1/flows/incident/draft").exchange().expectStatus().isNoContent();
        }
        as("flow-editor").delete().uri("/api/v1/flows/incident/draft").exchange().expectStatus().isNotFound();
        as("flow-editor").get().uri("/api/v1/flows/incident/diff?from=published&to=draft").exchange().expectStatus()
                .isNotFound();
    }

    @org.springframework.beans.factory.annotation.Autowired
    org.civicbot.bot.content.FlowRevisions revisions;

    @org.springframework.beans.factory.annotation.Autowired
    org.civicbot.bot.content.FlowSync sync;

    @org.springframework.beans.factory.annotation.Autowired
    org.civicbot.bot.FlowRuntime runtime;

    /**
     * Another instance published (here: a revision written to the store behind this instance's back): this one
     * serves it at its next look. A stored revision this build cannot load is skipped, and the last good one kept.
     */
    @Test
    void followsWhatAnotherInstancePublishedAndSkipsARevisionItCannotLoad() {
        org.civicbot.bot.content.FlowRevision base = revisions.latest().block();
        String main = base.file("main.yaml").orElseThrow().yaml();
        List<org.civicbot.flows.FlowSource> edited = replaced(base, main.replace(ORIGINAL, "Text d'una altra instància."));
        try {
            org.civicbot.bot.content.FlowRevision other = revisions.publish(base.number(), edited,
                    List.of("main.yaml"), "des d'una altra instància", "other", null, null).block();
            assertThat(menuText()).as("not before its next look").startsWith(ORIGINAL);
            assertThat(sync.refresh().block()).isEqualTo(other.number());
            assertThat(menuText()).startsWith("Text d'una altra instància.");

            org.civicbot.bot.content.FlowRevision broken = revisions.publish(other.number(),
                    replaced(other, "spec: 1\nid: main\n"), List.of("main.yaml"), "a mà", "other", null, null).block();
            assertThat(sync.refresh().block()).as("the last good revision").isEqualTo(other.number());
            assertThat(menuText()).startsWith("Text d'una altra instància.");
            assertThat(broken.number()).isEqualTo(other.number() + 1);
        } finally {
            org.civicbot.bot.content.FlowRevision newest = revisions.latest().block();
            revisions.publish(newest.number(), base.sources(), List.of("main.yaml"), "back", "test", base.number(),
                    null).block();
            sync.refresh().block();
        }
        assertThat(menuText()).startsWith(ORIGINAL);
    }

    private String menuText() {
        return ((org.civicbot.flows.Node.Menu) runtime.get().flows().node("main", "main_menu").orElseThrow()).text()
                .in(org.civicbot.flows.Language.CA);
    }

    private static List<org.civicbot.flows.FlowSource> replaced(org.civicbot.bot.content.FlowRevision revision,
            String main) {
        return revision.sources().stream().map(f -> f.fileName().equals("main.yaml")
                ? new org.civicbot.flows.FlowSource("main.yaml", main) : f).toList();
    }

    /** The first error in main.yaml of a report (the shipped flows carry warnings, and other files may follow). */
    private static JsonNode firstError(JsonNode report) {
        for (JsonNode issue : report.get("issues")) {
            if ("error".equals(issue.get("severity").asText()) && "main.yaml".equals(issue.get("file").asText())) {
                return issue;
            }
        }
        throw new AssertionError("no error in " + report);
    }

    private long firstOf(String flow) {
        JsonNode history = okGet("flow-editor", "/api/v1/flows/" + flow + "/revisions");
        return history.get(history.size() - 1).get("revision").asLong();
    }

    private WebTestClient as(String username) {
        return web.mutate().defaultHeaders(h -> h.setBasicAuth(username, STAFF_PASSWORD)).build();
    }

    private String yaml(String flow) {
        return as("flow-editor").get().uri("/api/v1/flows/" + flow).exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.parseMediaType("text/yaml"))
                .expectBody(String.class).returnResult().getResponseBody();
    }

    private JsonNode put(String flow, String yaml) {
        return json(as("flow-editor").put().uri("/api/v1/flows/" + flow).contentType(YAML).bodyValue(yaml).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
    }

    private WebTestClient.ResponseSpec publish(String flow, String comment) {
        return as("flow-editor").post().uri("/api/v1/flows/" + flow + "/publish")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("comment", comment)).exchange();
    }

    /** What the bot answered a new citizen's first message, all its replies together. */
    private String said(String citizen, String text) {
        whatsapp(citizen, text);
        List<OutboxEntry> replies = awaitOutboxSettled(conversationIds.of(Channel.WHATSAPP, citizen));
        return String.join("\n", replies.stream().map(OutboxEntry::text).toList());
    }

    private static int lineOf(String yaml, String text) {
        String[] lines = yaml.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line with " + text);
    }
}

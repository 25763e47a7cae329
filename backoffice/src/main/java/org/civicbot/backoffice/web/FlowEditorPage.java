package org.civicbot.backoffice.web;

import org.civicbot.backoffice.content.FlowEditing;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import reactor.core.publisher.Mono;

/**
 * The flow editor, for content editors and admins: a flow's YAML (the draft, else what is published) in a code editor
 * with completion from the flows' JSON Schema, the validator's report at its lines on every save, a preview of the
 * bot with the drafts beside it, and publishing. It works through {@code /api/v1/flows} and
 * {@code /api/v1/simulator}.
 */
@Controller
class FlowEditorPage {

    private final FlowEditing editing;
    private final double[] center;
    private final org.civicbot.bot.content.sources.ContentSources sources;
    private final TownTime time;
    /** Revisions the history shows: the newest; older ones are in {@code GET /api/v1/flows/{id}/revisions}. */
    static final int HISTORY = 30;

    /** A revision of the flow as its history lists it: who published it, when, why, and from where. */
    record RevisionRow(long number, String at, String by, String comment, Long restoredFrom, String override) {}

    /** A live information source as the page lists it: when it last read well, why it last failed. */
    record SourceRow(String name, String kind, String lastSuccess, String lastError, int items) {}

    FlowEditorPage(FlowEditing editing, org.civicbot.bot.content.sources.ContentSources sources, TownTime time,
            @org.springframework.beans.factory.annotation.Value("${civicbot.map.center-latitude:41.7251}") double latitude,
            @org.springframework.beans.factory.annotation.Value("${civicbot.map.center-longitude:1.8266}") double longitude) {
        this.editing = editing;
        this.sources = sources;
        this.time = time;
        this.center = new double[] {latitude, longitude};
    }

    @GetMapping("/flows")
    Mono<String> editor(@RequestParam(required = false) String flow, Model model) {
        String id = flow == null || flow.isBlank() ? "main" : flow.strip();
        model.addAttribute("flows", editing.list().collectList());
        model.addAttribute("flowId", id);
        model.addAttribute("actionTypes", TryBotPage.ACTION_TYPES);
        model.addAttribute("center", center);
        model.addAttribute("sources", sources.states().map(s -> new SourceRow(s.name(),
                s.kind() == null ? "" : s.kind().toLowerCase(java.util.Locale.ROOT), time.format(s.lastSuccess()),
                s.lastError(), s.items().size())).collectList());
        model.addAttribute("history", reactor.core.publisher.Flux.defer(() -> editing.revisions(id)).map(r -> new RevisionRow(r.number(),
                time.format(r.at()), r.by(), r.comment(), r.restoredFrom(), r.override())).take(HISTORY).collectList());
        return Mono.defer(() -> editing.yaml(id)).map(yaml -> {
            model.addAttribute("yaml", yaml);
            return "flow-editor";
        }).onErrorMap(FlowEditing.NotFound.class, e -> new org.springframework.web.server.ResponseStatusException(
                org.springframework.http.HttpStatus.NOT_FOUND, e.getMessage()));
    }
}

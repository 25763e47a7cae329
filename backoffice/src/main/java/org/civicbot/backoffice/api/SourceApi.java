package org.civicbot.backoffice.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import org.civicbot.bot.content.sources.ContentSources;
import org.civicbot.bot.content.sources.SourceItem;
import org.civicbot.bot.content.sources.SourceState;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The live information sources, for editors: when each last read well, why it last failed, what it serves. */
@RestController
@RequestMapping("/api/v1/sources")
@Tag(name = "Sources", description = "Live information sources: news, agenda, pharmacies on duty")
class SourceApi {

    private final ContentSources sources;

    SourceApi(ContentSources sources) {
        this.sources = sources;
    }

    /**
     * A source's state; field names are part of the public contract.
     *
     * @param lastSuccess when what it serves was read
     * @param lastError why the last read failed, when it failed after that; null otherwise
     * @param items what it serves now (its last good read)
     */
    record SourceView(String name, String kind, String url, String refresh, Instant lastSuccess, String lastError,
            Instant lastErrorAt, List<SourceItem> items) {}

    @GetMapping
    @Operation(summary = "Every source: its kind, last success, last error and what it serves")
    Flux<SourceView> all() {
        return sources.states().map(this::view);
    }

    @PostMapping("/{name}/refresh")
    @Operation(summary = "Read a source now (a failed read keeps what it served, and says why)")
    Mono<SourceView> refresh(@PathVariable String name) {
        return sources.refresh(name).map(this::view)
                .switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "there is no source " + name
                        + ": sources are set in civicbot.content.sources")));
    }

    private SourceView view(SourceState s) {
        ContentSources.Source source = sources.configured().get(s.name());
        return new SourceView(s.name(), s.kind() == null ? null : s.kind().toLowerCase(java.util.Locale.ROOT),
                source == null ? null : source.url(), source == null ? null : source.refresh().toString(),
                s.lastSuccess(), s.lastError(), s.lastErrorAt(), s.items());
    }
}

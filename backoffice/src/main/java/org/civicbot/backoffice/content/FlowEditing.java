package org.civicbot.backoffice.content;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.civicbot.bot.content.FlowDraft;
import org.civicbot.bot.content.FlowRevision;
import org.civicbot.bot.content.FlowRevisions;
import org.civicbot.bot.content.FlowSync;
import org.civicbot.bot.incident.Categories;
import org.civicbot.bot.incident.Category;
import org.civicbot.flows.FlowBundle;
import org.civicbot.flows.FlowSource;
import org.civicbot.flows.FlowValidator;
import org.civicbot.flows.Flows;
import org.civicbot.flows.Issue;
import org.civicbot.flows.ValidationReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What content editors do with the flows: read one (their draft, else what is published), save a draft (valid or
 * not: the report says what to fix, at its line and column), publish it (never invalid: the whole bot is checked
 * with it, and the town's categories too), and publish an earlier revision of a file again (a rollback). A publish
 * reaches this instance at once and the others within seconds ({@link FlowSync}).
 */
@Service
public class FlowEditing {

    private static final Logger log = LoggerFactory.getLogger(FlowEditing.class);
    /** A flow's id is its file's name without {@code .yaml}. */
    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");
    /** A flow file's size, at most. */
    public static final int MAX_YAML_LENGTH = 250_000;
    /** Names the API uses for itself under {@code /api/v1/flows/}. */
    private static final java.util.Set<String> RESERVED = java.util.Set.of("tests", "schema");

    private final FlowRevisions revisions;
    private final FlowSync sync;
    private final Categories categories;
    private final org.springframework.data.mongodb.core.ReactiveMongoTemplate mongo;
    private final FlowTests tests;

    FlowEditing(FlowRevisions revisions, FlowSync sync, Categories categories,
            org.springframework.data.mongodb.core.ReactiveMongoTemplate mongo, FlowTests tests) {
        this.tests = tests;
        this.mongo = mongo;
        this.revisions = revisions;
        this.sync = sync;
        this.categories = categories;
    }

    /** A flow as the list shows it: its file, the revision in force, and its draft if any. */
    public record FlowInfo(String id, String file, long revision, boolean draft, String draftBy, Instant draftAt) {}

    /** What the check of the whole bot with a change found; {@code valid} when there is no error. */
    public record Checked(boolean valid, List<Issue> issues, FlowBundle bundle) {}

    /**
     * The conversations a publish of a draft would reach in the middle of the flow: how many wait for an answer on
     * one of its questions, how many of those on a question the draft removes (they start again at the main menu,
     * with the flows' apology), and how many on a question the draft changes (its words, options or where it leads:
     * the answer they give next is read by the new question).
     */
    public record LiveSessions(long inFlow, long onRemovedNodes, long onChangedNodes) {}

    /** A draft saved: the check, and the conversations its publish would reach. */
    public record Saved(Checked checked, LiveSessions live) {}

    /** No such flow. */
    public static final class NotFound extends RuntimeException {
        public NotFound(String what) {
            super(what);
        }
    }

    /** A change that cannot be made as asked, with why. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    /** A draft begun before someone else's publish of the same flow: publishing it would undo theirs. */
    public static final class Stale extends RuntimeException {
        public Stale(String message) {
            super(message);
        }
    }

    /** A publish the conversation tests refused: which failed, and where. */
    public static final class TestsFailed extends RuntimeException {
        private final transient List<FlowTests.Result> results;

        public TestsFailed(List<FlowTests.Result> results) {
            super("conversation tests failed; nothing was published");
            this.results = List.copyOf(results);
        }

        public List<FlowTests.Result> results() {
            return results;
        }
    }

    /** A publish the check refused: the issues say what to fix. */
    public static final class Invalid extends RuntimeException {
        private final transient List<Issue> issues;

        public Invalid(List<Issue> issues) {
            super("the flows have errors; nothing was published");
            this.issues = List.copyOf(issues);
        }

        public List<Issue> issues() {
            return issues;
        }
    }

    public Flux<FlowInfo> list() {
        return revisions.latest().zipWith(revisions.drafts().collectMap(FlowDraft::file))
                .flatMapMany(t -> {
                    FlowRevision latest = t.getT1();
                    Map<String, FlowDraft> drafts = t.getT2();
                    List<String> files = new ArrayList<>(latest.files().stream().map(FlowRevision.File::name).toList());
                    drafts.keySet().stream().filter(f -> !files.contains(f)).sorted().forEach(files::add);
                    return Flux.fromIterable(files).map(f -> {
                        FlowDraft d = drafts.get(f);
                        return new FlowInfo(idOf(f), f, latest.number(), d != null, d == null ? null : d.by(),
                                d == null ? null : d.at());
                    });
                });
    }

    /** The flow's YAML: its draft if one exists, else what is published. */
    public Mono<String> yaml(String id) {
        String file = file(id);
        return revisions.draft(file).map(FlowDraft::yaml)
                .switchIfEmpty(Mono.defer(() -> revisions.latest().flatMap(r -> Mono.justOrEmpty(r.file(file)))
                        .map(FlowRevision.File::yaml)))
                .switchIfEmpty(Mono.error(() -> new NotFound("there is no flow " + id)));
    }

    /** Saves the editor's draft as it is, and checks the whole bot with it. */
    public Mono<Saved> saveAndWeigh(String id, String yaml, String by) {
        return saveAndWeigh(id, yaml, by, null);
    }

    /**
     * As {@link #saveAndWeigh(String, String, String)}, for a draft begun from revision {@code base} (the one the
     * editor loaded): its publish is refused if another revision changed the file since, rather than undo it.
     */
    public Mono<Saved> saveAndWeigh(String id, String yaml, String by, Long base) {
        return save(id, yaml, by, base).flatMap(checked -> live(id, checked).map(live -> new Saved(checked, live)));
    }

    /** The conversations waiting on a question of flow {@code id}, and those on one the checked bot no longer has. */
    private Mono<LiveSessions> live(String id, Checked checked) {
        Query waiting = Query.query(Criteria.where("session.flow").is(id).and("session.state").is("WAITING"));
        waiting.fields().include("session.node");
        return mongo.find(waiting, org.bson.Document.class, "conversations")
                .map(c -> String.valueOf(c.get("session", org.bson.Document.class).getString("node")))
                .collectList()
                .map(nodes -> {
                    if (checked.bundle() == null) {
                        return new LiveSessions(nodes.size(), 0, 0);
                    }
                    org.civicbot.flows.FlowBundle served = sync.served();
                    long removed = nodes.stream().filter(n -> checked.bundle().node(id, n).isEmpty()).count();
                    long changed = nodes.stream().filter(n -> checked.bundle().node(id, n).isPresent()
                            && !shape(checked.bundle().node(id, n)).equals(shape(served.node(id, n)))).count();
                    return new LiveSessions(nodes.size(), removed, changed);
                });
    }

    private static final java.util.regex.Pattern POSITION = java.util.regex.Pattern.compile("position=[^,\\]]*");

    /** A node as the citizen meets it: what it says and does, not the line it is written at. */
    private static String shape(java.util.Optional<org.civicbot.flows.Node> node) {
        return node.map(n -> POSITION.matcher(n.toString()).replaceAll("")).orElse("");
    }

    /** Saves the editor's draft as it is, and checks the whole bot with it. */
    public Mono<Checked> save(String id, String yaml, String by) {
        return save(id, yaml, by, null);
    }

    private Mono<Checked> save(String id, String yaml, String by, Long base) {
        String file = file(id);
        if (yaml == null || yaml.isBlank()) {
            return Mono.error(new Refused("send the flow's YAML as the body"));
        }
        if (yaml.length() > MAX_YAML_LENGTH) {
            return Mono.error(new Refused("a flow file may have at most " + MAX_YAML_LENGTH + " characters"));
        }
        return revisions.latest().flatMap(latest -> revisions.saveDraft(file, yaml, by,
                        base == null ? latest.number() : Math.min(base, latest.number()))
                .then(check(latest, file, yaml)));
    }

    /** Throws the flow's draft away: what is published stays. */
    public Mono<Boolean> discard(String id) {
        return revisions.discardDraft(file(id));
    }

    /** Publishes the flow's draft: refused with the issues when the bot would have an error with it. */
    public Mono<FlowRevision> publish(String id, String comment, String by) {
        return publish(id, comment, by, null);
    }

    /**
     * Publishes the flow's draft: refused with the issues when the bot would have an error with it, and with the
     * failed tests when a conversation test fails, unless an admin gives {@code override}, a reason kept on the
     * revision.
     */
    public Mono<FlowRevision> publish(String id, String comment, String by, String override) {
        String file = file(id);
        return revisions.draft(file)
                .switchIfEmpty(Mono.error(() -> new Refused("flow " + id + " has no draft to publish: save one first")))
                .flatMap(draft -> revisions.changedSince(file, draft.base()).flatMap(changed -> changed
                        ? Mono.<FlowRevision>error(new Stale("flow " + id + " was changed by a publish (or a rollback) "
                                + "after this draft began from revision " + draft.base() + ": publishing it would undo "
                                + "that; reload the flow, make the change again, and publish"))
                        : revisions.latest().flatMap(latest -> check(latest, file, draft.yaml())
                                .flatMap(checked -> publish(latest, checked, file, draft.yaml(), comment, by, null,
                                        override))
                                .flatMap(published -> revisions.dropDraft(draft).thenReturn(published)))));
    }

    /** Publishes again the file as revision {@code number} had it: a rollback, itself a new revision. */
    public Mono<FlowRevision> rollback(String id, long number, String comment, String by) {
        return rollback(id, number, comment, by, null);
    }

    /** As {@link #rollback(String, long, String, String)}, past failing conversation tests with an admin's reason. */
    public Mono<FlowRevision> rollback(String id, long number, String comment, String by, String override) {
        String file = file(id);
        return revisions.find(number).switchIfEmpty(Mono.error(() -> new NotFound("there is no revision " + number)))
                .flatMap(old -> Mono.justOrEmpty(old.file(file))
                        .switchIfEmpty(Mono.error(() -> new NotFound("revision " + number + " has no flow " + id))))
                .flatMap(old -> revisions.latest().flatMap(latest -> check(latest, file, old.yaml())
                        .flatMap(checked -> publish(latest, checked, file, old.yaml(),
                                comment == null || comment.isBlank() ? "back to revision " + number : comment, by,
                                number, override))));
    }

    /**
     * The bot as it would be with every draft published: what an editor previews. Checked as a publish would be; its
     * {@code bundle} is null when it has errors.
     */
    public Mono<Checked> withDrafts() {
        return revisions.latest().zipWith(revisions.drafts().collectList()).flatMap(t -> {
            FlowRevision latest = t.getT1();
            List<FlowSource> files = latest.sources();
            for (FlowDraft draft : t.getT2()) {
                files = replaced(files, draft.file(), draft.yaml());
            }
            return check(files);
        });
    }

    /** What identifies the bot with every draft: the revision and each draft's time, for a preview's cache. */
    public Mono<String> draftsKey() {
        return revisions.latestNumber().zipWith(revisions.draftStamps()
                .map(d -> d.file() + "@" + d.at().toEpochMilli()).sort().collectList())
                .map(t -> t.getT1() + ":" + String.join(",", t.getT2()));
    }

    /**
     * Two versions of a flow's file compared: what {@code to} has that {@code from} had not ({@code +}), and the
     * reverse ({@code -}), as a unified diff with three lines of context.
     *
     * @param from a revision's number, {@code published} (the one in force) or {@code draft}
     * @param lines the unified diff's lines: {@code ---}/{@code +++} headers, {@code @@} hunks, then each line with
     *     its mark; none when the two are the same
     */
    public record Diff(String from, String to, List<String> lines, int added, int removed) {}

    /** Compares {@code from} with {@code to} (see {@link Diff}); a version that does not exist is {@link NotFound}. */
    public Mono<Diff> diff(String id, String from, String to) {
        String file = file(id);
        return version(file, from).zipWith(version(file, to)).map(t -> {
            List<String> before = t.getT1().lines().toList();
            List<String> after = t.getT2().lines().toList();
            com.github.difflib.patch.Patch<String> patch = com.github.difflib.DiffUtils.diff(before, after);
            int added = 0;
            int removed = 0;
            for (var delta : patch.getDeltas()) {
                added += delta.getTarget().size();
                removed += delta.getSource().size();
            }
            List<String> lines = patch.getDeltas().isEmpty() ? List.of()
                    : com.github.difflib.UnifiedDiffUtils.generateUnifiedDiff(file + " (" + from + ")",
                            file + " (" + to + ")", before, patch, 3);
            return new Diff(from, to, lines, added, removed);
        });
    }

    /** A flow file as revision {@code which} has it, or the one in force ({@code published}), or the draft. */
    private Mono<String> version(String file, String which) {
        if ("draft".equals(which)) {
            return revisions.draft(file).map(FlowDraft::yaml)
                    .switchIfEmpty(Mono.error(() -> new NotFound("flow " + idOf(file) + " has no draft")));
        }
        Mono<FlowRevision> revision;
        if ("published".equals(which)) {
            revision = revisions.latest();
        } else {
            long number;
            try {
                number = Long.parseLong(which);
            } catch (NumberFormatException e) {
                return Mono.error(new Refused("compare a revision's number, \"published\" or \"draft\", not \""
                        + which + "\""));
            }
            revision = revisions.find(number);
        }
        return revision.flatMap(r -> Mono.justOrEmpty(r.file(file)).map(FlowRevision.File::yaml))
                .switchIfEmpty(Mono.error(() -> new NotFound("revision " + which + " has no flow " + idOf(file))));
    }

    /** The revisions that changed this flow, newest first. */
    public Flux<FlowRevision> revisions(String id) {
        return revisions.changing(file(id));
    }

    private Mono<FlowRevision> publish(FlowRevision latest, Checked checked, String file, String yaml,
            String comment, String by, Long restoredFrom, String override) {
        if (!checked.valid()) {
            return Mono.error(new Invalid(checked.issues()));
        }
        String clean = comment == null ? "" : comment.strip();
        if (clean.length() > 500) {
            return Mono.error(new Refused("a comment may have at most 500 characters"));
        }
        String reason = override == null || override.isBlank() ? null : override.strip();
        return tests.run(checked.bundle()).flatMap(results -> {
            List<FlowTests.Result> failed = results.stream().filter(r -> !r.passed()).toList();
            if (!failed.isEmpty() && reason == null) {
                return Mono.error(new TestsFailed(failed));
            }
            if (!failed.isEmpty()) {
                log.warn("Flow {} published by {} past {} failing conversation tests: {}", file, by, failed.size(),
                        reason);
            }
            return revisions.publish(latest.number(), replaced(latest.sources(), file, yaml), List.of(file), clean,
                    by, restoredFrom, failed.isEmpty() ? null : reason);
        })
                // Serving it builds the engine (its examples indexed): off the event loop.
                .publishOn(reactor.core.scheduler.Schedulers.boundedElastic())
                .doOnNext(published -> {
                    sync.serve(published, checked.bundle());
                    log.info("Flow {} published as revision {} by {}", file, published.number(), by);
                });
    }

    /** The whole bot with this file as given, checked as a start would check it, and against the town's categories. */
    private Mono<Checked> check(FlowRevision latest, String file, String yaml) {
        return check(replaced(latest.sources(), file, yaml));
    }

    private Mono<Checked> check(List<FlowSource> files) {
        // Reading every flow file is parsing work: off the event loop.
        return Mono.fromCallable(() -> Flows.check(files)).subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic())
                .flatMap(report -> report.isValid() ? withCategories(report, Flows.load(files))
                        : Mono.just(new Checked(false, report.issues(), null)));
    }

    private Mono<Checked> withCategories(ValidationReport report, FlowBundle bundle) {
        return categories.all().map(Category::id).collect(Collectors.toSet()).map(known -> {
            List<Issue> issues = new ArrayList<>(report.issues());
            ValidationReport categoryReport = FlowValidator.checkCategories(bundle, known);
            issues.addAll(categoryReport.issues());
            return new Checked(categoryReport.isValid(), issues, bundle);
        });
    }

    private static List<FlowSource> replaced(List<FlowSource> current, String file, String yaml) {
        List<FlowSource> files = new ArrayList<>();
        boolean found = false;
        for (FlowSource f : current) {
            if (f.fileName().equals(file)) {
                files.add(new FlowSource(file, yaml));
                found = true;
            } else {
                files.add(f);
            }
        }
        if (!found) {
            files.add(new FlowSource(file, yaml));
        }
        return files;
    }

    private static String file(String id) {
        if (id == null || !ID.matcher(id).matches() || RESERVED.contains(id)) {
            throw new NotFound("there is no flow " + id + ": a flow's id is lowercase letters, digits, _ and -");
        }
        return id + ".yaml";
    }

    private static String idOf(String file) {
        return file.endsWith(".yaml") ? file.substring(0, file.length() - 5) : file;
    }
}

package org.civicbot.bot.content;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Clock;
import java.util.List;
import org.civicbot.flows.FlowSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The flows' history in the store ({@code flow_revisions}) and the editors' drafts ({@code flow_drafts}). Publishing
 * is one insert of the whole bot under the next number: atomic on any store, and of two editors publishing at once
 * one gets the number and the other is told to try again.
 */
public class FlowRevisions {

    private final ReactiveMongoTemplate mongo;
    private final Clock clock;

    public FlowRevisions(ReactiveMongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
    }

    /** Someone else published first: the editor reloads and publishes again. */
    public static final class Conflict extends RuntimeException {
        public Conflict(long number) {
            super("revision " + number + " was published meanwhile by someone else: reload, and publish again");
        }
    }

    /** The revision in force: the newest. */
    public Mono<FlowRevision> latest() {
        return mongo.findOne(new Query().with(Sort.by(Sort.Direction.DESC, "_id")).limit(1), FlowRevision.class);
    }

    /** The newest revision's number, read alone (what every instance polls); 0 when there is none. */
    public Mono<Long> latestNumber() {
        Query newest = new Query().with(Sort.by(Sort.Direction.DESC, "_id")).limit(1);
        newest.fields().include("_id");
        return mongo.findOne(newest, org.bson.Document.class, "flow_revisions")
                .map(d -> ((Number) d.get("_id")).longValue()).defaultIfEmpty(0L);
    }

    /** Every revision, newest first. */
    public Flux<FlowRevision> all() {
        return mongo.find(new Query().with(Sort.by(Sort.Direction.DESC, "_id")), FlowRevision.class);
    }

    /** The revisions that changed this file, newest first, without their files (for a history). */
    public Flux<FlowRevision> changing(String file) {
        Query query = query(where("changed").is(file)).with(Sort.by(Sort.Direction.DESC, "_id"));
        query.fields().exclude("files");
        return mongo.find(query, FlowRevision.class);
    }

    /** Whether a revision after {@code base} changed this file: a draft begun from {@code base} would undo it. */
    public Mono<Boolean> changedSince(String file, long base) {
        return mongo.exists(query(where("_id").gt(base).and("changed").is(file)), FlowRevision.class);
    }

    /** The drafts' files and times only: what identifies the bot with every draft, without reading the YAML. */
    public Flux<FlowDraft> draftStamps() {
        Query query = new Query();
        query.fields().include("_id", "at", "base");
        return mongo.find(query, FlowDraft.class);
    }

    public Mono<FlowRevision> find(long number) {
        return mongo.findById(number, FlowRevision.class);
    }

    /** The first revision, from these files, unless the store has one already (another instance's, or an earlier start's). */
    public Mono<FlowRevision> seed(List<FlowSource> files, String comment) {
        FlowRevision first = new FlowRevision(1, files(files), files.stream().map(FlowSource::fileName).toList(),
                comment, "system", clock.instant(), null, null);
        return latest().switchIfEmpty(Mono.defer(() -> mongo.insert(first)
                .onErrorResume(DuplicateKeyException.class, e -> find(1))));
    }

    /**
     * Publishes these files as the revision after {@code after}.
     *
     * @throws Conflict (as the error) when another revision took that number meanwhile
     */
    public Mono<FlowRevision> publish(long after, List<FlowSource> files, List<String> changed, String comment,
            String by, Long restoredFrom, String override) {
        FlowRevision next = new FlowRevision(after + 1, files(files), changed, comment, by, clock.instant(),
                restoredFrom, override);
        return mongo.insert(next).onErrorMap(DuplicateKeyException.class, e -> new Conflict(after + 1));
    }

    public Flux<FlowDraft> drafts() {
        return mongo.findAll(FlowDraft.class);
    }

    public Mono<FlowDraft> draft(String file) {
        return mongo.findById(file, FlowDraft.class);
    }

    public Mono<FlowDraft> saveDraft(String file, String yaml, String by, long base) {
        return mongo.save(new FlowDraft(file, yaml, by, clock.instant(), base));
    }

    /** Throws a draft away; false when there was none. */
    public Mono<Boolean> discardDraft(String file) {
        return mongo.remove(query(where("_id").is(file)), FlowDraft.class).map(r -> r.getDeletedCount() > 0);
    }

    /** Drops the draft once published, unless it changed meanwhile (another save after this publish began). */
    public Mono<Void> dropDraft(FlowDraft published) {
        return mongo.remove(query(where("_id").is(published.file()).and("at").is(published.at())), FlowDraft.class)
                .then();
    }

    private static List<FlowRevision.File> files(List<FlowSource> sources) {
        return sources.stream().map(s -> new FlowRevision.File(s.fileName(), s.yaml())).toList();
    }
}

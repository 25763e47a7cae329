package org.civicbot.backoffice.content;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.civicbot.bot.FlowRuntime;
import org.civicbot.bot.content.Simulator;
import org.civicbot.bot.engine.Engine;
import org.civicbot.bot.engine.Input;
import org.civicbot.bot.engine.Session;
import org.civicbot.flows.FlowBundle;
import org.civicbot.flows.Language;
import org.springframework.data.annotation.Id;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Conversation tests an editor records in the preview: what the citizen said, and what the bot answered then. Every
 * test runs before a publish on the bot as it would be; one whose answers differ blocks the publish (an admin may
 * publish anyway, with a reason kept on the revision). The answers are recorded here, by running the steps, never
 * taken from the browser.
 */
@Service
public class FlowTests {

    public static final int MAX_STEPS = 40;

    private final ReactiveMongoTemplate mongo;
    private final FlowRuntime runtime;
    private final Clock clock;

    FlowTests(ReactiveMongoTemplate mongo, FlowRuntime runtime, Clock clock) {
        this.mongo = mongo;
        this.runtime = runtime;
        this.clock = clock;
    }

    /** What the citizen sends at a step: a text, a button ({@code menu|position}), or a location. */
    public record Step(String text, String choice, Double latitude, Double longitude) {

        Input input() {
            if (choice != null && !choice.isBlank()) {
                return new Input.Choice(choice);
            }
            if (latitude != null && longitude != null) {
                return new Input.Location(latitude, longitude, null);
            }
            return new Input.Text(text == null ? "" : text);
        }

        boolean empty() {
            return (text == null || text.isBlank()) && (choice == null || choice.isBlank())
                    && (latitude == null || longitude == null);
        }
    }

    /**
     * A recorded conversation.
     *
     * @param at the time it runs at, so that what depends on the time answers the same
     * @param expected per step, what the bot said: each message's text, its options after it
     */
    @org.springframework.data.mongodb.core.mapping.Document("flow_tests")
    public record FlowTest(@Id String id, String name, String language, List<Step> steps, List<List<String>> expected,
            Instant at, String by, Instant createdAt) {}

    /**
     * A test's run: passed, or where it first differs.
     *
     * @param step the first step whose answers differ, from 1
     * @param expected the first message of that step that differs, as recorded (empty: it said no more)
     * @param actual what the bot says there now (empty: it says no more)
     */
    public record Result(String id, String name, boolean passed, Integer step, List<String> expected,
            List<String> actual) {}

    /** A recording that cannot be kept, with why. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message);
        }
    }

    public Flux<FlowTest> all() {
        return mongo.find(new Query().with(Sort.by("name")), FlowTest.class);
    }

    public Mono<Boolean> delete(String id) {
        return mongo.remove(Query.query(org.springframework.data.mongodb.core.query.Criteria.where("_id").is(id)),
                FlowTest.class).map(r -> r.getDeletedCount() > 0);
    }

    /** Records the conversation on {@code bundle} (the bot the editor was previewing) and keeps it. */
    public Mono<FlowTest> record(String name, String language, List<Step> steps, FlowBundle bundle, String by) {
        String cleanName = name == null ? "" : name.strip();
        if (cleanName.isEmpty() || cleanName.length() > 100) {
            return Mono.error(new Invalid("give the test a name of at most 100 characters"));
        }
        if (steps == null || steps.isEmpty() || steps.size() > MAX_STEPS || steps.stream().anyMatch(Step::empty)) {
            return Mono.error(new Invalid("a test has 1 to " + MAX_STEPS + " steps, each a text, a button or a "
                    + "location"));
        }
        Language lang = Language.fromCode(language).orElse(Language.DEFAULT);
        Instant at = clock.instant();
        // Building an engine indexes every example, and a replay runs the understanding: off the event loop.
        return Mono.fromCallable(() -> new FlowTest(UUID.randomUUID().toString(), cleanName, lang.code(),
                        List.copyOf(steps), replay(runtime.engineFor(bundle), lang, steps, at), at, by,
                        clock.instant()))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(mongo::insert);
    }

    /** Runs every test on {@code bundle}. */
    public Mono<List<Result>> run(FlowBundle bundle) {
        return Mono.fromCallable(() -> runtime.engineFor(bundle)).subscribeOn(Schedulers.boundedElastic())
                .flatMap(this::run);
    }

    /** Runs every test on {@code engine}'s flows (the published bot's, for one). */
    public Mono<List<Result>> run(Engine engine) {
        return all().collectList().publishOn(Schedulers.boundedElastic())
                .map(tests -> tests.stream().map(test -> result(test, replay(engine, Language.fromCode(test.language())
                        .orElse(Language.DEFAULT), test.steps(), test.at()))).toList());
    }

    private static Result result(FlowTest test, List<List<String>> actual) {
        for (int i = 0; i < test.expected().size(); i++) {
            List<String> now = i < actual.size() ? actual.get(i) : List.of();
            List<String> then = test.expected().get(i);
            if (!now.equals(then)) {
                // The first message that differs, not the whole turn: what the editor needs to see.
                int j = 0;
                while (j < then.size() && j < now.size() && then.get(j).equals(now.get(j))) {
                    j++;
                }
                return new Result(test.id(), test.name(), false, i + 1,
                        j < then.size() ? List.of(then.get(j)) : List.of(),
                        j < now.size() ? List.of(now.get(j)) : List.of());
            }
        }
        return new Result(test.id(), test.name(), true, null, null, null);
    }

    private static List<List<String>> replay(Engine engine, Language language, List<Step> steps, Instant at) {
        Session session = Session.fresh(language);
        List<List<String>> said = new ArrayList<>();
        for (Step step : steps) {
            Simulator.Step turn = Simulator.step(engine, session, step.input(), at);
            List<String> messages = new ArrayList<>();
            for (Simulator.Reply reply : turn.replies()) {
                messages.add(reply.text());
                reply.options().forEach(option -> messages.add("  - " + option));
            }
            said.add(messages);
            session = turn.session();
        }
        return said;
    }
}

package org.civicbot.backoffice.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Base64;
import java.util.List;
import org.bson.Document;
import org.civicbot.backoffice.content.FlowEditing;
import org.civicbot.backoffice.staff.CurrentStaff;
import org.civicbot.bot.FlowRuntime;
import org.civicbot.bot.Hashes;
import org.civicbot.bot.Secrets;
import org.civicbot.bot.content.Simulator;
import org.civicbot.bot.content.sources.ContentSources;
import org.civicbot.bot.conversation.SessionCodec;
import org.civicbot.bot.engine.Engine;
import org.civicbot.bot.engine.Input;
import org.civicbot.bot.engine.Session;
import org.civicbot.bot.turn.Lookups;
import org.civicbot.flows.Language;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * Talks to the bot without a phone: the published flows for every staff member (try the bot before any provider is
 * connected), the flows with every draft for editors (preview before publishing). The real engine runs; nothing is
 * sent, stored or done. The conversation's state travels with the client, signed, so any instance continues it and
 * nobody can hand the engine a state it did not make.
 */
@RestController
@RequestMapping("/api/v1/simulator")
@Tag(name = "Simulator", description = "A conversation with the bot that sends nothing and creates nothing")
class SimulatorApi {

    static final String KEY = "simulator-state";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final int MAX_TEXT = 2000;
    private static final int MAX_STATE = 200_000;

    private final FlowRuntime runtime;
    private final FlowEditing editing;
    private final org.civicbot.bot.incident.Categories categories;
    private final org.civicbot.backoffice.staff.Departments departments;
    private final CurrentStaff staff;
    private final Secrets secrets;
    private final Clock clock;
    /** Engines on drafts, by revision and drafts' times: building one reads every flow and indexes its examples. */
    private final Cache<String, Engine> drafts = Caffeine.newBuilder().maximumSize(4).build();

    private final ContentSources sources;
    private final ZoneId zone;
    private final org.civicbot.bot.appointment.Appointments appointments;

    SimulatorApi(FlowRuntime runtime, FlowEditing editing, CurrentStaff staff, Secrets secrets, Clock clock,
            org.civicbot.bot.incident.Categories categories, org.civicbot.backoffice.staff.Departments departments,
            ContentSources sources, @Value("${civicbot.time-zone:Europe/Madrid}") ZoneId zone,
            org.civicbot.bot.appointment.Appointments appointments) {
        this.appointments = appointments;
        this.sources = sources;
        this.zone = zone;
        this.categories = categories;
        this.departments = departments;
        this.runtime = runtime;
        this.editing = editing;
        this.staff = staff;
        this.secrets = secrets;
        this.clock = clock;
    }

    /**
     * What the tester sends.
     *
     * @param flows {@code published} (the default) or {@code drafts} (editors: every draft as if published)
     * @param state the previous answer's state; none to begin
     * @param language the language of a new conversation ({@code ca}, {@code es}, {@code en})
     * @param choice a button pressed, as Telegram sends it: {@code <menu>|<position>}
     */
    record Say(String flows, String state, String language, String text, String choice, Double latitude,
            Double longitude) {}

    /** What the bot would do: its replies, what the host would do, and the state to send back next time. */
    record Answer(String state, String language, List<Simulator.Reply> replies, List<Simulator.Action> actions) {}

    @PostMapping
    @Operation(summary = "One message to the bot in a preview: the real engine, nothing sent or done")
    Mono<Answer> say(@RequestBody Say say) {
        Input input = input(say);
        boolean withDrafts = "drafts".equals(say.flows());
        return staff.scope().flatMap(scope -> {
            if (withDrafts && !scope.edits()) {
                return Mono.error(new ResponseStatusException(HttpStatus.FORBIDDEN,
                        "only content editors preview drafts; try the published bot"));
            }
            Mono<Engine> engine = withDrafts ? draftEngine() : Mono.just(runtime.get());
            Instant now = clock.instant();
            return engine.zipWith(session(say)).flatMap(t -> Simulator.step(t.getT1(), t.getT2(), input, now,
                    lookup -> lookup instanceof org.civicbot.bot.engine.Lookup.Live live
                            ? Lookups.live(sources, live, now, zone)
                            : org.civicbot.bot.turn.AppointmentLookups.read(appointments, lookup, "preview", zone)))
                    .flatMap(step -> {
                return named(step.actions(), step.session().language()).zipWith(sign(step.session()))
                        .map(n -> new Answer(n.getT2(), step.session().language().code(), step.replies(), n.getT1()));
            });
        });
    }

    /** The actions with what they concern by its name (a category's, a department's), as a clerk reads it. */
    private Mono<List<Simulator.Action>> named(List<Simulator.Action> actions, Language language) {
        return reactor.core.publisher.Flux.fromIterable(actions).concatMap(action -> {
            if (action.detail() == null) {
                return Mono.just(action);
            }
            Mono<String> name = switch (action.type()) {
                case "IncidentReported" -> categories.label(action.detail(), language);
                case "HandoffRequested" -> departments.find(action.detail())
                        .map(org.civicbot.backoffice.staff.Department::name);
                default -> Mono.empty();
            };
            return name.defaultIfEmpty(action.detail()).map(n -> new Simulator.Action(action.type(), n));
        }).collectList();
    }

    private Mono<Engine> draftEngine() {
        return editing.draftsKey().flatMap(key -> {
            Engine cached = drafts.getIfPresent(key);
            if (cached != null) {
                return Mono.just(cached);
            }
            return editing.withDrafts().publishOn(reactor.core.scheduler.Schedulers.boundedElastic()).map(checked -> {
                if (!checked.valid()) {
                    throw new FlowEditing.Invalid(checked.issues());
                }
                // Indexing the examples takes a moment: off the event loop, and once per set of drafts.
                return drafts.get(key, k -> runtime.engineFor(checked.bundle()));
            });
        });
    }

    private static Input input(Say say) {
        if (say.choice() != null && !say.choice().isBlank()) {
            return new Input.Choice(say.choice().strip());
        }
        if (say.latitude() != null && say.longitude() != null) {
            return new Input.Location(say.latitude(), say.longitude(), null);
        }
        if (say.text() == null || say.text().isBlank()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "say something: text, choice, or a location");
        }
        if (say.text().length() > MAX_TEXT) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "a message may have at most " + MAX_TEXT
                    + " characters");
        }
        return new Input.Text(say.text());
    }

    /** The conversation so far, from its signed state; a new one without. */
    private Mono<Session> session(Say say) {
        Language language = Language.fromCode(say.language()).orElse(Language.DEFAULT);
        if (say.state() == null || say.state().isBlank()) {
            return Mono.just(Session.fresh(language));
        }
        String token = say.state();
        if (token.length() > MAX_STATE) {
            return Mono.error(refused());
        }
        return secrets.key(KEY).map(key -> {
            String payload = Hashes.verified(key, token).orElseThrow(SimulatorApi::refused);
            try {
                return SessionCodec.read(Document.parse(new String(DECODER.decode(payload), StandardCharsets.UTF_8)),
                        language);
            } catch (IllegalArgumentException | org.bson.json.JsonParseException e) {
                throw refused();
            }
        });
    }

    private Mono<String> sign(Session session) {
        String payload = ENCODER.encodeToString(SessionCodec.write(session).toJson().getBytes(StandardCharsets.UTF_8));
        return secrets.key(KEY).map(key -> Hashes.signed(key, payload));
    }

    private static ResponseStatusException refused() {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, "that state is not one this bot gave: start again "
                + "without it");
    }

    @ExceptionHandler(FlowEditing.Invalid.class)
    ResponseEntity<FlowApi.Report> invalid(FlowEditing.Invalid e) {
        return ResponseEntity.status(HttpStatus.UNPROCESSABLE_ENTITY).body(FlowApi.Report.of(false, e.issues()));
    }
}

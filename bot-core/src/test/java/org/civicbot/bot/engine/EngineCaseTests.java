package org.civicbot.bot.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.civicbot.flows.FlowBundle;
import org.civicbot.flows.Flows;
import org.civicbot.flows.Language;
import org.civicbot.flows.NodeKind;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Golden conversations: each file in {@code engine/cases} lists what a citizen sends, and its
 * {@code .expected.yaml} twin what the engine answered, turn by turn. Run with {@code -Dgolden.update=true}
 * to write the twins anew from the engine's current behaviour, then review the diff.
 */
class EngineCaseTests {

    static final Path CASES = Path.of("src/test/resources/engine/cases");
    static final Path FLOWS = Path.of("src/test/resources/engine/flows");
    static final boolean UPDATE = Boolean.getBoolean("golden.update");
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    @TestFactory
    Stream<DynamicTest> conversationsMatchTheirGoldenFiles() throws IOException {
        try (Stream<Path> files = Files.list(CASES)) {
            List<Path> cases = files.filter(p -> p.toString().endsWith(".yaml") && !p.toString().endsWith(".expected.yaml"))
                    .sorted().toList();
            assertThat(cases).isNotEmpty();
            return cases.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> run(file)));
        }
    }

    /**
     * Every node kind is exercised by a case file named after it, on test-only flows ({@code engine/flows}), so
     * that a change to the default flows' wording never breaks the engine's own tests.
     */
    @Test
    @SuppressWarnings("unchecked")
    void everyNodeKindHasACaseFileOnTestOnlyFlows() throws IOException {
        Set<String> missing = new TreeSet<>();
        Set<String> onDefaultFlows = new TreeSet<>();
        for (NodeKind kind : NodeKind.values()) {
            Path file = CASES.resolve(kind.wireName() + ".yaml");
            if (!Files.exists(file)) {
                missing.add(kind.wireName());
            } else if ("default".equals(((Map<String, Object>) new Yaml().load(Files.readString(file)))
                    .getOrDefault("flows", "default"))) {
                onDefaultFlows.add(kind.wireName());
            }
        }
        assertThat(missing).as("node kinds without a case file in " + CASES).isEmpty();
        assertThat(onDefaultFlows).as("node kinds whose case runs on the default flows").isEmpty();
        for (NodeKind kind : NodeKind.values()) {
            assertThat(flows("kinds").flows().values().stream().flatMap(f -> f.nodes().stream())
                    .anyMatch(n -> n.kind() == kind)).as("the test-only flows have a " + kind.wireName() + " node")
                    .isTrue();
        }
    }

    @SuppressWarnings("unchecked")
    private void run(Path file) throws IOException {
        Map<String, Object> spec = new Yaml().load(Files.readString(file));
        Engine engine = new Engine(flows((String) spec.getOrDefault("flows", "default")));
        Language language = Language.fromCode((String) spec.getOrDefault("language", "ca")).orElseThrow();
        // The host's notice catalogue, and the contact's subscriptions as the turns change them.
        Map<String, Object> catalogue = (Map<String, Object>) spec.getOrDefault("notices", Map.of());
        List<Found.Notices.Subscription> mine = new ArrayList<>();
        Session session = Session.fresh(language);
        List<Object> transcript = new ArrayList<>();
        int n = 0;
        for (Object send : (List<Object>) spec.get("turns")) {
            n++;
            if (send instanceof Map<?, ?> asked && asked.containsKey("survey")) {
                // The host asks a satisfaction question (after a close): the next message may answer it.
                session = session.withSurvey(new Session.Survey((String) asked.get("survey"), false));
                transcript.add(Map.of("host asks", send));
                continue;
            }
            Input input = input(send);
            // The host looks up what the engine asks for: a turn's "map" and "nearby" are what it finds.
            TurnContext context = new TurnContext("turn-" + n, T0.plusSeconds(n));
            Turn turn = engine.resume(session, input, context);
            List<String> lookedUp = new ArrayList<>();
            while (turn.needs().isPresent()) {
                Lookup need = turn.needs().get();
                assertThat(lookedUp).as("lookups in one turn").hasSizeLessThan(3);
                lookedUp.add(describe(need));
                context = context.with(need, need instanceof Lookup.Notices ? Optional.of(notices(catalogue, mine))
                        : appointment(need, send, (Map<String, Object>) spec.getOrDefault("appointments", Map.of()))
                                .orElseGet(() -> found(send, need)));
                turn = engine.resume(session, input, context);
            }
            session = turn.session();
            for (Event event : turn.events()) {
                if (event instanceof Event.Subscribed s) {
                    mine.add(new Found.Notices.Subscription(s.topic(), s.area()));
                } else if (event instanceof Event.Unsubscribed u) {
                    mine.remove(new Found.Notices.Subscription(u.topic(), u.area()));
                } else if (event instanceof Event.UnsubscribedAll) {
                    mine.clear();
                }
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("send", send);
            if (!lookedUp.isEmpty()) {
                entry.put("lookUp", lookedUp.size() == 1 ? lookedUp.get(0) : lookedUp);
            }
            entry.put("events", turn.events().stream().map(EngineCaseTests::describe).toList());
            entry.put("session", describe(session));
            transcript.add(entry);
        }
        String actual = dump(transcript);
        Path expectedFile = file.resolveSibling(file.getFileName().toString().replace(".yaml", ".expected.yaml"));
        if (UPDATE) {
            Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
        }
        assertThat(expectedFile).as("golden file; run with -Dgolden.update=true to create it").exists();
        assertThat(actual).isEqualTo(Files.readString(expectedFile, StandardCharsets.UTF_8));
    }

    static FlowBundle flows(String name) {
        return Flows.load("default".equals(name) ? Flows.defaults() : Flows.fromDirectory(FLOWS.resolve(name)));
    }

    @SuppressWarnings("unchecked")
    static Found.Notices notices(Map<String, Object> catalogue, List<Found.Notices.Subscription> mine) {
        List<Found.Notices.Topic> topics = new ArrayList<>();
        ((Map<String, Map<String, String>>) catalogue.getOrDefault("topics", Map.of()))
                .forEach((id, labels) -> topics.add(new Found.Notices.Topic(id, labels)));
        List<Found.Notices.Area> areas = new ArrayList<>();
        ((Map<String, String>) catalogue.getOrDefault("areas", Map.of()))
                .forEach((id, name) -> areas.add(new Found.Notices.Area(id, name)));
        return new Found.Notices(topics, areas, mine);
    }

    /**
     * The host's appointments: the spec's {@code appointments: {services, mine, days, times}} (times by day), and
     * for a booking the turn's {@code booked: CODE} or {@code taken: [nearest...]}. Empty for other lookups.
     */
    @SuppressWarnings("unchecked")
    static Optional<Optional<Found>> appointment(Lookup lookup, Object send, Map<String, Object> spec) {
        Map<String, Object> turn = send instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        if (lookup instanceof Lookup.Appointments) {
            List<Found.Appointments.Service> services = new ArrayList<>();
            for (Map<String, Object> s : (List<Map<String, Object>>) spec.getOrDefault("services", List.of())) {
                List<Found.Appointments.Office> offices = new ArrayList<>();
                for (Map<String, String> o : (List<Map<String, String>>) s.get("offices")) {
                    offices.add(new Found.Appointments.Office(o.get("id"), o.get("name"), o.get("address")));
                }
                services.add(new Found.Appointments.Service((String) s.get("id"), (Map<String, String>) s.get("names"),
                        (Map<String, String>) s.getOrDefault("bring", Map.of()), offices));
            }
            List<Found.Appointments.Mine> mine = new ArrayList<>();
            for (Map<String, String> a : (List<Map<String, String>>) spec.getOrDefault("mine", List.of())) {
                mine.add(new Found.Appointments.Mine(a.get("code"), a.get("service"), a.get("office"), a.get("start")));
            }
            return Optional.of(Optional.of(new Found.Appointments(services, mine)));
        }
        if (lookup instanceof Lookup.FreeDays) {
            return Optional.of(Optional.of(new Found.Free((List<String>) spec.getOrDefault("days", List.of()))));
        }
        if (lookup instanceof Lookup.FreeTimes times) {
            return Optional.of(Optional.of(new Found.Free(((Map<String, List<String>>) spec.getOrDefault("times",
                    Map.of())).getOrDefault(times.date(), List.of()))));
        }
        if (lookup instanceof Lookup.Book book) {
            return Optional.of(turn.containsKey("taken")
                    ? Optional.of(new Found.Taken((List<String>) turn.get("taken")))
                    : Optional.of(new Found.Booked((String) turn.getOrDefault("booked", "CITA-2026-000001"),
                            book.start())));
        }
        if (lookup instanceof Lookup.MoveAppointment move) {
            return Optional.of(Optional.of(new Found.Booked(move.code(), move.start())));
        }
        if (lookup instanceof Lookup.CancelAppointment) {
            return Optional.of(Optional.of(new Found.Done()));
        }
        return Optional.empty();
    }

    static String describe(Lookup lookup) {
        if (lookup instanceof Lookup.Appointments) {
            return "appointments";
        }
        if (lookup instanceof Lookup.FreeDays d) {
            return "free days " + d.service() + " " + d.office();
        }
        if (lookup instanceof Lookup.FreeTimes t) {
            return "free times " + t.service() + " " + t.office() + " " + t.date();
        }
        if (lookup instanceof Lookup.Book b) {
            return "book " + b.ref() + " " + b.service() + " " + b.office() + " " + b.start() + " " + b.name() + " "
                    + b.language();
        }
        if (lookup instanceof Lookup.MoveAppointment m) {
            return "move " + m.code() + " " + m.start();
        }
        if (lookup instanceof Lookup.CancelAppointment c) {
            return "cancel " + c.code();
        }
        if (lookup instanceof Lookup.Address address) {
            return "address " + address.query();
        }
        if (lookup instanceof Lookup.Notices) {
            return "notices";
        }
        if (lookup instanceof Lookup.AreasAt at) {
            return "areas at " + at.latitude() + "," + at.longitude();
        }
        if (lookup instanceof Lookup.Live live) {
            return "live " + live.kind() + " " + live.source() + " " + live.count()
                    + (live.period() == null ? "" : " " + live.period())
                    + (live.latitude() == null ? "" : " near " + live.latitude() + "," + live.longitude());
        }
        Lookup.Nearby nearby = (Lookup.Nearby) lookup;
        return "nearby " + nearby.category() + " " + nearby.latitude() + "," + nearby.longitude();
    }

    /**
     * What the host finds: for an address, a turn's {@code map: [lat, lon, name]}; for open incidents nearby, its
     * {@code nearby: [code, date, address, status]}; for a live source, its {@code live: {items, asOf,
     * unavailable}}; nothing otherwise.
     */
    @SuppressWarnings("unchecked")
    static Optional<Found> found(Object send, Lookup lookup) {
        if (!(send instanceof Map<?, ?> map)) {
            return Optional.empty();
        }
        if (lookup instanceof Lookup.Address && map.containsKey("map")) {
            List<Object> place = (List<Object>) map.get("map");
            return Optional.of(new Found.Place(((Number) place.get(0)).doubleValue(),
                    ((Number) place.get(1)).doubleValue(), (String) place.get(2)));
        }
        if (lookup instanceof Lookup.AreasAt && map.containsKey("areas")) {
            return Optional.of(new Found.Areas((List<String>) map.get("areas")));
        }
        if (lookup instanceof Lookup.Live && map.containsKey("live")) {
            Map<String, Object> live = (Map<String, Object>) map.get("live");
            return Optional.of(new Found.Items((List<Map<String, String>>) live.getOrDefault("items", List.of()),
                    (String) live.get("asOf"), Boolean.TRUE.equals(live.get("unavailable"))));
        }
        if (lookup instanceof Lookup.Nearby && map.containsKey("nearby")) {
            List<String> same = (List<String>) map.get("nearby");
            return Optional.of(new Found.Incident(same.get(0), same.get(1), same.get(2), same.get(3)));
        }
        return Optional.empty();
    }

    @SuppressWarnings("unchecked")
    static Input input(Object send) {
        if (send instanceof String text) {
            return new Input.Text(text);
        }
        Map<String, Object> map = (Map<String, Object>) send;
        if (map.containsKey("text")) {
            return new Input.Text((String) map.get("text"));
        }
        if (map.containsKey("location")) {
            List<Number> at = (List<Number>) map.get("location");
            return new Input.Location(at.get(0).doubleValue(), at.get(1).doubleValue(), (String) map.get("address"));
        }
        if (map.containsKey("photos")) {
            // "taken": where the photo's EXIF says it was taken, as the host read it before storing it.
            List<Number> taken = (List<Number>) map.get("taken");
            return new Input.Photos((List<String>) map.get("photos"), (String) map.get("caption"),
                    taken == null ? null : taken.get(0).doubleValue(), taken == null ? null : taken.get(1).doubleValue());
        }
        if (map.containsKey("unsupported")) {
            return new Input.Unsupported(String.valueOf(map.get("unsupported")));
        }
        if (map.containsKey("choice")) {
            return new Input.Choice(String.valueOf(map.get("choice")));
        }
        throw new IllegalArgumentException("unknown input " + send);
    }

    static Object describe(Event event) {
        Map<String, Object> out = new LinkedHashMap<>();
        String type = event.getClass().getSimpleName();
        out.put("type", type);
        if (event instanceof Event.MessageCreated m) {
            out.put("text", m.text());
            if (!m.options().isEmpty()) {
                out.put("options", m.options());
            }
        } else if (event instanceof Event.PhotosAdded p) {
            out.put("ref", p.ref());
            out.put("photos", p.photoIds());
        } else if (event instanceof Event.IncidentReported r) {
            out.put("ref", r.ref());
            out.put("category", r.category());
            out.put("description", r.description());
            r.place().ifPresent(p -> out.put("place", Arrays.asList(p.address(), p.latitude(), p.longitude(),
                    p.origin().name())));
            out.put("photos", r.photoIds());
            r.possibleDuplicateOf().ifPresent(code -> out.put("possibleDuplicateOf", code));
        } else if (event instanceof Event.HandoffRequested h) {
            out.put("department", h.department());
        } else if (event instanceof Event.Understood u) {
            out.put("targets", u.targets());
        } else if (event instanceof Event.IncidentJoined j) {
            out.put("code", j.code());
            out.put("photos", j.photoIds());
        } else if (event instanceof Event.Subscribed s) {
            out.put("topic", s.topic());
            out.put("area", s.area());
        } else if (event instanceof Event.Unsubscribed u) {
            out.put("topic", u.topic());
            out.put("area", u.area());
        } else if (event instanceof Event.FollowRequested f) {
            out.put("code", f.code());
            out.put("follow", f.follow());
        } else if (event instanceof Event.SatisfactionGiven s) {
            out.put("about", s.about());
            out.put("score", s.score());
        } else if (event instanceof Event.SatisfactionCommented c) {
            out.put("about", c.about());
            out.put("comment", c.comment());
        } else if (event instanceof Event.StatusRequested r) {
            r.code().ifPresent(code -> out.put("code", code));
        } else if (event instanceof Event.LanguageChanged l) {
            out.put("language", l.language().code());
        }
        return out;
    }

    static Object describe(Session session) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("state", session.state().name());
        if (session.flowId() != null) {
            out.put("at", session.flowId() + "/" + session.nodeId());
        }
        out.put("language", session.language().code());
        if (!session.vars().isEmpty()) {
            out.put("vars", session.vars().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                    e -> e.getValue().toString(), (a, b) -> a, java.util.TreeMap::new)));
        }
        if (!session.offered().isEmpty()) {
            out.put("offered", session.offered());
        }
        if (session.optedOut()) {
            out.put("optedOut", true);
        }
        if (session.retries() > 0) {
            out.put("retries", session.retries());
        }
        if (session.proposed() != null) {
            out.put("proposed", session.proposed().toString());
        }
        if (session.survey() != null) {
            out.put("survey", session.survey().toString());
        }
        if (session.duplicate() != null) {
            out.put("duplicate", session.duplicate().toString());
        }
        return out;
    }

    private static String dump(Object value) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setAllowUnicode(true);
        options.setWidth(120);
        options.setSplitLines(false);
        try {
            return new Yaml(options).dump(value);
        } catch (RuntimeException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}

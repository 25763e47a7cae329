package org.civicbot.bot.engine;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.civicbot.flows.Commands;
import org.civicbot.flows.Flow;
import org.civicbot.flows.LocalizedText;
import org.civicbot.flows.Node;

/**
 * The appointments node's conversation, on one {@link Engine.Run}: the contact's appointments; booking (a service, an
 * office, a day, a time, a name, a confirmation); moving and cancelling. The step waits in a variable named after
 * the node, what was chosen in variables beside it ({@code <node>.service}, {@code .office}, {@code .day},
 * {@code .period}, {@code .start}, {@code .name}, {@code .code}, {@code .nearest}); they go when the node is left.
 * What it needs from the store it asks for as lookups: the engine stays pure.
 */
final class AppointmentDialog {

    static final String MENU = "menu";
    static final String SERVICE = "service";
    static final String OFFICE = "office";
    static final String DAY = "day";
    static final String PERIOD = "period";
    static final String TIME = "time";
    static final String NAME = "name";
    static final String CONFIRM = "confirm";
    static final String FULL = "full";
    static final String WHICH = "which";
    static final String MANAGE = "manage";
    static final String CANCEL = "cancel";

    /** A menu holds at most this many options (WhatsApp's list). */
    static final int MAX_OPTIONS = org.civicbot.flows.ChannelLimits.MAX_MENU_OPTIONS;
    /** Days offered at once. */
    static final int DAYS = 8;
    static final int MIN_NAME = 3;
    static final int MAX_NAME = 120;
    private static final DateTimeFormatter DAY_MONTH = DateTimeFormatter.ofPattern("dd/MM");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy");

    private final Engine.Run run;
    private final Node.Appointments node;
    private final Commands.AppointmentTexts texts;

    AppointmentDialog(Engine.Run run, Node.Appointments node, Commands.AppointmentTexts texts) {
        this.run = run;
        this.node = node;
        this.texts = texts;
    }

    /** Entered: the contact's appointments, or straight to the services when there are none. */
    void start(Flow flow) {
        // Nothing of an earlier visit comes along (an appointment being moved would turn a booking into a move).
        clear();
        Found.Appointments found = appointments();
        if (found.mine().isEmpty()) {
            startBooking(flow, found);
        } else {
            moveTo(MENU);
        }
    }

    // --- questions -------------------------------------------------------------------------------------

    /** The question of the step the node is at. */
    Event.MessageCreated question(String flowId) {
        String menu = flowId + "/" + node.id();
        Found.Appointments found = appointments();
        return switch (step()) {
            case SERVICE -> new Event.MessageCreated(text("service"), found.services().stream()
                    .map(s -> name(s.names())).limit(MAX_OPTIONS).toList(), menu);
            case OFFICE -> new Event.MessageCreated(text("office"), service(found).map(s -> s.offices().stream()
                    .map(Found.Appointments.Office::name).limit(MAX_OPTIONS).toList()).orElse(List.of()), menu);
            case DAY -> new Event.MessageCreated(text("day"), days().stream().map(this::dayLabel).toList(), menu);
            case PERIOD -> new Event.MessageCreated(text("period"), periods(times()).stream()
                    .map(p -> p.get(0) + "–" + p.get(p.size() - 1)).toList(), menu);
            case TIME -> new Event.MessageCreated(text("time"), timesOfPeriod(), menu);
            case NAME -> new Event.MessageCreated(text("name"), List.of());
            case CONFIRM -> new Event.MessageCreated(run.fill(texts.get("confirm"), details(found, var("start")))
                    .in(run.language()), yesNo(), menu);
            case FULL -> new Event.MessageCreated(text("full"), nearest().stream().map(this::timeLabel).toList(), menu);
            case WHICH -> new Event.MessageCreated(text("which"), found.mine().stream().map(m -> line(found, m))
                    .limit(MAX_OPTIONS).toList(), menu);
            case MANAGE -> new Event.MessageCreated(run.fill(texts.get("manage"), Map.of("appointment",
                    mine(found).map(m -> line(found, m)).orElse(""))).in(run.language()), List.of(text("move"),
                    text("cancel"), text("back")), menu);
            case CANCEL -> new Event.MessageCreated(run.fill(texts.get("cancel_confirm"), Map.of("code",
                    var("code"))).in(run.language()), yesNo(), menu);
            default -> new Event.MessageCreated(run.fill(texts.get("menu"), Map.of("list", found.mine().isEmpty()
                    ? text("none") : String.join("\n", found.mine().stream().map(m -> line(found, m)).toList())))
                    .in(run.language()), menuChoices(found).stream().map(c -> c.in(run.language())).toList(), menu);
        };
    }

    // --- answers ---------------------------------------------------------------------------------------

    /** The citizen's answer at the step the node is at. */
    void answer(Flow flow, Input input) {
        if (run.wholeCommand(input)) {
            return;
        }
        Found.Appointments found = appointments();
        String step = step();
        switch (step) {
            case SERVICE -> choose(input, found.services().stream().map(s -> labels(s.names(), s.id())).toList())
                    .ifPresentOrElse(i -> chooseService(flow, found, found.services().get(i)), this::notUnderstood);
            case OFFICE -> {
                Optional<Found.Appointments.Service> service = service(found);
                List<Found.Appointments.Office> offices = service.map(Found.Appointments.Service::offices)
                        .orElse(List.of());
                choose(input, offices.stream().map(o -> List.of(o.name(), o.id())).toList())
                        .ifPresentOrElse(i -> chooseOffice(flow, offices.get(i).id()), this::notUnderstood);
            }
            case DAY -> {
                List<String> days = days();
                choose(input, days.stream().map(d -> List.of(dayLabel(d), d, LocalDate.parse(d).format(DAY_MONTH)))
                        .toList()).ifPresentOrElse(i -> chooseDay(flow, days.get(i)), this::notUnderstood);
            }
            case PERIOD -> {
                List<List<String>> periods = periods(times());
                choose(input, periods.stream().map(p -> List.of(p.get(0) + "–" + p.get(p.size() - 1), p.get(0)))
                        .toList()).ifPresentOrElse(i -> {
                            set("period", String.valueOf(i));
                            moveTo(TIME);
                        }, this::notUnderstood);
            }
            case TIME -> {
                List<String> times = timesOfPeriod();
                choose(input, times.stream().map(t -> List.of(t, t.replace(":", "."), t.replace(":00", "")))
                        .toList()).ifPresentOrElse(i -> chooseStart(var("day") + "T" + times.get(i)),
                        this::notUnderstood);
            }
            case NAME -> answerName(input);
            case CONFIRM -> answerConfirm(flow, found, input);
            case FULL -> {
                List<String> nearest = nearest();
                choose(input, nearest.stream().map(t -> List.of(timeLabel(t), t.substring(11))).toList())
                        .ifPresentOrElse(i -> chooseStart(nearest.get(i)), this::notUnderstood);
            }
            case WHICH -> choose(input, found.mine().stream().map(m -> List.of(line(found, m), m.code())).toList())
                    .ifPresentOrElse(i -> {
                        set("code", found.mine().get(i).code());
                        moveTo(MANAGE);
                    }, this::notUnderstood);
            case MANAGE -> choose(input, List.of(words("move"), words("cancel"), words("back")))
                    .ifPresentOrElse(i -> manage(flow, found, i), this::notUnderstood);
            case CANCEL -> answerCancel(flow, input);
            default -> {
                List<LocalizedText> choices = menuChoices(found);
                choose(input, choices.stream().map(c -> (List<String>) new ArrayList<>(c.values().values())).toList())
                        .ifPresentOrElse(i -> {
                            LocalizedText choice = choices.get(i);
                            if (choice == texts.get("book")) {
                                startBooking(flow, found);
                            } else if (choice == texts.get("change")) {
                                if (found.mine().size() == 1) {
                                    set("code", found.mine().get(0).code());
                                    moveTo(MANAGE);
                                } else {
                                    moveTo(WHICH);
                                }
                            } else {
                                leave(flow);
                            }
                        }, this::notUnderstood);
            }
        }
    }

    private void startBooking(Flow flow, Found.Appointments found) {
        if (found.services().isEmpty()) {
            run.say(texts.get("no_services"));
            leave(flow);
        } else if (found.services().size() == 1) {
            chooseService(flow, found, found.services().get(0));
        } else {
            moveTo(SERVICE);
        }
    }

    private void chooseService(Flow flow, Found.Appointments found, Found.Appointments.Service service) {
        set("service", service.id());
        if (service.offices().size() == 1) {
            chooseOffice(flow, service.offices().get(0).id());
        } else if (service.offices().isEmpty()) {
            run.say(texts.get("no_days"));
            leave(flow);
        } else {
            moveTo(OFFICE);
        }
    }

    private void chooseOffice(Flow flow, String office) {
        set("office", office);
        toDays(flow);
    }

    /** The free days of the chosen service and office; when there are none, says so and leaves. */
    private void toDays(Flow flow) {
        if (days().isEmpty()) {
            run.say(texts.get("no_days"));
            leave(flow);
        } else {
            moveTo(DAY);
        }
    }

    private void chooseDay(Flow flow, String day) {
        set("day", day);
        run.session = run.session.withoutVar(node.id() + ".period");
        List<String> times = times();
        if (times.isEmpty()) {
            // Taken since the days were offered: the days again.
            toDays(flow);
        } else {
            moveTo(times.size() > MAX_OPTIONS ? PERIOD : TIME);
        }
    }

    private void chooseStart(String start) {
        set("start", start);
        moveTo(var("code").isEmpty() && var("name").isEmpty() ? NAME : CONFIRM);
    }

    private void answerName(Input input) {
        String text = Engine.textOf(input);
        String name = text == null ? "" : text.strip().replaceAll("\\s+", " ");
        if (name.codePointCount(0, name.length()) < MIN_NAME || name.length() > MAX_NAME) {
            run.askAgain(null, node);
            return;
        }
        set("name", name);
        moveTo(CONFIRM);
    }

    private void answerConfirm(Flow flow, Found.Appointments found, Input input) {
        OptionalInt answer = run.chosen(input, List.of(run.commands().yes().all(), run.commands().no().all()));
        if (answer.isEmpty()) {
            notUnderstood();
            return;
        }
        if (answer.getAsInt() == 1) {
            // Not this one: another day or time.
            moveTo(DAY);
            return;
        }
        String code = var("code");
        Lookup lookup = code.isEmpty()
                ? new Lookup.Book(run.context.turnId() + "-appointment", var("service"), var("office"), var("start"),
                        var("name"), run.language().code())
                : new Lookup.MoveAppointment(code, var("start"));
        Optional<Found> result = run.lookUp(lookup, Found.class);
        if (result.isPresent() && result.get() instanceof Found.Booked booked) {
            Map<String, String> values = details(found, booked.start());
            values.put("code", booked.code());
            run.events.add(new Event.MessageCreated(run.item(texts.get(code.isEmpty() ? "booked" : "moved"), values),
                    List.of()));
            leave(flow);
        } else if (result.isPresent() && result.get() instanceof Found.Taken taken && !taken.nearest().isEmpty()) {
            set("nearest", String.join(",", taken.nearest()));
            moveTo(FULL);
        } else {
            run.say(texts.get("no_days"));
            leave(flow);
        }
    }

    private void manage(Flow flow, Found.Appointments found, int choice) {
        Optional<Found.Appointments.Mine> mine = mine(found);
        if (mine.isEmpty() || choice == 2) {
            leave(flow);
        } else if (choice == 0) {
            set("service", mine.get().service());
            set("office", mine.get().office());
            toDays(flow);
        } else {
            moveTo(CANCEL);
        }
    }

    private void answerCancel(Flow flow, Input input) {
        OptionalInt answer = run.chosen(input, List.of(run.commands().yes().all(), run.commands().no().all()));
        if (answer.isEmpty()) {
            notUnderstood();
            return;
        }
        if (answer.getAsInt() == 0) {
            String code = var("code");
            if (run.lookUp(new Lookup.CancelAppointment(code), Found.Done.class).isPresent()) {
                run.say(texts.get("cancelled"), Map.of("code", code));
            }
        }
        leave(flow);
    }

    // --- the node's state ------------------------------------------------------------------------------

    private String step() {
        return run.session.var(node.id()).filter(Answer.Text.class::isInstance)
                .map(a -> ((Answer.Text) a).value()).orElse(MENU);
    }

    private String var(String name) {
        return run.session.var(node.id() + "." + name).filter(Answer.Text.class::isInstance)
                .map(a -> ((Answer.Text) a).value()).orElse("");
    }

    private void set(String name, String value) {
        run.session = run.session.withVar(node.id() + "." + name, new Answer.Text(value));
    }

    /** Moves to a step and asks its question. */
    private void moveTo(String step) {
        run.session = run.session.withVar(node.id(), new Answer.Text(step));
        run.events.add(question(run.session.flowId()));
        run.session = run.session.waitingAt(run.session.flowId(), node.id()).withRetries(0);
    }

    private void leave(Flow flow) {
        clear();
        run.follow(flow, node.next());
    }

    private void clear() {
        for (String name : List.of(".service", ".office", ".day", ".period", ".start", ".name", ".code", ".nearest")) {
            run.session = run.session.withoutVar(node.id() + name);
        }
        run.session = run.session.withoutVar(node.id());
    }

    private void notUnderstood() {
        run.askAgain(run.commands().texts().notUnderstood(), node);
    }

    // --- what the host found ---------------------------------------------------------------------------

    private Found.Appointments appointments() {
        return run.lookUp(new Lookup.Appointments(), Found.Appointments.class)
                .orElse(new Found.Appointments(List.of(), List.of()));
    }

    private List<String> days() {
        return run.lookUp(new Lookup.FreeDays(var("service"), var("office")), Found.Free.class)
                .map(Found.Free::values).orElse(List.of()).stream().limit(DAYS).toList();
    }

    private List<String> times() {
        return run.lookUp(new Lookup.FreeTimes(var("service"), var("office"), var("day")), Found.Free.class)
                .map(Found.Free::values).orElse(List.of());
    }

    /** The day's times in groups that each fit a menu, at most a menu of groups. */
    static List<List<String>> periods(List<String> times) {
        List<List<String>> groups = new ArrayList<>();
        int count = Math.min(MAX_OPTIONS, (int) Math.ceil(times.size() / (double) MAX_OPTIONS));
        int per = count == 0 ? 1 : Math.min(MAX_OPTIONS, (int) Math.ceil(times.size() / (double) count));
        for (int i = 0; i < times.size() && groups.size() < MAX_OPTIONS; i += per) {
            groups.add(times.subList(i, Math.min(times.size(), i + per)));
        }
        return groups;
    }

    private List<String> timesOfPeriod() {
        List<String> times = times();
        if (times.size() <= MAX_OPTIONS) {
            return times;
        }
        List<List<String>> periods = periods(times);
        int index;
        try {
            index = Integer.parseInt(var("period"));
        } catch (NumberFormatException e) {
            index = 0;
        }
        return periods.isEmpty() ? List.of() : periods.get(Math.min(index, periods.size() - 1));
    }

    private List<String> nearest() {
        String nearest = var("nearest");
        return nearest.isEmpty() ? List.of() : List.of(nearest.split(","));
    }

    private Optional<Found.Appointments.Service> service(Found.Appointments found) {
        return found.services().stream().filter(s -> s.id().equals(var("service"))).findFirst();
    }

    private Optional<Found.Appointments.Mine> mine(Found.Appointments found) {
        return found.mine().stream().filter(m -> m.code().equals(var("code"))).findFirst();
    }

    // --- words -----------------------------------------------------------------------------------------

    private List<LocalizedText> menuChoices(Found.Appointments found) {
        List<LocalizedText> choices = new ArrayList<>(List.of(texts.get("book")));
        if (!found.mine().isEmpty()) {
            choices.add(texts.get("change"));
        }
        choices.add(texts.get("back"));
        return choices;
    }

    private OptionalInt choose(Input input, List<List<String>> labels) {
        return labels.isEmpty() ? OptionalInt.empty() : run.chosen(input, labels);
    }

    private String text(String key) {
        return texts.get(key).in(run.language());
    }

    private List<String> words(String key) {
        return new ArrayList<>(texts.get(key).values().values());
    }

    private List<String> yesNo() {
        return List.of(first(run.commands().yes().in(run.language())), first(run.commands().no().in(run.language())));
    }

    private static String first(List<String> words) {
        return words.isEmpty() ? "" : words.get(0);
    }

    private String name(Map<String, String> names) {
        return names.getOrDefault(run.language().code(), names.getOrDefault("ca", names.values().stream().findFirst()
                .orElse("")));
    }

    private static List<String> labels(Map<String, String> names, String id) {
        List<String> labels = new ArrayList<>(names.values());
        labels.add(id);
        return labels;
    }

    private Locale locale() {
        return Locale.forLanguageTag(run.language().code());
    }

    /** "dilluns 07/12", in the contact's language. */
    private String dayLabel(String day) {
        LocalDate date = LocalDate.parse(day);
        return date.getDayOfWeek().getDisplayName(TextStyle.FULL, locale()) + " " + date.format(DAY_MONTH);
    }

    /** "dilluns 07/12 09:30". */
    private String timeLabel(String start) {
        return dayLabel(start.substring(0, 10)) + " " + start.substring(11, 16);
    }

    private String line(Found.Appointments found, Found.Appointments.Mine mine) {
        Map<String, String> values = details(found, mine.start(), mine.service(), mine.office());
        values.put("code", mine.code());
        return run.fill(texts.get("line"), values).in(run.language());
    }

    private Map<String, String> details(Found.Appointments found, String start) {
        Map<String, String> values = details(found, start, var("service"), var("office"));
        values.put("name", var("name"));
        return values;
    }

    /** The fields a booking's texts name: service, office, address, date, time, what to bring. */
    private Map<String, String> details(Found.Appointments found, String start, String serviceId, String officeId) {
        Map<String, String> values = new HashMap<>();
        Optional<Found.Appointments.Service> service = found.services().stream()
                .filter(s -> s.id().equals(serviceId)).findFirst();
        Optional<Found.Appointments.Office> office = service.flatMap(s -> s.offices().stream()
                .filter(o -> o.id().equals(officeId)).findFirst());
        values.put("service", service.map(s -> name(s.names())).orElse(serviceId));
        values.put("bring", service.map(s -> name(s.bring())).orElse(""));
        values.put("office", office.map(Found.Appointments.Office::name).orElse(officeId));
        values.put("address", office.map(Found.Appointments.Office::address).orElse(""));
        if (start != null && start.length() >= 16) {
            LocalDateTime at = LocalDateTime.parse(start.substring(0, 16));
            values.put("date", at.getDayOfWeek().getDisplayName(TextStyle.FULL, locale()) + " "
                    + at.toLocalDate().format(DATE));
            values.put("time", start.substring(11, 16));
        } else {
            values.put("date", "");
            values.put("time", "");
        }
        return values;
    }
}
